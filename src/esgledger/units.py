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

from esgledger.errors import EsgError

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.load_definitions(str(files("esgledger") / "units.txt"))
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
        raise UnitError(f"{text!r} names several units; give one unit per value")
    if cleaned in ("", "1", "dimensionless"):
        return ureg.dimensionless
    try:
        return ureg.parse_units(_pint_spelling(cleaned))
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError) as exc:
        # pint raises several error types for unreadable text; to a user they are one mistake.
        raise UnitError(
            f"unknown unit {text!r}; write it as pint understands it "
            "(e.g. MWh, kWh, t, kg, m3, 10^4 m3, Nm3, tce, tCO2e, tREO, CNY, %)"
        ) from exc


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
            raise UnitError(
                f"{from_unit!r} and {to_unit!r}: a volume of gas needs its reference "
                "conditions; write Nm3 (0 °C, 101.325 kPa), Sm3 (20 °C, 101.325 kPa) or scf "
                "(60 °F, 14.696 psia), or 10^4 Nm3"
            ) from exc
        raise UnitError(
            f"unit {from_unit!r} cannot be converted to {to_unit!r} "
            f"({exc.dim1} is not {exc.dim2}); give the value in {to_unit} or a unit of "
            "the same kind"
        ) from exc
    # Round away binary noise (ML -> m3 gives 1000.0000000000002) so that sums stay exact.
    return float(f"{factor:.15g}")


def is_known_unit(text: str) -> bool:
    """True when ``text`` is a unit the registry reads (used when validating the catalog)."""
    try:
        parse_unit(text)
    except UnitError:
        return False
    return True
