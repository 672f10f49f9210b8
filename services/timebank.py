"""Time banks (时间银行): where a community runs one, the hours its volunteers served since it
started are a balance they draw on later. The balance is read from the one hours ledger (every
source counts), less what was drawn; a draw beyond the balance is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error
from core.audit.services import audit_record, created
from core.regions.paths import ancestor_paths
from services.contributions import MANAGE
from services.errors import ServicesError
from services.models import HoursEntry, TimeBank, TimeBankWithdrawal, Volunteer
from services.places import region_for


def bank_of(volunteer: Volunteer) -> TimeBank | None:
    """The nearest time bank at or above the volunteer's place."""
    banks = TimeBank.objects.filter(region_path__in=ancestor_paths(volunteer.region_path))
    return max(banks, key=lambda bank: len(bank.region_path), default=None)


@dataclass(frozen=True)
class Balance:
    bank: TimeBank | None
    earned: Decimal
    drawn: Decimal

    @property
    def balance(self) -> Decimal:
        return self.earned - self.drawn


def balance_of(volunteer: Volunteer) -> Balance:
    bank = bank_of(volunteer)
    if bank is None:
        return Balance(None, Decimal(0), Decimal(0))
    earned = HoursEntry.objects.filter(volunteer=volunteer, served_on__gte=bank.starts_on).aggregate(
        h=Sum("hours")
    )["h"]
    drawn = TimeBankWithdrawal.objects.filter(volunteer=volunteer, bank=bank).aggregate(h=Sum("hours"))["h"]
    return Balance(bank, earned or Decimal(0), drawn or Decimal(0))


def time_bank_open(*, actor, region: int, name: str, starts_on: date | None = None, request=None) -> TimeBank:
    place = region_for(actor, region, MANAGE)
    with transaction.atomic():
        bank = TimeBank.objects.create(
            region=place, region_path=place.path, name=name, starts_on=starts_on or timezone.localdate()
        )
        audit_record(
            actor=actor,
            action="services.time_bank.open",
            target=bank,
            changes=created(name=name, starts_on=bank.starts_on),
            request=request,
        )
    return bank


def time_bank_draw(
    *, actor, volunteer: Volunteer, hours: Decimal, note: str, request=None
) -> TimeBankWithdrawal:
    """Draw hours from the volunteer's balance; the volunteer's row is locked so two draws cannot
    both spend the same hours."""
    if hours <= 0:
        raise field_error("hours", _("Draw a positive number of hours."))
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        found = balance_of(volunteer)
        if found.bank is None:
            raise Conflict(
                _("No time bank is run where this volunteer serves."), code=ServicesError.NO_TIME_BANK
            )
        if hours > found.balance:
            raise Conflict(
                _("The balance is %(balance)s hours.") % {"balance": found.balance.quantize(Decimal("0.01"))},
                code=ServicesError.BALANCE_TOO_LOW,
            )
        drawn = TimeBankWithdrawal.objects.create(
            bank=found.bank, volunteer=volunteer, hours=hours, note=note, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="services.time_bank.draw",
            target=volunteer,
            changes=created(hours=hours, note=note, bank=found.bank.pk),
            request=request,
        )
    return drawn
