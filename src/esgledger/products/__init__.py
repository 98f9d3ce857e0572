"""Product carbon footprints: product systems as data, matrix LCA (technosphere, biosphere,
characterisation), contribution analysis, Monte Carlo and data quality.
"""
