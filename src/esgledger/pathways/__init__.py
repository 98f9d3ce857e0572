"""Pathways: scenarios projected to 2060, peak year, gaps to targets, abatement cost curves."""
