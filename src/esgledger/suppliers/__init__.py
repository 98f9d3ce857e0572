"""Suppliers: the supplier register, questionnaires answered through signed links, scores,
admission decisions and annual classes, and supplier-specific figures for Scope 3
category 1 (hybrid method)."""
