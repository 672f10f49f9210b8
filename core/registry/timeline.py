"""One household, one file (一户一档): everything recorded about a household, newest first.

The register contributes membership changes, tag changes and transfers; every other domain adds
its entries through a TimelineProvider (core.extensions): a callable(household_ids, *, limit)
returning entries. The page costs four queries here (the fourth masks minors' names) plus one
call per provider, however long the history is.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from core.extensions import TimelineProvider
from core.extensions.registry import registry
from core.pii.masking import mask_name
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


def _people(household_ids: list[int]) -> Q:
    """Everyone who is or ever was in these households."""
    past = MembershipChange.objects.filter(household_id__in=household_ids).values("resident_id")
    return Q(resident__household_id__in=household_ids) | Q(resident_id__in=past)


def _tag_entries(household_ids: list[int], limit: int) -> list[dict]:
    rows = (
        ResidentTag.objects.filter(_people(household_ids))
        .select_related("resident", "assigned_by", "ended_by")
        .order_by("-started_on", "-id")[:limit]
    )
    entries = []
    for row in rows:
        common = {"resident_id": row.resident_id, "resident_name": row.resident.name}
        details = {"tag": row.tag, "attributes": row.attributes, "source": row.source}
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
        if row.ended_on:
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


def _transfer_entries(household_ids: list[int], limit: int) -> list[dict]:
    rows = (
        Transfer.objects.filter(_people(household_ids))
        .select_related("resident", "from_region", "to_region", "requested_by", "decided_by")
        .order_by("-requested_at")[:limit]
    )
    entries = []
    for row in rows:
        common = {"resident_id": row.resident_id, "resident_name": row.resident.name}
        places = {"from": row.from_region.name, "to": row.to_region.name}
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
        if row.decided_at:
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


def _provider_entries(household_ids: list[int], limit: int) -> list[dict]:
    entries: list[dict] = []
    for contribution in registry.items(TimelineProvider.kind):
        provide = import_string(contribution.provider)
        for item in provide(household_ids, limit=limit):
            entry = _entry(source=contribution.key, **item)
            if not isinstance(entry.get("date"), date):
                raise TypeError(f"Timeline provider {contribution.key!r} returned an entry without a date")
            entries.append(entry)
    return entries


def household_timeline(household: Household, *, limit: int = DEFAULT_LIMIT) -> list[dict]:
    limit = max(1, min(int(limit), MAX_LIMIT))
    ids = [household.pk]
    entries = [
        *_membership_entries(ids, limit),
        *_tag_entries(ids, limit),
        *_transfer_entries(ids, limit),
        *_provider_entries(ids, limit),
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
