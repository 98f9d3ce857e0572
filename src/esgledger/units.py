"""The one unit registry of esgledger.

Every value enters the ledger with its unit and is converted through this registry into
its indicator's unit; an incompatible unit is an error, never a silent cast. Domain units
(tce, kgce, tREO, tCO2e, 10^4 m3, CNY) are defined in ``units.txt`` beside this module.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

import pint
import yaml

from esgledger.errors import EsgError, Phrase


def _registry(cache_folder: str | None) -> pint.UnitRegistry:
    registry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=cache_folder)
    registry.load_definitions(str(files("esgledger") / "units.txt"))
    return registry


def build_registry(cache_folder: str | None = ":auto:") -> pint.UnitRegistry:
    """The registry, with its parsed definitions kept in pint's disk cache.

    Parsing pint's and our definitions takes about 0.15 s of every command's start; read
    back from the cache it takes about 0.02 s. The cache is only a copy: pint writes its files
    in place, so a file half written by a concurrent process, a read-only home folder or a
    cache of another pint version must never stop esgledger. Any failure of the cached
    build falls back to parsing the definitions, which raises the real error if they are
    wrong."""
    try:
        return _registry(cache_folder)
    except Exception:  # the cache is optional, see the docstring; the plain build decides
        return _registry(None)


ureg = build_registry()
Q_ = ureg.Quantity

# Spellings people type in spreadsheets that pint's grammar does not read as intended.
_SPELLINGS = {
    "10^4 m3": "wan_m3",
    "10^4m3": "wan_m3",
    "万立方米": "wan_m3",
    "万m3": "wan_m3",
    "10^4 t": "wan_t",
    "万吨": "wan_t",
    "10^4 tce": "wan_tce",
    "万吨标准煤": "wan_tce",
    "吨标准煤": "tce",
    "10^4 CNY": "wan_CNY",
    "万元": "wan_CNY",
    "元": "CNY",
    "吨": "t",
    "%": "percent",
    "‰": "permille",
    "m³": "m3",
    "Nm³": "Nm3",
    "ft3": "ft**3",
    "ft³": "ft**3",
    "10^4 Nm3": "wan_Nm3",
    "10^4Nm3": "wan_Nm3",
    "tCO2": "tCO2e",
    "ML": "megaliter",
    "person-times": "person_time",
}
_SQUARE_OR_CUBIC_METRE = re.compile(r"\bm([23])\b")


class UnitError(EsgError):
    """A unit that the registry cannot read, or that cannot express the indicator's unit."""


@lru_cache(maxsize=512)
def parse_unit(text: str) -> pint.Unit:
    """Read a unit as users write it (``MWh``, ``10^4 m3``, ``kgce/tREO``, ``万元``).

    >>> str(parse_unit("10^4 m3"))
    'wan_m3'
    >>> str(parse_unit("kgce/tREO"))
    'kgce / tREO'
    """
    cleaned = _SPELLINGS.get(text.strip(), text.strip())
    if ";" in cleaned:  # pint would read ';' as a product; a unit list is a user's mistake
        raise UnitError.coded("unit.several", text=text)
    if cleaned in ("", "1", "dimensionless"):
        return ureg.dimensionless
    try:
        return ureg.parse_units(_pint_spelling(cleaned))
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError) as exc:
        # pint raises several error types for unreadable text; to a user they are one mistake.
        raise UnitError.coded("unit.unknown", text=text) from exc


_TEN_THOUSANDS = re.compile(r"10\^4\s*(tce|tCO2e|Nm3|m3|CNY|t)\b")


def _pint_spelling(text: str) -> str:
    """Read ``10^4 m3`` and ``m3`` inside compound units (``GJ/(10^4 m3)``, ``m3/tREO``).

    ``m3`` becomes pint's ``m**3`` without touching ``CO2``; ``10^4 X`` becomes ``wan_X``.
    """
    text = _TEN_THOUSANDS.sub(r"wan_\1", text)
    return _SQUARE_OR_CUBIC_METRE.sub(r"m**\1", text)


