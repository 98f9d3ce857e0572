"""The demo's assurance engagement in progress (``data/assurance.yaml``): what an external
auditor who logs in to the demo finds a few weeks into fieldwork.

It goes through the same functions as the assurance pages: the engagement is checked and
stored, the sample drawn with its seed (so it is drawn again the same way), tick marks put
on the first items, a query asked to the smelter's reporter (who answers it, with a notice in
the inbox), and a finding raised.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import yaml
from sqlalchemy import Engine

from esgledger.assurance.service import create_engagement, draw_sample, notify_query
from esgledger.assurance.workpapers import answer, ask, mark_item, raise_finding
from esgledger.auth.service import get_user, principal_of
from esgledger.catalog.registry import Catalog
from esgledger.ledger.database import unit_of_work
from esgledger.settings import Settings

AUDITOR = "auditor"


def spec() -> dict[str, Any]:
    text = (files("esgledger.demo") / "data" / "assurance.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def load_demo_engagement(database: Engine, catalog: Catalog, factor_files: list[str]) -> int:
    """Write the engagement and its workpapers; how many values were sampled."""
    data = spec()
    code = data["engagement"]["code"]
    settings = Settings(factor_files=factor_files)
    with unit_of_work(database) as session:
        auditor = principal_of(session, get_user(session, AUDITOR))
        create_engagement(session, auditor, catalog, data["engagement"])
        sample = draw_sample(session, auditor, settings, code, **data["sample"])
        items = sample.payload["items"]
        for item, ticks in zip(items, data["ticked"], strict=False):
            mark_item(session, auditor, code, item, ticks)
        asked = data["query"]
        about = next(i for i in items[len(data["ticked"]) :] if i["entity"] == asked["entity"])
        query = ask(session, auditor, code, about, asked["recipient"], asked["question"])
        notify_query(session, query, AUDITOR)
        reporter = principal_of(session, get_user(session, asked["recipient"]))
        answer(session, reporter, query.key, asked["answer"])
        finding = data["finding"]
        raise_finding(session, auditor, code, items[finding["item"] - 1],
                      finding["severity"], finding["title"])  # fmt: skip
    return len(items)
