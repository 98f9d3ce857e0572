"""Data requests: which inputs each entity owes per period (obligations, from the catalog,
the entity's kind, segment and tags, and editable per-entity overrides), campaigns with due
dates, owners, reminders and escalation, and completeness against what is owed.
"""
