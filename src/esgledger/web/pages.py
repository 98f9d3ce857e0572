"""HTML pages of the web UI, one module per area, all built on the services the API uses.

Each page names its JSON twin under /api/v1 in a ``<link rel="alternate">``; errors are
rendered by :mod:`esgledger.web.errors` from the same body the API would return.
"""

from __future__ import annotations

from fastapi import APIRouter

from esgledger.web import (
    assurance_item_pages,
    assurance_pages,
    audit_page,
    carbon_assets_pages,
    climate_form,
    climate_pages,
    climate_scenarios_page,
    collection_pages,
    dashboard_page,
    entry_pages,
    evidence_pages,
    explain_page,
    footprint_pages,
    home_page,
    jobs_pages,
    ledger_pages,
    materiality_page,
    monitoring_pages,
    narrative_pages,
    obligation_pages,
    pact_page,
    pathways_page,
    permits_pages,
    registers_page,
    report_page,
    restate_page,
    review_pages,
    safety_pages,
    session_pages,
    supplier_pages,
    supplier_q_page,
    survey_page,
    targets_pages,
    template_pages,
    thread_pages,
    user_pages,
)

router = APIRouter(include_in_schema=False)
for module in (
    session_pages,
    dashboard_page,
    home_page,
    thread_pages,
    entry_pages,
    review_pages,
    ledger_pages,
    audit_page,
    explain_page,
    targets_pages,
    pathways_page,
    registers_page,
    pact_page,
    climate_scenarios_page,
    climate_form,
    climate_pages,
    footprint_pages,
    materiality_page,
    survey_page,
    supplier_pages,
    supplier_q_page,
    report_page,
    jobs_pages,
    restate_page,
    monitoring_pages,
    permits_pages,
    carbon_assets_pages,
    safety_pages,
    user_pages,
    collection_pages,
    obligation_pages,
    evidence_pages,
    template_pages,
    assurance_pages,
    assurance_item_pages,
    narrative_pages,
):
    router.include_router(module.router)
