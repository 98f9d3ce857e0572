"""The report's permits and discharge compliance section: the permits register's summary of
the year (:func:`esgledger.permits.discharge_summary`), with the names of sites and
pollutants in both languages so that the template only chooses one."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from esgledger.ledger.orgstore import load_org
from esgledger.permits import discharge_summary
from esgledger.permits.catalogue import pollutants


def permit_facts(session: Session, year: int) -> dict[str, Any]:
    """Counts, compliance rates per pollutant, site and group, and exceedances of ``year``."""
    summary = asdict(discharge_summary(session, year))
    org, names = load_org(session), pollutants()
    for row in summary["by_pollutant"]:
        row["name"] = {"en": names[row["pollutant"]].name_en, "zh": names[row["pollutant"]].name_zh}
    for row in summary["by_site"]:
        site = org.get(row["entity"]) if row["entity"] in org else None
        row["name"] = {lang: site.name(lang) if site else row["entity"] for lang in ("en", "zh")}
    return summary
