"""What the register's audit rows record of a change: the before and after of each auditable field,
personal data only through its masked column, a minor's name and a birth date only as "changed"."""

from __future__ import annotations

from typing import Any

from django.db import models

from core.audit.services import audit_record
from core.pii.masking import mask_name
from core.registry.minors import is_minor

# Never in an audit row: ciphertext and blind indexes (the masked columns say what changed).
_SECRET_SUFFIXES = ("_encrypted", "_index")
# Derived from the name, so they would spell out a minor's masked name: never audited.
_DERIVED_FIELDS = {"name_pinyin", "name_initials"}
# Audited as "changed" only: the date itself stays out of the log.
_CHANGED_ONLY_FIELDS = {"birth_date"}
HIDDEN_VALUE = "***"


class _Redacted:
    """A value compared by what it is but written to the audit log as `shown`, so a diff still
    notices that a minor's name or a birth date changed without recording either."""

    __slots__ = ("shown", "value")

    def __init__(self, value: Any, shown: str):
        self.value, self.shown = value, shown

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Redacted) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)


def auditable_fields(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key
        and not f.attname.endswith(_SECRET_SUFFIXES)
        and f.attname not in {"created_at", "updated_at", *_DERIVED_FIELDS}
    ]


def snapshot(obj: models.Model) -> dict[str, Any]:
    values = {name: getattr(obj, name) for name in auditable_fields(type(obj))}
    if values.get("name") and is_minor(values.get("birth_date")):
        values["name"] = _Redacted(values["name"], mask_name(values["name"]))
    for name in _CHANGED_ONLY_FIELDS & values.keys():
        if values[name] is not None:
            values[name] = _Redacted(values[name], HIDDEN_VALUE)
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, _Redacted):
        return value.shown
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def removed(before: dict[str, Any]) -> dict[str, dict]:
    """The audit diff of a row that is deleted: every field's old value, new None."""
    return {
        name: {"old": _plain(value), "new": None} for name, value in before.items() if value not in (None, "")
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict]:
    """{field: {"old": …, "new": …}} for what changed (the audit log's shape); personal data
    appears only through its masked column."""
    return {
        name: {"old": _plain(before.get(name)), "new": _plain(value)}
        for name, value in after.items()
        if before.get(name) != value
    }


def audit_write(
    *,
    actor,
    action: str,
    target: models.Model,
    changes: dict | None = None,
    request=None,
    extra: dict | None = None,
):
    return audit_record(
        actor=actor, action=action, target=target, changes=changes or {}, request=request, extra=extra
    )
