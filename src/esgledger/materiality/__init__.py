"""Double materiality: the topic library, the stakeholder survey answered by signed link,
impact and financial scoring, the matrix and its tiers (issue: management registers).
"""
