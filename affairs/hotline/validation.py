"""What the hotline centre sends us, checked field by field before anything is written.

The push, the return visit and each row of a batch import go through these serializers, so a
hostile or broken body (huge strings, wrong types, impossible dates) is a 400 naming the field.
"""

from __future__ import annotations

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from affairs.hotline.models import HotlineTicket

TICKET_NO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
PHONE = re.compile(r"^\+?[0-9][0-9\- ]{2,29}$")


class StrictCharField(serializers.CharField):
    """A string, and only a string: a number or a list where text belongs is an error."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFloatField(serializers.FloatField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        if not isinstance(value, str) or len(value) > 40:
            self.fail("invalid", format="ISO 8601")
        return super().to_internal_value(value)


def _ticket_no_field() -> StrictCharField:
    return StrictCharField(
        max_length=64,
        validators=[RegexValidator(TICKET_NO, _("Letters, digits, '-' and '_' only, at most 64."))],
    )


class TicketPushInput(serializers.Serializer):
    ticket_no = _ticket_no_field()
    category = StrictCharField(max_length=100)
    content = StrictCharField(max_length=5000)
    address = StrictCharField(max_length=255, required=False, allow_blank=True, default="")
    caller_name = StrictCharField(max_length=50, required=False, allow_blank=True, default="")
    caller_phone = StrictCharField(
        max_length=30,
        required=False,
        allow_blank=True,
        default="",
    )
    received_at = StrictDateTimeField()
    deadline = StrictDateTimeField()
    longitude = StrictFloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    latitude = StrictFloatField(required=False, allow_null=True, min_value=-90, max_value=90)

    def validate_caller_phone(self, value: str) -> str:
        # Checked here rather than as a pattern: the field may be blank.
        if value and not PHONE.match(value):
            raise serializers.ValidationError(_("Enter a phone number."))
        return value

    def validate(self, attrs):
        if attrs["deadline"] <= attrs["received_at"]:
            raise serializers.ValidationError(
                {"deadline": [_("The deadline must be after the time received.")]}
            )
        if (attrs.get("longitude") is None) != (attrs.get("latitude") is None):
            raise serializers.ValidationError(
                {"latitude": [_("Give both longitude and latitude, or neither.")]}
            )
        return attrs


class ReturnVisitInput(serializers.Serializer):
    ticket_no = _ticket_no_field()
    # The centre's own number for this visit: a visit sent again (a retry, or a captured request
    # replayed within the signature's window) is recognised by it and changes nothing.
    visit_no = _ticket_no_field()
    result = serializers.ChoiceField(choices=HotlineTicket.ReturnVisit.choices)
    comment = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")
    deadline = StrictDateTimeField(required=False, allow_null=True, default=None)


def checked(serializer_class, data) -> dict:
    """The validated values, or a 400 in the one error shape (the body must be a JSON object)."""
    if not isinstance(data, dict):
        raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
