"""Safety risk management: risk points with LEC grading, the four-colour map, hazard
inspections and their rectification loop, drills, incidents and LTIFR.
"""
