"""The base of every model that reads what a user sends: API bodies and scenario files.

Pydantic's lax mode takes JSON ``true`` and ``false`` (and YAML ``yes``/``no``) for the
numbers 1 and 0, so ``{"year": false}`` would ask for year 0 and ``{"quantity": true}``
would record one unit. A boolean is accepted only where the field is declared as one.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel, ValidationInfo, field_validator


def _admits_bool(annotation: Any) -> bool:
    return annotation is bool or any(_admits_bool(inner) for inner in get_args(annotation))


class InputModel(BaseModel):
    """A body a user wrote: true/false is refused wherever a number or text is expected."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_boolean_for_other_types(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and not _admits_bool(field.annotation):
            raise ValueError(f"expected a number or text, not {str(value).lower()}")
        return value
