"""Assurance: engagements (ISAE 3000 / 3410), sampling, workpapers, sign-off, the package.

The auditor's work lives in the ``assurance.*`` registers (ledger records): engagements
(``engagements``), samples (``sampling``, ``population``), tick marks, queries and findings
(``workpapers``), sign-offs (``signoff``) and the exported package with its proof
(``package``, ``proof``). Nothing here writes values.
"""
