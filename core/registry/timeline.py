"""One household, one file (一户一档): everything recorded about a household, newest first.

The register contributes membership changes, tag changes and transfers; every other domain adds
its entries through a TimelineProvider (core.extensions): a callable(household_ids, *, limit)
returning entries. The page costs six queries here (membership periods, current members, and
the last masks minors' names) plus one
call per provider, however long the history is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from core.extensions import TimelineProvider
from core.extensions.registry import registry
from core.pii.masking import mask_name
from core.regions.scoping import scope_for
from core.registry.contributions import ADULT_AGE
from core.registry.models import Household, MembershipChange, Resident, ResidentTag, Transfer
from core.registry.tags import age_q

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

# An entry: {"date": date, "at": datetime | None, "kind": str, "source": str, "title": str,
#            "resident_id": int | None, "resident_name": str, "actor": str, "details": dict}


def _actor(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or user.get_username()


def _entry(**fields: Any) -> dict[str, Any]:
    entry = {
        "at": None,
        "source": "registry",
        "resident_id": None,
        "resident_name": "",
        "actor": "",
        "details": {},
    }
    entry.update(fields)
    return entry


def _sort_key(entry: dict) -> tuple:
    day = entry["date"]
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    at = entry.get("at")
    if at is None:
        at = timezone.make_aware(datetime.combine(day, time.max))
    return (day, at)


def _membership_entries(household_ids: list[int], limit: int) -> list[dict]:
    rows = (
        MembershipChange.objects.filter(household_id__in=household_ids)
        .select_related("resident", "actor")
        .order_by("-happened_on", "-created_at")[:limit]
    )
    return [
        _entry(
            date=row.happened_on,
            at=row.created_at,
            kind=f"membership.{row.kind}",
            title=str(row.get_kind_display()),
            resident_id=row.resident_id,
            resident_name=row.resident.name,
            actor=_actor(row.actor),
            details={"note": row.note} if row.note else {},
        )
        for row in rows
    ]


_STARTS = {MembershipChange.Kind.JOINED, MembershipChange.Kind.MOVED_IN}
_ENDS = {
    MembershipChange.Kind.LEFT,
    MembershipChange.Kind.MOVED_OUT,
    MembershipChange.Kind.DIED,
    MembershipChange.Kind.TRANSFERRED,
}


@dataclass(frozen=True)
class _Period:
    """A stay of one person in the household: from joining (None: before any record) until
    leaving (None: still a member); `joined_at`/`left_at` are when those were recorded."""

    resident_id: int
    since: date | None
    until: date | None
    joined_at: datetime | None
    left_at: datetime | None

    def covers(self, day: date, recorded_at: datetime | None = None) -> bool:
        # Rows recorded after the person left belong to their new home, even if backdated.
        if self.left_at and recorded_at and recorded_at > self.left_at:
            return False
        if (self.since is None or day >= self.since) and (self.until is None or day <= self.until):
            return True
        # Recorded here while a member (a backdated tag, say): part of this household's file.
        return recorded_at is not None and (self.joined_at is None or recorded_at >= self.joined_at)


def _membership_periods(household_ids: list[int]) -> list[_Period]:
    """Who was in these households and when: entries about a person belong to the household's
    file only for the time they lived in it (a later community's tags are not ours to show)."""
    changes = (
        MembershipChange.objects.filter(household_id__in=household_ids)
        .order_by("happened_on", "created_at", "id")
        .values_list("resident_id", "kind", "happened_on", "created_at")
    )
    open_since: dict[int, tuple[date, datetime]] = {}
    periods: list[_Period] = []
    for resident_id, kind, happened_on, created_at in changes:
        if kind in _STARTS:
            open_since.setdefault(resident_id, (happened_on, created_at))
        elif kind in _ENDS:
            since, joined_at = open_since.pop(resident_id, (None, None))
            periods.append(_Period(resident_id, since, happened_on, joined_at, created_at))
    current = Resident.objects.filter(household_id__in=household_ids).values_list("pk", flat=True)
    for resident_id in current:
        since, joined_at = open_since.get(resident_id, (None, None))
        periods.append(_Period(resident_id, since, None, joined_at, None))
    return periods


def _in_periods(periods: list[_Period], day_field: str, recorded_field: str | None = None) -> Q:
    """Rows of these people dated within their stay (or, with `recorded_field`, recorded during
    it); `_covered` then decides entry by entry."""
    condition = Q(pk__in=[])
    for period in periods:
        bounds = {"resident_id": period.resident_id}
        if period.since is not None:
            bounds[f"{day_field}__gte"] = period.since
        if period.until is not None:
            bounds[f"{day_field}__lte"] = period.until
        condition |= Q(**bounds)
        if recorded_field:
            recorded = {"resident_id": period.resident_id}
            if period.joined_at is not None:
                recorded[f"{recorded_field}__gte"] = period.joined_at
            if period.left_at is not None:
                recorded[f"{recorded_field}__lte"] = period.left_at
            condition |= Q(**recorded)
    return condition


def _covered(periods: list[_Period], resident_id: int, day, recorded_at=None) -> bool:
    if isinstance(day, datetime):
        day = timezone.localtime(day).date()
    return any(p.resident_id == resident_id and p.covers(day, recorded_at) for p in periods)


def _tag_entries(periods: list[_Period], limit: int) -> list[dict]:
    rows = (
        ResidentTag.objects.filter(
            _in_periods(periods, "started_on", "created_at") | _in_periods(periods, "ended_on")
        )
        .select_related("resident", "assigned_by", "ended_by")
        .order_by("-started_on", "-id")[:limit]
    )
    entries = []
    for row in rows:
        common = {"resident_id": row.resident_id, "resident_name": row.resident.name}
        details = {"tag": row.tag, "attributes": row.attributes, "source": row.source}
        if _covered(periods, row.resident_id, row.started_on, row.created_at):
            entries.append(
                _entry(
                    date=row.started_on,
                    at=row.created_at,
                    kind="tag.assigned",
                    title=row.tag,
                    actor=_actor(row.assigned_by),
                    details=details,
                    **common,
                )
            )
        if row.ended_on and _covered(periods, row.resident_id, row.ended_on):
            entries.append(
                _entry(
                    date=row.ended_on,
                    kind="tag.ended",
                    title=row.tag,
                    actor=_actor(row.ended_by),
                    details={"tag": row.tag},
                    **common,
                )
            )
    return entries


def _transfer_entries(periods: list[_Period], user, limit: int) -> list[dict]:
    rows = (
        Transfer.objects.visible_to(user)
        .filter(_in_periods(periods, "requested_at__date") | _in_periods(periods, "decided_at__date"))
        .select_related("resident", "from_region", "to_region", "requested_by", "decided_by")
        .order_by("-requested_at")[:limit]
    )
    entries = []
    for row in rows:
        common = {"resident_id": row.resident_id, "resident_name": row.resident.name}
        places = {"from": row.from_region.name, "to": row.to_region.name}
        if _covered(periods, row.resident_id, row.requested_at, row.requested_at):
            entries.append(
                _entry(
                    date=timezone.localtime(row.requested_at).date(),
                    at=row.requested_at,
                    kind="transfer.requested",
                    title=f"{row.from_region.name} → {row.to_region.name}",
                    actor=_actor(row.requested_by),
                    details={**places, "reason": row.reason},
                    **common,
                )
            )
        if row.decided_at and _covered(periods, row.resident_id, row.decided_at, row.decided_at):
            entries.append(
                _entry(
                    date=timezone.localtime(row.decided_at).date(),
                    at=row.decided_at,
                    kind=f"transfer.{row.status}",
                    title=f"{row.from_region.name} → {row.to_region.name}",
                    actor=_actor(row.decided_by),
                    details=places,
                    **common,
                )
            )
    return entries


def _provider_entries(household_ids: list[int], limit: int, *, shown) -> list[dict]:
    entries: list[dict] = []
    for contribution in registry.items(TimelineProvider.kind):
        if contribution.permission and not shown(contribution.permission):
            continue  # a sensitive provider's entries, for its permission's holders only
        provide = import_string(contribution.provider)
        source = registry.owner(TimelineProvider.kind, contribution.key)  # the app, like "registry"
        for item in provide(household_ids, limit=limit):
            entry = _entry(source=source, **item)
            if not isinstance(entry.get("date"), date):
                raise TypeError(f"Timeline provider {contribution.key!r} returned an entry without a date")
            entries.append(entry)
    return entries


def household_timeline(household: Household, *, user, limit: int = DEFAULT_LIMIT) -> list[dict]:
    """The file as `user` may read it: tags and transfers of each person only from the time they
    lived in the household, and transfers only those the user's scope covers."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    ids = [household.pk]
    periods = _membership_periods(ids)
    entries = [
        *_membership_entries(ids, limit),
        *_tag_entries(periods, limit),
        *_transfer_entries(periods, user, limit),
        *_provider_entries(
            ids, limit, shown=lambda permission: scope_for(user).covers(household.region_path, permission)
        ),
    ]
    entries.sort(key=_sort_key, reverse=True)
    return _mask_minors(entries[:limit])


def _mask_minors(entries: list[dict]) -> list[dict]:
    """Names of minors leave masked (issue 4), whichever part wrote the entry: one query for the
    page. A provider names a person through `resident_id` for this to apply."""
    named = {e["resident_id"] for e in entries if e.get("resident_id") and e.get("resident_name")}
    if not named:
        return entries
    minors = set(
        Resident.objects.filter(
            age_q(max_age=ADULT_AGE, today=timezone.localdate()), pk__in=named
        ).values_list("pk", flat=True)
    )
    for entry in entries:
        if entry.get("resident_id") in minors:
            entry["resident_name"] = mask_name(entry["resident_name"])
    return entries
