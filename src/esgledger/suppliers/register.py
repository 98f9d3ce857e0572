"""The supplier register (``suppliers.register``): one record per supplier, key = its code.

A supplier is checked whole before it is written (names, the unified social credit code
with its check character, category, status, spend, the buying entity), so a refused edit
changes nothing; edits name the version they were made from (``expected_version``), so two
people editing one supplier cannot overwrite each other unseen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.records import RecordChange, append_records

REGISTER = "suppliers.register"
CATEGORIES = (
    "bulk_raw_material", "critical_equipment", "auxiliary_material", "energy",
    "logistics", "services",
)  # fmt: skip
STATUSES = ("candidate", "approved", "conditional", "suspended", "exited")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
# GB 32100-2015: 18 characters from this alphabet, the last a check character.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Supplier:
    code: str
    name_zh: str
    name_en: str
    credit_code: str
    category: str
    region: str
    material: str
    spend: float  # CNY a year
    status: str
    entity: str  # the buying entity
    email: str = ""

    def name(self, lang: str) -> str:
        return (self.name_zh if lang == "zh" else self.name_en) or self.name_zh or self.name_en

    def payload(self) -> dict[str, Any]:
        return asdict(self)


def credit_check_character(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015, 3^i mod 31)."""
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def valid_credit_code(code: str) -> bool:
    return (
        len(code) == 18
        and all(c in CREDIT_ALPHABET for c in code)
        and credit_check_character(code[:17]) == code[17]
    )


def _bad(field: str, value: object, code: str) -> EsgError:
    return EsgError.coded(code, field=field, value=value)


def parse_supplier(fields: Mapping[str, Any], entities: Iterable[str]) -> Supplier:
    """A supplier from form, workbook or API fields.

    Raises:
        EsgError: the first field that is wrong, named, with what to write instead.
    """
    text = {k: str(v if v is not None else "").strip() for k, v in fields.items()}
    code = text.get("code", "")
    if not CODE.match(code):
        raise _bad("code", code, "supplier_q.bad_code")
    if not (text.get("name_zh") or text.get("name_en")):
        raise _bad("name_zh", "", "supplier_q.bad_name")
    credit = text.get("credit_code", "").upper()
    if credit and not valid_credit_code(credit):
        raise _bad("credit_code", credit, "supplier_q.bad_credit_code")
    for field, allowed in (("category", CATEGORIES), ("status", STATUSES)):
        if text.get(field) not in allowed:
            raise EsgError.coded(
                "supplier_q.bad_choice", field=field, value=text.get(field, ""),
                known=", ".join(allowed),
            )  # fmt: skip
    spend = _spend(text.get("spend", ""))
    known = set(entities)
    if text.get("entity") not in known:
        raise EsgError.coded(
            "supplier_q.bad_entity", value=text.get("entity", ""), known=", ".join(sorted(known))
        )
    email = text.get("email", "")
    if email and not EMAIL.match(email):
        raise _bad("email", email, "supplier_q.bad_email")
    return Supplier(
        code, text.get("name_zh", ""), text.get("name_en", ""), credit, text["category"],
        text.get("region", ""), text.get("material", ""), spend, text["status"],
        text["entity"], email,
    )  # fmt: skip


def _spend(value: str) -> float:
    try:
        spend = float(value.replace(",", "")) if value else 0.0
    except ValueError:
        raise _bad("spend", value, "supplier_q.bad_spend") from None
    if spend < 0 or spend != spend:
        raise _bad("spend", value, "supplier_q.bad_spend")
    return spend


def save_suppliers(
    session: Session,
    suppliers: list[Supplier],
    *,
    actor: str,
    versions: Mapping[str, int] | None = None,
    reason: str | None = None,
) -> None:
    """Write the suppliers in one sealed append (the caller commits).

    ``versions`` gives, per code, the version the edit was made from (0: a new supplier).
    """
    versions = versions or {}
    changes = [
        RecordChange(s.code, s.payload(), entity=s.entity, expected_version=versions.get(s.code))
        for s in suppliers
    ]
    append_records(session, REGISTER, changes, actor=actor, action="suppliers.save", reason=reason)


def _supplier(record: RecordView) -> Supplier:
    payload = record.payload
    return Supplier(**{k: payload.get(k, "") for k in Supplier.__dataclass_fields__})


def list_suppliers(
    session: Session, entities: Iterable[str] | None = None
) -> list[tuple[Supplier, int]]:
    """Every current supplier with its record version, by code."""
    scope = list(entities) if entities is not None else None
    return [(_supplier(r), r.version) for r in current_records(session, REGISTER, entities=scope)]


def get_supplier(session: Session, code: str) -> tuple[Supplier, int]:
    """Raises: EsgError ``supplier_q.unknown_supplier``."""
    record = current_record(session, REGISTER, code)
    if record is None or record.retired:
        raise EsgError.coded("supplier_q.unknown_supplier", code=code)
    return _supplier(record), record.version
