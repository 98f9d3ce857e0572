"""Audit entries as a reader of the page's language reads them.

The log stores each entry's action and detail as codes and JSON (what its hash seals;
the API and the CSV export give them as stored). The page names the action and each
detail field in the page's language; codes it has no name for are shown as stored.
"""

from __future__ import annotations

import json
from typing import Any

from esgledger.web.i18n import Translator, messages

FORM_SOURCE = "form "  # the name ledger.entry.save_form gives a form's values


def named(lang: str, key: str, fallback: str) -> str:
    """The text of ``key`` in ``lang`` (or English), else ``fallback`` as it is."""
    return messages(lang).get(key) or messages("en").get(key) or fallback


def action_label(lang: str, action: str) -> str:
    return named(lang, f"audit.action.{action}", action)


def detail_text(lang: str, t: Translator, detail: str) -> str:
    """``field: value; …`` with the fields named in ``lang`` (roles and statuses too)."""
    try:
        fields = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(fields, dict):
        return detail
    return _fields(lang, t, fields)


def _fields(lang: str, t: Translator, fields: dict[str, Any]) -> str:
    return t("audit.detail_join").join(
        t(
            "audit.detail_pair",
            field=named(lang, f"audit.field.{key}", key),
            value=_value(lang, t, key, value),
        )
        for key, value in fields.items()
    )


def _value(lang: str, t: Translator, key: str, value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, dict):
        return t("audit.detail_nested", fields=_fields(lang, t, value))
    if isinstance(value, list):
        return t("audit.detail_list_join").join(_value(lang, t, key, item) for item in value)
    if key == "role":
        return named(lang, f"role.{value}", str(value))
    if key == "status":
        return named(lang, f"status.{value}", str(value))
    if key == "register":  # a management register (ledger.records): permits.outlets ...
        return named(lang, f"audit.register.{value}", str(value))
    if key == "file" and str(value).startswith(FORM_SOURCE):
        return t("history.form_source", what=str(value)[len(FORM_SOURCE) :])
    return str(value)
