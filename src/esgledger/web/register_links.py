"""The pages the menu's one "Registers" entry leads to (web/registers_page.py lists them;
the entry is shown as current on any of them)."""

from __future__ import annotations

from esgledger.auth.roles import SEES_ALL

# (title key, description key, path, who may open it: None = every logged-in user)
REGISTER_PAGES = (
    ("registers.materiality.title", "registers.materiality.text", "/materiality", SEES_ALL),
    ("registers.climate.title", "registers.climate.text", "/climate", None),
    ("registers.safety.title", "registers.safety.text", "/safety", None),
    ("registers.permits.title", "registers.permits.text", "/permits", None),
    ("registers.carbon.title", "registers.carbon.text", "/carbon-assets", None),
    ("registers.monitoring.title", "registers.monitoring.text", "/monitoring", None),
    ("registers.footprints.title", "registers.footprints.text", "/footprints", SEES_ALL),
    ("registers.pact.title", "registers.pact.text", "/pact-exchange", SEES_ALL),
    ("registers.suppliers.title", "registers.suppliers.text", "/suppliers", SEES_ALL),
    ("registers.assurance.title", "registers.assurance.text", "/assurance", None),
    ("registers.jobs.title", "registers.jobs.text", "/jobs", None),
    ("registers.campaigns.title", "registers.campaigns.text", "/campaigns", SEES_ALL),
    ("registers.evidence.title", "registers.evidence.text", "/evidence", None),
    ("narr.register_title", "narr.register_text", "/narrative", None),
)
REGISTER_PATHS = tuple(path for _, _, path, _ in REGISTER_PAGES)
