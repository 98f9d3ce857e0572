"""Environmental permits and discharges: permits per site, outlet limits (GB 26451 as cited
data), monitoring results against limits, exceedances and compliance rates.
"""
