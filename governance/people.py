"""Who a signed-in person is in the register, and who may take part where: the rules the
deliberation, survey and election modules share."""

from __future__ import annotations

from django.utils import timezone

from core.regions.paths import community_path, is_under
from core.regions.scoping import scope_for
from core.registry.contributions import ADULT_AGE
from core.registry.models import Resident
from core.registry.tags import age_q


def bound_records(user):
    """The living register records the account is bound to as a resident (a verified resident:
    bound by ID number and a one-time code, core.accounts)."""
    ids = scope_for(user).resident_ids
    if not ids:
        return Resident.objects.none()
    return Resident.objects.filter(pk__in=ids, status=Resident.Status.ACTIVE).select_related("house")


def record_in(user, region_path: str):
    """The account's bound record living under `region_path`, or None."""
    for record in bound_records(user):
        if is_under(record.region_path, region_path):
            return record
    return None


def community_of(record) -> str | None:
    return community_path(record.region_path)


def adults_q(today=None, prefix: str = ""):
    """Adults on `today`; as core.registry.minors, an unknown birth date counts as an adult."""
    from django.db.models import Q

    today = today or timezone.localdate()
    return age_q(min_age=ADULT_AGE, today=today, prefix=prefix) | Q(**{f"{prefix}birth_date__isnull": True})
