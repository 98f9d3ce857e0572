"""The product footprints page: every product of the configured product systems
(``ESGLEDGER_PRODUCTS``, a folder of YAML files) computed from the ledger's approved values,
with contribution charts by process and by gas for the chosen product.

The footprints come from :func:`esgledger.products.service.ledger_footprints`, as
``esgledger footprint compute`` computes them; results are kept per ledger version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from esgledger.auth.roles import SEES_ALL
from esgledger.calc.cache import ledger_version
from esgledger.engine.methodset import DEFAULT_METHOD_SET, get_method_sets
from esgledger.errors import EsgError, NotFoundError
from esgledger.products.compute import FootprintResult
from esgledger.products.explain import gas_shares, process_shares
from esgledger.products.loading import read_system
from esgledger.products.model import Allocation, ProductSystem
from esgledger.products.service import ledger_footprints
from esgledger.web.plan_sources import factor_files, memo
from esgledger.web.render import Env, PageEnv

router = APIRouter()
DRAWS, SEED = 500, 20240101


@router.get("/footprints", response_class=HTMLResponse)
def footprints_page(
    env: Env, year: int | None = None, allocation: str | None = None, product: str | None = None
) -> HTMLResponse:
    """Each product's footprint per kg; the chosen one's contributions as bar charts."""
    if not env.can(frozenset(SEES_ALL)):
        raise NotFoundError.coded("page.footprints_group_only")
    folder = env.request.app.state.settings.products
    if folder is None or not Path(folder).is_dir():
        return env.render("footprints.html", problem=env.t("products.not_configured"))
    chosen = Allocation(allocation) if allocation in {a.value for a in Allocation} else None
    years = sorted({int(y) for y in _years(env)}, reverse=True)
    year = year if year in years else (years[0] if years else None)
    try:
        systems = [
            read_system(p)
            for p in sorted(Path(folder).glob("*.yaml"))
            if p.name != "supplier_footprints.yaml"
        ]
        results = _footprints(env, systems, year, chosen) if year else []
    except EsgError as exc:
        return env.render("footprints.html", problem=exc.render(env.lang))
    rows = [_row(env, system, result) for system, result in results]
    selected = next((r for r in results if r[1].footprint.product_id == product), None)
    selected = selected or (results[0] if results else None)
    return env.render(
        "footprints.html",
        problem=None,
        rows=rows,
        years=years,
        year=year,
        allocation=chosen.value if chosen else "",
        allocations=[a.value for a in Allocation],
        detail=_detail(env, *selected) if selected else None,
    )


def _years(env: PageEnv) -> list[str]:
    from esgledger.ledger.calendar import reporting_years

    return [str(y) for y in reporting_years(env.session)]


def _footprints(env: PageEnv, systems: list[ProductSystem], year: int, chosen):
    key = (ledger_version(env.session), year, chosen, tuple(s.source_file for s in systems))

    def compute() -> list[tuple[ProductSystem, FootprintResult]]:
        method = get_method_sets(DEFAULT_METHOD_SET)[0]
        found = []
        for system in systems:
            results = ledger_footprints(
                env.session,
                [system],
                env.catalog,
                method,
                year,
                factor_files=factor_files(env),
                allocation=chosen,
                draws=DRAWS,
                seed=SEED,
            )
            found.extend((system, result) for result in results)
        return found

    return memo(env.request, "footprints").get(key, compute)


def _row(env: PageEnv, system: ProductSystem, result: FootprintResult) -> dict[str, Any]:
    fp = result.footprint
    quality = fp.data_quality
    return {
        "product": fp.product_id,
        "name": fp.name_zh if env.lang == "zh" else fp.name_en,
        "entity": fp.entity,
        "value": fp.fossil.magnitude,
        "low": result.spread.p2_5 if result.spread else None,
        "high": result.spread.p97_5 if result.spread else None,
        "primary": fp.primary_data_share,
        "dqr": sum(quality.values()) / len(quality) if quality else None,
        "allocation": env.t(f"products.allocation.{fp.allocation}"),
        "system": getattr(system.name, env.lang),
    }


def _detail(env: PageEnv, system: ProductSystem, result: FootprintResult) -> dict[str, Any]:
    names = {p.id: getattr(p.name, env.lang) for p in system.processes}
    fp = result.footprint
    return {
        "product": fp.product_id,
        "name": fp.name_zh if env.lang == "zh" else fp.name_en,
        "value": fp.fossil.magnitude,
        "by_process": [_bar(names.get(s.name, s.name), s) for s in process_shares(result)],
        "by_gas": [_bar(s.name, s) for s in gas_shares(result)],
        "quality": [(env.t(f"products.dqr.{k}"), v) for k, v in fp.data_quality.items()],
        "observations": len(result.lineage.observations),
        "snapshot": result.lineage.snapshot_hash[:12],
        "gwp": ", ".join(fp.ipcc_characterization),
        "biogenic": fp.biogenic_note_zh if env.lang == "zh" else fp.biogenic_note,
    }


def _bar(label: str, share) -> dict[str, Any]:
    return {
        "label": label,
        "value": share.kg_co2e,
        "share": share.share,
        "width": min(100.0, abs(share.share) * 100),
        "credit": share.kg_co2e < 0,
    }
