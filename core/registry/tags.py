"""Tag kinds as declared through the extension contract, and the derived (age) tags."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.api.errors import invalid_fields
from core.extensions import TagKind
from core.extensions.registry import registry
from core.registry.contributions import DISABILITY_CATEGORIES, DISABILITY_GRADES, AgeTagKind


def tag_kinds() -> dict[str, TagKind]:
    return {item.key: item for item in registry.items(TagKind.kind)}


def tag_kind(key: str) -> TagKind | None:
    return tag_kinds().get(key)


def years_before(today: date, years: int) -> date:
    """The same day `years` earlier (29 February becomes 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def age_q(*, min_age: int | None = None, max_age: int | None = None, today: date, prefix: str = "") -> Q:
    """Rows whose age on `today` is at least min_age and below max_age (birth date known)."""
    field = f"{prefix}birth_date"
    q = Q(**{f"{field}__isnull": False})
    if min_age is not None:
        q &= Q(**{f"{field}__lte": years_before(today, min_age)})
    if max_age is not None:
        q &= Q(**{f"{field}__gt": years_before(today, max_age)})
    return q


def derived_tag_q(kind: TagKind, today: date) -> Q:
    if isinstance(kind, AgeTagKind):
        return age_q(min_age=kind.min_age, max_age=kind.max_age, today=today)
    # A derived kind whose rule this app does not know matches nothing rather than everything.
    return Q(pk__in=[])


def derived_tags(birth_date: date | None, today: date, kinds: dict[str, TagKind] | None = None) -> list[str]:
    """The age tags a birth date carries on `today`; `kinds`: tag_kinds() when the caller has it."""
    if birth_date is None:
        return []
    found = []
    for kind in (kinds if kinds is not None else tag_kinds()).values():
        if not isinstance(kind, AgeTagKind):
            continue
        if kind.min_age is not None and birth_date > years_before(today, kind.min_age):
            continue
        if kind.max_age is not None and birth_date <= years_before(today, kind.max_age):
            continue
        found.append(kind.key)
    return found


def clean_tag_attributes(key: str, attributes: dict | None) -> dict:
    """Attributes some built-in kinds require (disability: category and grade)."""
    attributes = dict(attributes or {})
    if key == "registry.disability":
        errors = {}
        if attributes.get("category") not in DISABILITY_CATEGORIES:
            errors["attributes.category"] = _("Choose the disability category.")
        try:
            grade = int(attributes.get("grade"))
        except (TypeError, ValueError):
            grade = None
        if grade not in DISABILITY_GRADES:
            errors["attributes.grade"] = _("The disability grade is 1, 2, 3 or 4.")
        if errors:
            raise invalid_fields(errors)
        attributes["grade"] = grade
    return attributes
