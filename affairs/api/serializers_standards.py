"""Input and output of the assistance standards, and the parameters each kind may hold."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from affairs.models import AssistanceStandard
from core.api.fields import MaskedTextField
from core.api.serializers import StrictSerializer

MAX_STANDARD = Decimal("100000")


class StandardOutput(serializers.ModelSerializer):
    source = MaskedTextField(allow_blank=True)
    # Null for a built-in standard, which holds everywhere no regional one does.
    region_name = serializers.CharField(source="region.name", default=None, read_only=True, allow_null=True)
    in_force = serializers.SerializerMethodField()
    # The last day it applies: its own end, or the day before a newer standard of the same kind,
    # area and region starts (null while nothing ends it).
    ends_on = serializers.SerializerMethodField()

    class Meta:
        model = AssistanceStandard
        fields = [
            "id",
            "region",
            "region_name",
            "kind",
            "area",
            "amount",
            "parameters",
            "effective_from",
            "effective_to",
            "ends_on",
            "in_force",
            "source",
            "created_at",
        ]

    def get_ends_on(self, standard) -> date | None:
        """Read from `successor_starts_on` (affairs.selectors.with_successor_start)."""
        successor = standard.successor_starts_on
        ends = [d for d in (standard.effective_to, successor and successor - timedelta(days=1)) if d]
        return min(ends) if ends else None

    def get_in_force(self, standard) -> bool:
        today, ends_on = self.context["today"], self.get_ends_on(standard)
        return standard.effective_from <= today and (ends_on is None or ends_on >= today)


def _whole(low: int, high: int):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(_("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high})
        return value

    return check


def _decimal(low: str, high: str):
    def check(value):
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            number = None
        if (
            isinstance(value, bool)
            or number is None
            or not number.is_finite()
            or not Decimal(low) <= number <= Decimal(high)
        ):
            raise ValueError(_("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high})
        return str(number)

    return check


def _grades(value):
    if not isinstance(value, list) or not value or not all(_is_grade(g) for g in value):
        raise ValueError(_("List the disability grades, each from 1 to 4."))
    return sorted(set(value))


def _is_grade(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4


def _bands(value):
    """{"80": "50", "90": "100"}: from each age (60 to 120) the monthly amount."""
    if not isinstance(value, dict) or not value or len(value) > 10:
        raise ValueError(_("Give from 1 to 10 age bands, each an age and its monthly amount."))
    cleaned = {}
    for age, amount in value.items():
        if not str(age).isdigit() or not 60 <= int(age) <= 120:
            raise ValueError(_("Each band starts at an age from 60 to 120."))
        cleaned[str(int(age))] = _decimal("0", "100000")(amount)
    return cleaned


# What each kind's parameters may hold (affairs/eligibility reads them; absent keys take its defaults).
PARAMETERS = {
    "dibao": {"asset_months": _whole(0, 120), "low_income_factor": _decimal("1", "3")},
    "tekun": {"support_age": _whole(14, 25), "elderly_age": _whole(55, 80)},
    "temporary": {"max_months": _whole(1, 24)},
    "disability_living": {},
    "disability_care": {"grades": _grades},
    "longevity": {"bands": _bands},
    "orphan": {"adult_age": _whole(16, 22)},
    "unattended_child": {"adult_age": _whole(16, 22)},
}


def clean_parameters(kind: str, parameters) -> dict:
    """The kind's parameters, checked: every problem named under `parameters.<name>`."""
    if not isinstance(parameters, dict):
        raise serializers.ValidationError({"parameters": [_("Give the parameters as an object.")]})
    rules = PARAMETERS.get(kind, {})
    problems, cleaned = {}, {}
    for name, value in parameters.items():
        if name not in rules:
            problems[f"parameters.{name}"] = [_("This kind of standard has no such parameter.")]
            continue
        try:
            cleaned[name] = rules[name](value)
        except ValueError as error:
            problems[f"parameters.{name}"] = [str(error)]
    if problems:
        raise serializers.ValidationError(problems)
    return cleaned


class StandardInput(StrictSerializer):
    region = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AssistanceStandard.Kind.choices)
    area = serializers.ChoiceField(choices=AssistanceStandard.Area.choices, default="any")
    amount = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=Decimal(0), max_value=MAX_STANDARD
    )
    parameters = serializers.JSONField(default=dict)
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(required=False, allow_null=True, default=None)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["effective_to"] is not None and attrs["effective_to"] < attrs["effective_from"]:
            raise serializers.ValidationError({"effective_to": [_("This date is before the start.")]})
        attrs["parameters"] = clean_parameters(attrs["kind"], attrs["parameters"])
        return attrs


class StandardEndInput(StrictSerializer):
    effective_to = serializers.DateField()
