"""What every rule reads: the application, its declared members (one query), the date and the
standards in force on it, and small helpers for money and age."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from affairs.eligibility.standards import standard_for, standard_summary
from affairs.models import Application, ApplicationMember, AssistanceStandard
from core.registry.models import Resident, ResidentTag
from core.registry.tags import years_before

CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(value) -> str | None:
    return None if value is None else str(money(value))


def parameter(standard: AssistanceStandard, name: str, default) -> Decimal:
    return Decimal(str(standard.parameters.get(name, default)))


def age_at_least(birth_date: date | None, years: int, on: date) -> bool:
    return birth_date is not None and birth_date <= years_before(on, years)


def age_on(birth_date: date | None, on: date) -> int | None:
    if birth_date is None:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@dataclass
class Finding:
    """What a rule found; `shares` is each covered person's monthly amount."""

    eligible: bool
    standard: AssistanceStandard | None = None
    reasons: list[str] = field(default_factory=list)
    per_capita: Decimal | None = None
    monthly: Decimal | None = None
    one_off: Decimal | None = None
    covered: list[int] = field(default_factory=list)
    singles: list[int] = field(default_factory=list)
    shares: dict[int, Decimal] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "eligible": self.eligible,
            "reasons": [str(r) for r in self.reasons],
            "standard": standard_summary(self.standard) if self.standard else None,
            "per_capita_income": money_str(self.per_capita),
            "monthly_amount": money_str(self.monthly),
            "one_off_amount": money_str(self.one_off),
            "covered": self.covered,
            "singles": self.singles,
            "shares": {str(k): money_str(v) for k, v in self.shares.items()},
            **self.extra,
        }


class Context:
    def __init__(self, application: Application) -> None:
        self.application = application
        self.on: date = application.applied_on
        self.details: dict = application.details or {}

    def standard(self, kind: str) -> AssistanceStandard:
        return standard_for(
            kind, region_path=self.application.region_path, area=self.application.area, on=self.on
        )

    @cached_property
    def members(self) -> list[ApplicationMember]:
        return list(self.application.members.select_related("resident").order_by("id"))

    @cached_property
    def per_capita(self) -> Decimal | None:
        """Declared household income per member per month, unrounded: compared and multiplied
        as it is, rounded once in the amount (741.9967 is below 742). None with no member."""
        if not self.members:
            return None
        return sum((m.monthly_income for m in self.members), Decimal(0)) / len(self.members)

    def beneficiary(self, key: str = "resident") -> Resident | None:
        resident_id = self.details.get(key) or (self.application.applicant_id if key == "resident" else None)
        return Resident.objects.filter(pk=resident_id).first() if resident_id else None

    def current_tags(self, resident_ids, tags) -> list[ResidentTag]:
        return list(ResidentTag.objects.current(self.on).filter(resident_id__in=resident_ids, tag__in=tags))