# an amount of gas at reference conditions, and a geometric volume: never converted
_GAS_AND_VOLUME = {ureg.Unit("Nm3").dimensionality, ureg.Unit("m**3").dimensionality}


@lru_cache(maxsize=2048)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Multiplier that turns a value in ``from_unit`` into ``to_unit``.

    Raises:
        UnitError: the units measure different things (say m3 for an indicator in MWh).

    >>> conversion_factor("kWh", "MWh")
    0.001
    >>> round(conversion_factor("10^4 m3", "m3"))
    10000
    """
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    try:
        factor = float(Q_(1.0, source).to(target).magnitude)
    except pint.errors.DimensionalityError as exc:
        if {source.dimensionality, target.dimensionality} == _GAS_AND_VOLUME:
            raise UnitError.coded("unit.gas_conditions", given=from_unit, target=to_unit) from exc
        raise UnitError.coded("unit.incompatible", **mismatch(from_unit, to_unit)) from exc
    # Round away binary noise (ML -> m3 gives 1000.0000000000002) so that sums stay exact.
    return float(f"{factor:.15g}")


def is_known_unit(text: str) -> bool:
    """True when ``text`` is a unit the registry reads (used when validating the catalog)."""
    try:
        parse_unit(text)
    except UnitError:
        return False
    return True


@lru_cache(maxsize=1)
def _kinds() -> dict[str, dict]:
    """``kind -> {dimensionality, examples}`` from ``unit_kinds.yaml``."""
    data = yaml.safe_load((files("esgledger") / "unit_kinds.yaml").read_text(encoding="utf-8"))
    return {
        kind: {"dimensionality": parse_unit(entry["unit"]).dimensionality, **entry}
        for kind, entry in data.items()
    }


def unit_kind(text: str) -> str:
    """What a unit measures, as a ``unit_kinds.yaml`` name ("mass", "volume"), or "other"."""
    dimensionality = parse_unit(text).dimensionality
    for kind, entry in _kinds().items():
        if entry["dimensionality"] == dimensionality:
            return kind
    return "other"


def unit_examples(text: str) -> tuple[str, ...]:
    """Units of the same kind as ``text`` to suggest writing, ``text`` itself first."""
    entry = _kinds().get(unit_kind(text), {"examples": []})
    return tuple(dict.fromkeys([text, *entry["examples"]]))


def mismatch(given: str, target: str) -> dict[str, object]:
    """The parameters of a "cannot be converted" message: both units, their kinds in plain
    words (never pint's ``[length] ** 3``), and units to write instead."""
    return {
        "given": given,
        "target": target,
        "given_kind": Phrase.of(f"unit_kind.{unit_kind(given)}"),
        "target_kind": Phrase.of(f"unit_kind.{unit_kind(target)}"),
        "examples": unit_examples(target),
    }


# Units offered beside an indicator's own: the same kind and the habits of Chinese reports.
UNIT_FAMILIES = (
    ("MWh", "kWh", "GWh"),
    ("GJ", "MJ", "TJ"),
    ("tce", "kgce", "10^4 tce"),
    ("t", "kg", "10^4 t"),
    ("m3", "10^4 m3"),
    ("Nm3", "10^4 Nm3", "Sm3", "scf"),
    ("tCO2e", "kgCO2e", "10^4 tCO2e"),
    ("tREO", "kgREO"),
    ("CNY", "10^4 CNY"),
)


def unit_choices(unit: str) -> list[tuple[str, float]]:
    """(unit, factor into ``unit``) for the select beside a field; its own unit first."""
    family = next((f for f in UNIT_FAMILIES if unit in f), (unit,))
    choices = [(unit, 1.0)]
    for other in family:
        if other != unit:
            try:
                choices.append((other, conversion_factor(other, unit)))
            except UnitError:
                continue
    return choices
