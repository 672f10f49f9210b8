"""Party dues: a member's monthly amount (dated rows), the months paid, and what is owed.

A month is owed once it is over (the current month is not yet in arrears), from the later of
the month the member joined and their first assessed month; a month assessed at zero is exempt
and breaks a run of unpaid months. Six unpaid months in a row up to the last month that is over
flag the member (rules.DUES_LAPSE_MONTHS, 党章 art. 9)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error
from core.audit.services import audit_record, created
from party_building import rules
from party_building.errors import PartyBuildingError
from party_building.models import DuesAmount, DuesPayment, Member


@dataclass(frozen=True)
class Standing:
    unpaid_months: list[date] = field(default_factory=list)
    owed: Decimal = Decimal("0.00")
    consecutive_unpaid: int = 0
    assessed: bool = False

    @property
    def lapsed(self) -> bool:
        return self.consecutive_unpaid >= rules.DUES_LAPSE_MONTHS


def standing_of(member: Member, today: date, amounts=None, paid_months=None) -> Standing:
    """What the member owes on `today`; `amounts` (by from_month) and `paid_months` may come
    prefetched, else they are read."""
    if amounts is None:
        amounts = list(member.dues_amounts.order_by("from_month"))
    if not amounts:
        return Standing()
    if paid_months is None:
        paid_months = set(member.dues_payments.values_list("month", flat=True))
    month = max(amounts[0].from_month, rules.month_of(member.joined_on))
    last_over = rules.months_later(rules.month_of(today), -1)
    unpaid, owed, run, index = [], Decimal("0.00"), 0, 0
    while month <= last_over:
        while index + 1 < len(amounts) and amounts[index + 1].from_month <= month:
            index += 1
        amount = amounts[index].monthly_amount
        if amount == 0 or month in paid_months:
            run = 0
        else:
            unpaid.append(month)
            owed += amount
            run += 1
        month = rules.months_later(month, 1)
    return Standing(unpaid_months=unpaid, owed=owed, consecutive_unpaid=run, assessed=True)


def arrears_of(organization, today: date) -> list[tuple[Member, Standing]]:
    """The organization's own members (relation held here) who owe dues, the longest run first."""
    members = (
        Member.objects.active()
        .filter(organization=organization)
        .select_related("resident")
        .prefetch_related(
            Prefetch("dues_amounts", queryset=DuesAmount.objects.order_by("from_month")),
            Prefetch("dues_payments", queryset=DuesPayment.objects.only("member_id", "month")),
        )
    )
    owing = []
    for member in members:
        standing = standing_of(
            member,
            today,
            amounts=list(member.dues_amounts.all()),
            paid_months={payment.month for payment in member.dues_payments.all()},
        )
        if standing.unpaid_months:
            owing.append((member, standing))
    owing.sort(key=lambda row: (-row[1].consecutive_unpaid, -len(row[1].unpaid_months), row[0].pk))
    return owing


def _held_here(member: Member) -> None:
    if member.status != Member.Status.ACTIVE:
        raise Conflict(
            _("This member's relation is no longer held here."), code=PartyBuildingError.TRANSFERRED_OUT
        )


def _not_before_joining(member: Member, month: date, name: str) -> None:
    if month < rules.month_of(member.joined_on):
        raise field_error(
            name,
            _("Dues start in the month the member joined (%(month)s).")
            % {"month": rules.month_of(member.joined_on).strftime("%Y-%m")},
            code=PartyBuildingError.DUES_BEFORE_JOINING,
        )


def dues_amount_set(
    *, actor, member: Member, monthly_amount: Decimal, from_month: date, request=None
) -> DuesAmount:
    """The member's monthly amount from `from_month` on (any day of it names the month)."""
    _held_here(member)
    from_month = rules.month_of(from_month)
    _not_before_joining(member, from_month, "from_month")
    exists = Conflict(
        _("An amount from this month is already set; set one from a later month."),
        code=PartyBuildingError.DUES_AMOUNT_EXISTS,
    )
    if DuesAmount.objects.filter(member=member, from_month=from_month).exists():
        raise exists
    try:
        with transaction.atomic():
            row = DuesAmount.objects.create(
                member=member, monthly_amount=monthly_amount, from_month=from_month, set_by=actor
            )
            audit_record(
                actor=actor,
                action="party_building.dues.amount",
                target=member,
                request=request,
                changes=created(monthly_amount=str(monthly_amount), from_month=str(from_month)),
            )
    except IntegrityError:  # the same month set at the same moment by someone else
        raise exists from None
    return row


def dues_payment_record(
    *, actor, member: Member, month: date, amount: Decimal, paid_on: date, request=None
) -> DuesPayment:
    """A month's dues received. Refused: a month before joining, more than a year ahead, one
    already paid, or before any amount is set for the member."""
    _held_here(member)
    month = rules.month_of(month)
    _not_before_joining(member, month, "month")
    today = timezone.localdate()
    if paid_on > today:
        raise field_error("paid_on", _("The payment date cannot be in the future."))
    latest = rules.months_later(rules.month_of(today), rules.DUES_PREPAY_MONTHS - 1)
    if month > latest:
        raise field_error(
            "month",
            _("Dues may be paid at most a year ahead (up to %(month)s).")
            % {"month": latest.strftime("%Y-%m")},
            code=PartyBuildingError.DUES_TOO_FAR_AHEAD,
        )
    if not member.dues_amounts.filter(from_month__lte=month).exists():
        raise field_error(
            "month",
            _("No monthly amount is set for this member for that month."),
            code=PartyBuildingError.DUES_NOT_ASSESSED,
        )
    paid = Conflict(_("This month's dues are already recorded."), code=PartyBuildingError.DUES_MONTH_PAID)
    if DuesPayment.objects.filter(member=member, month=month).exists():
        raise paid
    try:
        with transaction.atomic():
            payment = DuesPayment.objects.create(
                member=member, month=month, amount=amount, paid_on=paid_on, recorded_by=actor
            )
            audit_record(
                actor=actor,
                action="party_building.dues.payment",
                target=member,
                request=request,
                changes=created(month=str(month), amount=str(amount), paid_on=str(paid_on)),
            )
    except IntegrityError:
        raise paid from None
    return payment
