"""Reading notices: who sees which, read state, unread counts, catch-up from a cursor."""

from __future__ import annotations

from datetime import datetime, time
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.accounts.models import RoleAssignment
from core.notices.models import Notice, NoticeRead, NoticeReadThrough
from core.regions.paths import ancestor_paths


def current_assignments(user, *, fresh: bool = False) -> list[tuple[str, str, int, object]]:
    """(role, region path, region id, starts on) of the user's role assignments in force today,
    read once per user object (once per request) unless `fresh`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = None if fresh else getattr(user, "_notice_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.current()
            .filter(user=user)
            .values_list("role", "region_path", "region_id", "starts_on")
            .distinct()
        )
        user._notice_assignments = cached
    return cached


def visibility_filter(user) -> Q:
    """The user's own notices, and those addressed to a role they hold at the notice's region or
    below, sent since the assignment started (a newcomer does not inherit a backlog)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    clauses = [Q(recipient_id=user.pk)]
    for role, path, _region_id, starts_on in current_assignments(user):
        since = timezone.make_aware(datetime.combine(starts_on, time.min))
        clauses.append(Q(role=role, region_path__in=ancestor_paths(path), created_at__gte=since))
    return reduce(or_, clauses)


def read_through_cursor(user) -> int:
    return NoticeReadThrough.objects.filter(user=user).values_list("cursor", flat=True).first() or 0


def with_read_state(queryset: QuerySet[Notice], user, read_through) -> QuerySet[Notice]:
    read_one = Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user=user))
    return queryset.annotate(
        is_read=Case(
            When(cursor__lte=read_through, then=Value(True)),
            When(read_one, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def notice_list(
    *,
    user,
    since: int | None = None,
    before: int | None = None,
    unread_only: bool = False,
    limit: int,
) -> tuple[list[Notice], bool]:
    """One page of notices and whether there are more.

    With `since` (catch-up): cursors above it, oldest first, so a client pages forward until
    nothing is left. Otherwise the newest first, `before` paging backwards.
    """
    read_through = read_through_cursor(user)
    queryset = with_read_state(Notice.objects.visible_to(user), user, read_through)
    if since is not None:
        queryset = queryset.filter(cursor__gt=since).order_by("cursor")
    else:
        queryset = queryset.order_by("-cursor")
        if before is not None:
            queryset = queryset.filter(cursor__lt=before)
    if unread_only:
        queryset = queryset.filter(is_read=False)
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def notice_get(*, user, notice_id: int) -> Notice:
    """A notice the user may see, with its read state (Notice.DoesNotExist otherwise)."""
    queryset = with_read_state(Notice.objects.visible_to(user), user, read_through_cursor(user))
    return queryset.get(pk=notice_id)


def unread_count(*, user) -> int:
    read_through = read_through_cursor(user)
    return (
        Notice.objects.visible_to(user)
        .filter(cursor__gt=read_through)
        .exclude(Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)))
        .count()
    )


def latest_cursor(*, user) -> int:
    return Notice.objects.visible_to(user).order_by("-cursor").values_list("cursor", flat=True).first() or 0


def catch_up(*, user, since: int, limit: int) -> tuple[int, list[Notice], bool]:
    """For a reconnecting websocket: the latest cursor, the notices above `since` (oldest first,
    at most `limit`, with their read state) and whether there are more. One query when nothing
    was missed (the latest cursor, as a connection without `since` reads it), two otherwise; the
    read state is read in the same statement (a subquery), not first as the REST list does."""
    latest = latest_cursor(user=user)
    if latest <= since:
        return latest, [], False
    read_through = Coalesce(
        Subquery(NoticeReadThrough.objects.filter(user=user).values("cursor")[:1]), Value(0)
    )
    queryset = (
        with_read_state(Notice.objects.visible_to(user), user, read_through)
        .filter(cursor__gt=since, cursor__lte=latest)
        .only("id", "cursor", "kind", "title", "body", "link_type", "link_id", "link_url", "created_at")
        .order_by("cursor")
    )
    rows = list(queryset[: limit + 1])
    return latest, rows[:limit], len(rows) > limit
