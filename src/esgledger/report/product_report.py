"""The EPD-style product report: one product's footprint with its boundary, allocation,
contributions, data quality and primary-data share, in Chinese or English, as a PDF through
the report's WeasyPrint path (report/pdf.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from esgledger.products.compute import FootprintResult
from esgledger.products.explain import gas_shares, process_shares
from esgledger.products.footprint import ComputedFootprint
from esgledger.products.model import ProductSystem
from esgledger.report.pdf import html_to_pdf

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Row:
    label: str
    kg_co2e: float
    share: float


@cache
def labels(lang: str) -> dict[str, Any]:
    data = yaml.safe_load((HERE / "data" / "product_epd_labels.yaml").read_text(encoding="utf-8"))
    return data[lang]


def product_report_html(system: ProductSystem, result: FootprintResult, lang: str) -> str:
    """The report as one self-contained HTML page."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(HERE / "templates" / "product"),
        autoescape=select_autoescape(["html"]),
    )
    return env.get_template("epd.html").render(**_context(system, result, lang))


def product_report_pdf(system: ProductSystem, result: FootprintResult, lang: str) -> bytes:
    return html_to_pdf(product_report_html(system, result, lang))


def _context(system: ProductSystem, result: FootprintResult, lang: str) -> dict[str, Any]:
    t, fp = labels(lang), result.footprint
    names = {p.id: getattr(p.name, lang) for p in system.processes}
    observations = result.lineage.observations
    entities = sorted({o.entity for o in observations}) or ["-"]
    return {
        "lang": lang,
        "t": t,
        "fp": fp,
        "name": fp.name_zh if lang == "zh" else fp.name_en,
        "entity_name": fp.entity,
        "spread": _spread(t, result),
        "processes": [names[p.id] for p in system.processes],
        "tables": [
            (
                t["by_process"],
                t["process"],
                [
                    Row(names.get(s.name, s.name), s.kg_co2e, s.share)
                    for s in process_shares(result)
                ],
            ),
            (t["by_gas"], t["gas"], [Row(s.name, s.kg_co2e, s.share) for s in gas_shares(result)]),
        ],
        "ledger_rows": t["ledger_rows"].format(
            count=len(observations),
            entities=", ".join(entities),
            digest=result.lineage.snapshot_hash[:12] or "-",
        ),
        "sources": [*system.sources, *(row.citation for row in result.lineage.factors)],
        "gwp": t["gwp"].format(
            reports=", ".join(fp.ipcc_characterization) or "-", dataset=system.gwp_dataset
        ),
        "biogenic": fp.biogenic_note_zh if lang == "zh" else fp.biogenic_note,
        "carbon": _carbon(t, fp),
        "system_name": getattr(system.name, lang),
        "system_file": Path(system.source_file).name,
    }


def _carbon(t: dict[str, Any], fp: ComputedFootprint) -> str:
    """The carbon held in the product, as its system declares it; nothing when unknown."""
    if fp.fossil_carbon_content is None:
        return ""
    biogenic = fp.biogenic_carbon_content
    return t["carbon_content"].format(
        fossil=f"{fp.fossil_carbon_content.to('kg/kg').magnitude:g}",
        biogenic="-" if biogenic is None else f"{biogenic.to('kg/kg').magnitude:g}",
    )


def _spread(t: dict[str, Any], result: FootprintResult) -> str:
    s = result.spread
    if s is None:
        return ""
    return t["spread"].format(
        draws=s.draws, seed=s.seed, p50=f"{s.p50:.2f}", low=f"{s.p2_5:.2f}", high=f"{s.p97_5:.2f}"
    )
