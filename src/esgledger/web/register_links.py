"""The pages the menu's one "Registers" entry leads to (web/registers_page.py lists them;
the entry is shown as current on any of them)."""

from __future__ import annotations

from esgledger.auth.roles import SEES_ALL

# (title key, description key, path, who may open it: None = every logged-in user)
REGISTER_PAGES = (
    ("mat.title", "registers.materiality", "/materiality", SEES_ALL),
    ("climate.title", "registers.climate", "/climate", None),
    ("safety.title", "registers.safety", "/safety", None),
    ("permits.title", "registers.permits", "/permits", None),
    ("monitor.title", "registers.monitoring", "/monitoring", None),
    ("products.title", "registers.footprints", "/footprints", SEES_ALL),
    ("pact.title", "registers.pact", "/pact-exchange", SEES_ALL),
    ("jobs.title", "registers.jobs", "/jobs", None),
)
REGISTER_PATHS = tuple(path for _, _, path, _ in REGISTER_PAGES)
