"""One household, one file (一户一档): everything recorded about a household, newest first.

The register contributes membership changes, tag changes and transfers; every other domain adds
its entries through a TimelineProvider (core.extensions): a callable(household_ids, *, limit,
until=None) returning its newest `limit` entries, those sorting at or before `until` (a
TimelineBound: where the previous page ended) when it is given. The file is read in keyset pages
(household_timeline_page): a page costs eight queries here (membership periods, current members,
and the last masks minors' names) plus one call per provider, however deep the page. A provider
without `until` still works: it is asked for everything down to the page, in Python.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from core.extensions import TimelineProvider
from core.extensions.registry import registry
from core.pii.masking import mask_name
from core.regions.scoping import scope_for
from core.registry.contributions import ADULT_AGE
from core.registry.models import Household, MembershipChange, Resident, ResidentTag, Transfer
from core.registry.tags import age_q

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
PAGE_SIZE = 20

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


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def _moment(entry: dict) -> tuple[date, datetime]:
    """Where an entry sorts: its day, then when it was recorded (the day's end if not known)."""
    day = entry["date"]
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    at = entry.get("at")
    if at is None:
        at = _end_of(day)
    return (day, at)


def _sort_key(entry: dict) -> tuple:
    # Entries at one moment keep one order from page to page (the cursor counts through them).
    return (
        *_moment(entry),
        entry.get("source", ""),
        entry["kind"],
        entry.get("resident_id") or 0,
        str(entry.get("title", "")),
    )


@dataclass(frozen=True)
class TimelineBound:
    """Where the previous page ended: a provider given one returns the entries sorting at or
    before it, by their `date`, then `at` (an entry without `at` sorts at its day's end)."""

    date: date
    at: datetime

    def q(self, date_field: str, at_field: str | None = None) -> Q:
        """Rows at or before the bound, for a provider's query (`at_field` None: by day alone,
        which may return a few too many; the timeline drops them)."""
        if at_field is None:
            return Q(**{f"{date_field}__lte": self.date})
        return Q(**{f"{date_field}__lt": self.date}) | Q(
            **{date_field: self.date, f"{at_field}__lte": self.at}
        )

    def admits(self, entry: dict) -> bool:
        return _moment(entry) <= (self.date, self.at)


def _membership_entries(
    household_ids: list[int], limit: int, until: TimelineBound | None = None
) -> list[dict]:
    rows = (
        MembershipChange.objects.filter(household_id__in=household_ids)
        .filter(until.q("happened_on", "created_at") if until else Q())
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


def _tag_entries(periods: list[_Period], limit: int, until=None, horizons=None) -> list[dict]:
    """Tags assigned, then tags ended, each its own newest `limit` (an old tag ended lately is
    recent news: read by when it ended)."""
    tags = ResidentTag.objects.select_related("resident", "assigned_by", "ended_by")
    assigned = (
        tags.filter(_in_periods(periods, "started_on", "created_at"))
        .filter(until.q("started_on", "created_at") if until else Q())
        .order_by("-started_on", "-created_at", "-id")[:limit]
    )
    ended = (
        tags.filter(_in_periods(periods, "ended_on"), ended_on__isnull=False)
        .filter(until.q("ended_on") if until else Q())
        .order_by("-ended_on", "-id")[:limit]
    )
    if horizons is not None and len(ended) == limit:  # many end on one day: a tie group, cut
        horizons.append((ended[limit - 1].ended_on, _end_of(ended[limit - 1].ended_on)))
    entries = []
    for row in assigned:
        if _covered(periods, row.resident_id, row.started_on, row.created_at):
            entries.append(
                _entry(
                    date=row.started_on,
                    at=row.created_at,
                    kind="tag.assigned",
                    title=row.tag,
                    actor=_actor(row.assigned_by),
                    details={"tag": row.tag, "attributes": row.attributes, "source": row.source},
                    resident_id=row.resident_id,
                    resident_name=row.resident.name,
                )
            )
    for row in ended:
        if _covered(periods, row.resident_id, row.ended_on):
            entries.append(
                _entry(
                    date=row.ended_on,
                    kind="tag.ended",
                    title=row.tag,
                    actor=_actor(row.ended_by),
                    details={"tag": row.tag},
                    resident_id=row.resident_id,
                    resident_name=row.resident.name,
                )
            )
    return entries


def _transfer_entries(
    periods: list[_Period], user, limit: int, until: TimelineBound | None = None
) -> list[dict]:
    """Transfers asked for, then decided, each its own newest `limit`."""
    transfers = Transfer.objects.visible_to(user).select_related(
        "resident", "from_region", "to_region", "requested_by", "decided_by"
    )
    # An entry's day is its moment's local day: the moment alone orders them.
    requested = (
        transfers.filter(_in_periods(periods, "requested_at__date"))
        .filter(Q(requested_at__lte=until.at) if until else Q())
        .order_by("-requested_at", "-id")[:limit]
    )
    decided = (
        transfers.filter(_in_periods(periods, "decided_at__date"), decided_at__isnull=False)
        .filter(Q(decided_at__lte=until.at) if until else Q())
        .order_by("-decided_at", "-id")[:limit]
    )
    entries = []
    for row in requested:
        if _covered(periods, row.resident_id, row.requested_at, row.requested_at):
            entries.append(
                _entry(
                    date=timezone.localtime(row.requested_at).date(),
                    at=row.requested_at,
                    kind="transfer.requested",
                    title=f"{row.from_region.name} → {row.to_region.name}",
                    actor=_actor(row.requested_by),
                    details={"from": row.from_region.name, "to": row.to_region.name, "reason": row.reason},
                    resident_id=row.resident_id,
                    resident_name=row.resident.name,
                )
            )
    for row in decided:
        if _covered(periods, row.resident_id, row.decided_at, row.decided_at):
            entries.append(
                _entry(
                    date=timezone.localtime(row.decided_at).date(),
                    at=row.decided_at,
                    kind=f"transfer.{row.status}",
                    title=f"{row.from_region.name} → {row.to_region.name}",
                    actor=_actor(row.decided_by),
                    details={"from": row.from_region.name, "to": row.to_region.name},
                    resident_id=row.resident_id,
                    resident_name=row.resident.name,
                )
            )
    return entries


def _takes_until(provide) -> bool:
    try:
        return "until" in inspect.signature(provide).parameters
    except (TypeError, ValueError):
        return False


def _provider_entries(
    household_ids: list[int], limit: int, until=None, shown: int = 0, horizons=None, *, may_see
):
    entries: list[dict] = []
    for contribution in registry.items(TimelineProvider.kind):
        if contribution.permission and not may_see(contribution.permission):
            continue  # a sensitive provider's entries, for its permission's holders only
        provide = import_string(contribution.provider)
        asked = limit
        source = registry.owner(TimelineProvider.kind, contribution.key)  # the app, like "registry"
        if until is None:
            items = provide(household_ids, limit=limit)
        elif _takes_until(provide):
            items = provide(household_ids, limit=limit, until=until)
        else:  # an older provider: everything down to this page, the bound applied here
            asked = limit + shown
            items = provide(household_ids, limit=asked)
        provided = []
        for item in items:
            entry = _entry(source=source, **item)
            if not isinstance(entry.get("date"), date):
                raise TypeError(f"Timeline provider {contribution.key!r} returned an entry without a date")
            provided.append(entry)
        if horizons is not None and len(provided) >= asked:
            horizons.append(_moment(sorted(provided, key=_sort_key, reverse=True)[asked - 1]))
        entries += provided
    return entries


def _entries(household: Household, *, user, limit: int, until=None, shown: int = 0, horizons=None):
    ids = [household.pk]
    periods = _membership_periods(ids)
    entries = [
        *_membership_entries(ids, limit, until),
        *_tag_entries(periods, limit, until, horizons),
        *_transfer_entries(periods, user, limit, until),
        *_provider_entries(
            ids,
            limit,
            until,
            shown,
            horizons,
            may_see=lambda permission: scope_for(user).covers(household.region_path, permission),
        ),
    ]
    if until is not None:
        entries = [e for e in entries if until.admits(e)]
    entries.sort(key=_sort_key, reverse=True)
    return entries


def _complete(entries: list[dict], horizons: list) -> list[dict]:
    """The entries no source may have left out: a source cut at its `limit` inside a group of
    entries sharing one moment (entries of one day without a time) returned some of the group in
    its own order, so the page stops before that moment (unless nothing newer is left)."""
    if not horizons:
        return entries
    cut = max(horizons)
    newer = [e for e in entries if _moment(e) > cut]
    return newer or entries


def household_timeline(household: Household, *, user, limit: int = DEFAULT_LIMIT) -> list[dict]:
    """The newest `limit` entries of the file as `user` may read it: tags and transfers of each
    person only from the time they lived in the household, and transfers only those the user's
    scope covers."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    return _mask_minors(_entries(household, user=user, limit=limit)[:limit])


@dataclass(frozen=True)
class TimelinePage:
    entries: list[dict]
    next_cursor: list | None  # [day, at, entries shown at that moment, entries shown before]
    total: int  # exact on the last page; before it, those known so far (total_is_estimate)
    total_is_estimate: bool


def _parse_cursor(cursor) -> tuple[TimelineBound, int, int]:
    invalid = ValidationError({"cursor": [_("The cursor is not valid.")]})
    if not isinstance(cursor, list) or len(cursor) != 4:
        raise invalid
    day, at, at_moment, shown = cursor
    day = parse_date(day) if isinstance(day, str) else None
    at = parse_datetime(at) if isinstance(at, str) else None
    counts = (at_moment, shown)
    if day is None or at is None or not all(isinstance(n, int) and 0 <= n <= 10**9 for n in counts):
        raise invalid
    return TimelineBound(day, at), at_moment, shown


def household_timeline_page(household: Household, *, user, page_size: int = PAGE_SIZE, cursor=None):
    """One keyset page of the file: the newest `page_size` entries after `cursor` (a page's
    next_cursor, decoded). The cursor holds the last entry's moment and how many entries at
    that moment were shown, so entries sharing a moment are neither repeated nor skipped."""
    until, at_moment, shown = _parse_cursor(cursor) if cursor is not None else (None, 0, 0)
    horizons: list = []
    entries = _entries(
        household, user=user, limit=page_size + 1 + at_moment, until=until, shown=shown, horizons=horizons
    )
    if until is not None and at_moment:
        bound = (until.date, until.at)
        entries = _after_shown(entries, bound, at_moment)
    page = _complete(entries, horizons)[:page_size]
    beyond = entries[len(page) :]
    next_cursor = None
    if beyond and page:
        last = _moment(page[-1])
        here = sum(1 for e in page if _moment(e) == last)
        if until is not None and last == (until.date, until.at):
            here += at_moment
        next_cursor = [last[0].isoformat(), last[1].isoformat(), here, shown + len(page)]
    total = shown + len(page) + len(beyond)
    return TimelinePage(_mask_minors(page), next_cursor, total, bool(beyond))


def _after_shown(entries: list[dict], bound: tuple, at_moment: int) -> list[dict]:
    """`entries` less the first `at_moment` of those at `bound` (shown on earlier pages)."""
    kept, skipped = [], 0
    for entry in entries:
        if skipped < at_moment and _moment(entry) == bound:
            skipped += 1
            continue
        kept.append(entry)
    return kept


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
