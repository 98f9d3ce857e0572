"""Climate risks and opportunities (IFRS S2 / TCFD): the register, time horizons as data, and
scenario analysis of carbon prices on the pathway projections.
"""
