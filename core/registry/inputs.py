"""Checks the register's services make on what they are given: unknown fields, dates in the
future, and the actor recorded on a row."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.api.errors import field_error, invalid_fields


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
