"""The item-specific facts an application declares (`Application.details`), validated strictly:
unknown keys are refused, each value has its type and range, and every problem is named as
`details.<field>` in one 400."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.api.errors import ApplicationError, CommonError, field_error
from core.registry.contributions import DISABILITY_CATEGORIES, DISABILITY_GRADES

MAX_REQUESTED = Decimal("1000000")
HARDSHIPS = ("illness", "accident", "disaster", "other")
# What may keep a parent from raising their child (事实无人抚养儿童 认定), and "able".
PARENT_STATUSES = (
    "deceased",
    "missing",
    "severely_disabled",
    "seriously_ill",
    "imprisoned",
    "compulsory_detox",
    "other_unable",
    "able",
)


class Invalid(Exception):
    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def _resident_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Invalid(gettext_lazy("Give the id of a declared household member."))
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(gettext_lazy("Must be true or false."))
    return value


def _grade(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in DISABILITY_GRADES:
        raise Invalid(gettext_lazy("The disability grade is 1, 2, 3 or 4."))
    return value


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        if value not in choices:
            raise Invalid(_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)})
        return value

    return clean


def _amount(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Invalid(gettext_lazy("Give an amount in yuan."))
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise Invalid(gettext_lazy("Give an amount in yuan.")) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise Invalid(gettext_lazy("Give an amount in yuan with at most two decimals."))
    if amount <= 0 or amount > MAX_REQUESTED:
        raise Invalid(gettext_lazy("The amount must be above 0 and at most 1,000,000 yuan."))
    return str(amount.quantize(Decimal("0.01")))


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 1000:
        raise Invalid(gettext_lazy("Give a text of at most 1000 characters."))
    return value.strip()


# Per eligibility key: field → (cleaner, required).
Spec = dict[str, tuple[Callable[[Any], Any], bool]]
_DISABILITY: Spec = {
    "disability_grade": (_grade, False),
    "disability_category": (_choice(DISABILITY_CATEGORIES), False),
    "resident": (_resident_id, False),
}
_CHILD: Spec = {
    "child": (_resident_id, True),
    "father_status": (_choice(PARENT_STATUSES), True),
    "mother_status": (_choice(PARENT_STATUSES), True),
}
SPECS: dict[str, Spec] = {
    "dibao": {},
    "temporary": {
        "requested_amount": (_amount, True),
        "hardship": (_choice(HARDSHIPS), True),
        "description": (_text, False),
    },
    # Whether the supporter is able is asked only when there is one.
    "tekun": {"has_supporter": (_boolean, True), "supporter_able": (_boolean, False)},
    "disability_living": _DISABILITY,
    "disability_care": _DISABILITY,
    "longevity": {"resident": (_resident_id, False)},
    "orphan": _CHILD,
    "unattended_child": _CHILD,
}


def clean_details(item, details: Any) -> dict:
    """The declared details of an application for `item`, cleaned; raises a 400 naming each
    field (`details.<name>`). Items without a built-in check accept an empty object only."""
    if details is None:
        details = {}
    if not isinstance(details, dict):
        raise field_error("details", _("Give the details as an object."))
    spec = SPECS.get(item.eligibility or "", {})
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {}
    for key, value in details.items():
        if key not in spec:
            errors[f"details.{key}"] = [_("This item does not ask for this field.")]
            continue
        try:
            cleaned[key] = spec[key][0](value)
        except Invalid as invalid:
            errors[f"details.{key}"] = [invalid.message]
    for key, (_clean, required) in spec.items():
        if required and key not in details:
            errors[f"details.{key}"] = [_("This field is required.")]
    if (
        cleaned.get("has_supporter")
        and "supporter_able" not in details
        and "details.supporter_able" not in errors
    ):
        errors["details.supporter_able"] = [_("Say whether the supporter is able to support.")]
    if errors:
        field, messages = next(iter(errors.items()))
        if len(errors) == 1:
            raise field_error(field, messages[0])
        raise ApplicationError(_("Some details are not valid."), code=CommonError.INVALID, fields=errors)
    return cleaned
