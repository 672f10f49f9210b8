"""Helpers shared by the register's services: scope checks on referenced rows and audit diffs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.api.errors import NOT_FOUND_IN_PAYLOAD as NOT_FOUND_MESSAGE
from core.api.errors import field_error, invalid_fields
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


def today() -> date:
    return timezone.localdate()


def check_not_future(field: str, value: date | None) -> None:
    if value and value > today():
        raise field_error(field, _("The date is in the future."))


def reject_unknown(data: dict, allowed) -> None:
    """400 naming every field the service does not let the caller set (no silent mass assignment)."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise invalid_fields(dict.fromkeys(unknown, _("This field cannot be set.")))


def user_or_none(actor):
    """The actor as a foreign key value: system work (no actor, or an anonymous one) records none."""
    return actor if getattr(actor, "pk", None) else None


def scoped(queryset: models.QuerySet, actor, permission: str) -> models.QuerySet:
    """Rows the actor may act on with `permission`. System work (actor None) and superusers see all."""
    if actor is None or getattr(actor, "is_superuser", False):
        return queryset
    return queryset.visible_to(actor, permission)


def get_in_scope(queryset: models.QuerySet, pk: Any, *, actor, permission: str, field: str):
    """The row with this pk if the actor may use it, else a field error saying it was not found."""
    if isinstance(pk, models.Model):
        pk = pk.pk
    try:
        return scoped(queryset, actor, permission).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise field_error(field, NOT_FOUND_MESSAGE) from None


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
