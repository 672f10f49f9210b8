"""Check the fields an event type asks for (EventType.form_fields)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.api.errors import ApplicationError, CommonError, field_error
from core.extensions.contributions import EventType, FormField

MAX_FORM_KEYS = 50


def _clean_value(field: FormField, value):
    if field.kind == "text":
        if not isinstance(value, str) or len(value) > field.max_length:
            raise ValueError(_("Enter text of at most %(n)s characters.") % {"n": field.max_length})
        return value
    if field.kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(_("Enter a whole number."))
        return int(value)
    if field.kind == "decimal":
        try:
            return str(Decimal(str(value)))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
    if field.kind == "date":
        return datetime.date.fromisoformat(str(value)).isoformat()
    if field.kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(_("Enter true or false."))
        return value
    if field.kind == "choice":
        if value not in {key for key, _label in field.choices}:
            raise ValueError(_("Choose one of the offered values."))
        return value
    raise ValueError(_("Unsupported field."))


def clean_form_data(kind: EventType, data: dict) -> dict:
    if not isinstance(data, dict) or len(data) > MAX_FORM_KEYS:
        raise field_error("form_data", _("The details are not valid."))
    declared = {field.name: field for field in kind.form_fields}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - set(declared))
    for name in unknown:
        errors[f"form_data.{name}"] = [_("This event type has no such field.")]
    cleaned = {}
    for name, field in declared.items():
        value = data.get(name)
        if value in (None, ""):
            if field.required:
                errors[f"form_data.{name}"] = [_("This field is required.")]
            continue
        try:
            cleaned[name] = _clean_value(field, value)
        except (ValueError, TypeError) as error:
            errors[f"form_data.{name}"] = [str(error) or _("Enter a valid value.")]
    if errors:
        raise ApplicationError(_("The submitted data is not valid."), code=CommonError.INVALID, fields=errors)
    return cleaned
