"""Writing notices. `notify` is what the rest of the platform calls.

    from core.notices.services import notify

    with transaction.atomic():
        event.save()
        notify(kind="workflow.event_assigned", title=..., user=worker, link=event)

The notice is a row in the caller's transaction; the push to the websocket groups and the SMS or
WeChat deliveries go through the outbox and happen only after that transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models, transaction

from core.accounts.roles import is_role
from core.extensions.contributions import NoticeKind
from core.extensions.registry import registry
from core.notices import groups
from core.notices.backends import IN_APP, RECORD_CHANNEL, external_channels
from core.notices.models import CursorCounter, Notice, NoticePreference, NoticeRead, NoticeReadThrough
from core.outbox.services import after_commit, enqueue_group_send, enqueue_task
from core.pii.masking import mask_free_text

PUSH_MESSAGE_TYPE = "notice.push"


def notify(
    *,
    kind: str,
    title: str,
    body: str = "",
    user=None,
    region=None,
    role: str | None = None,
    resident=None,
    link: models.Model | dict | None = None,
    channels: Sequence[str] | None = None,
) -> Notice:
    """Persist a notice to `user`, or to everyone holding `role` at `region` or below it, or to
    the `resident` record of someone without an account (reached by SMS at the record's mobile,
    if the notice's channels include SMS; a record has no in-app inbox).

    `link` is the object the notice is about (a model instance, or {"type", "id", "url"}).
    `channels` overrides the kind's default channels and the person's preference (for what must
    reach people by SMS whatever they chose); the in-app notice is always kept.
    """
    notice_kind = _checked_kind(kind)
    if sum(addressee is not None for addressee in (user, region, resident)) != 1:
        raise ValueError(
            "A notice goes to a user, a region with a role, or a resident record: give exactly one"
        )
    if region is not None and not is_role(role):
        raise ValueError(f"A notice to a region needs a declared role, not {role!r}")
    if region is None and role:
        raise ValueError("A notice to a user or a resident record takes no role")
    if not title or len(title) > Notice._meta.get_field("title").max_length:
        raise ValueError("A notice needs a title of at most 200 characters")
    requested = _checked_channels(channels) if channels is not None else None
    # Notices carry free text (an event's title, a note): ID numbers and phones in it are masked
    # here, once, so the inbox, the websocket push, SMS and WeChat all carry the masked text.
    title, body = mask_free_text(str(title)), mask_free_text(str(body or ""))
    link_type, link_id, link_url = _link_parts(link)

    with transaction.atomic():
        notice = Notice.objects.create(
            kind=notice_kind.key,
            title=title,
            body=body,
            recipient=user,
            resident=resident,
            region=region,
            region_path=region.path if region is not None else "",
            role=role or "",
            link_type=link_type,
            link_id=link_id,
            link_url=link_url,
            channels=requested,
        )
        # Registered before the push, so that on commit the cursor exists when the push goes out.
        after_commit(assign_cursors)
        if resident is not None:
            if RECORD_CHANNEL in record_channels(notice):
                enqueue_task(
                    "notices.deliver_to_record",
                    args=[notice.pk],
                    idempotency_key=f"notice:{notice.pk}:deliver_to_record",
                )
            return notice
        target = groups.user_group(user.pk) if user is not None else groups.role_group(region.pk, role)
        enqueue_group_send(
            target,
            # The group rides along: a web process receives the push once for all its members.
            {"type": PUSH_MESSAGE_TYPE, "notice_id": notice.pk, "group": target},
            idempotency_key=f"notice:{notice.pk}:push",
        )
        if user is not None:
            for channel in delivery_channels(notice, user_ids=[user.pk])[user.pk]:
                enqueue_delivery(notice, user_id=user.pk, channel=channel)
        else:
            # Who holds the role is worked out by a task, from the table, not in this request.
            enqueue_task("notices.fan_out", args=[notice.pk], idempotency_key=f"notice:{notice.pk}:fan_out")
    return notice


def enqueue_delivery(notice: Notice, *, user_id: int, channel: str) -> None:
    enqueue_task(
        "notices.deliver",
        args=[notice.pk, user_id, channel],
        idempotency_key=f"notice:{notice.pk}:deliver:{user_id}:{channel}",
    )


def record_channels(notice: Notice) -> list[str]:
    """The channels a notice to a resident record goes through: of its requested channels (else
    its kind's), the one a record can be reached by, the SMS to its mobile, when configured."""
    wanted = notice.channels if notice.channels is not None else _checked_kind(notice.kind).default_channels
    return [c for c in wanted if c == RECORD_CHANNEL and c in external_channels()]


def delivery_channels(notice: Notice, *, user_ids: Sequence[int]) -> dict[int, list[str]]:
    """External channels (besides in-app) for each user: the notice's requested channels, else
    the person's preference for the kind, else their preference for every kind, else the kind's."""
    available = external_channels()
    if notice.channels is not None:
        chosen = {user_id: list(notice.channels) for user_id in user_ids}
    else:
        default = list(_checked_kind(notice.kind).default_channels)
        preferences: dict[int, dict[str, list[str]]] = {}
        for user_id, kind, channels in NoticePreference.objects.filter(
            user_id__in=user_ids, kind__in=[notice.kind, ""]
        ).values_list("user_id", "kind", "channels"):
            preferences.setdefault(user_id, {})[kind] = channels
        chosen = {}
        for user_id in user_ids:
            own = preferences.get(user_id, {})
            chosen[user_id] = own.get(notice.kind, own.get("", default))
    return {
        user_id: [c for c in channels if c != IN_APP and c in available]
        for user_id, channels in chosen.items()
    }


def assign_cursors(*, batch_size: int = 1000) -> int:
    """Give committed notices their cursors, in order, under a lock: a cursor a client has seen is
    never followed by a smaller one. Called on commit, by the push consumer and by beat."""
    assigned = 0
    while True:
        with transaction.atomic():
            CursorCounter.objects.get_or_create(pk=1)
            counter = CursorCounter.objects.select_for_update().get(pk=1)
            pending = list(Notice.objects.filter(cursor__isnull=True).order_by("id").only("id")[:batch_size])
            for offset, notice in enumerate(pending, start=1):
                notice.cursor = counter.value + offset
            if pending:
                Notice.objects.bulk_update(pending, ["cursor"])
                counter.value += len(pending)
                counter.save(update_fields=["value"])
        assigned += len(pending)
        if len(pending) < batch_size:
            return assigned


def notice_mark_read(*, user, notice_id: int) -> Notice:
    """Mark one notice the user can see as read (Notice.DoesNotExist for any other id)."""
    notice = Notice.objects.visible_to(user).get(pk=notice_id)
    NoticeRead.objects.get_or_create(notice=notice, user=user)
    return notice


def notice_mark_all_read(*, user, up_to: int | None = None) -> int:
    """Everything the user can see up to cursor `up_to` (default: the latest) is read; returns the
    read-through cursor. It never moves back."""
    from core.notices.selectors import latest_cursor

    target = latest_cursor(user=user) if up_to is None else up_to
    with transaction.atomic():
        mark, _ = NoticeReadThrough.objects.select_for_update().get_or_create(user=user)
        if target > mark.cursor:
            mark.cursor = target
            mark.save(update_fields=["cursor"])
            # Single reads at or below the mark say nothing more.
            NoticeRead.objects.filter(user=user, notice__cursor__lte=target).delete()
    return mark.cursor


def notice_preference_set(*, user, kind: str, channels: Sequence[str]) -> NoticePreference:
    """The person's channels for one kind (an empty kind: every kind). In-app is always kept."""
    if kind:
        _checked_kind(kind)
    checked = _checked_channels(channels)
    preference, _ = NoticePreference.objects.update_or_create(
        user=user, kind=kind, defaults={"channels": checked}
    )
    return preference


def _checked_kind(kind: str) -> NoticeKind:
    try:
        return registry.get(NoticeKind.kind, kind)
    except KeyError:
        raise ValueError(
            f"Notice kind {kind!r} is not declared by any app (NoticeKind contribution)"
        ) from None


def _checked_channels(channels: Sequence[str]) -> list[str]:
    known = {IN_APP, *external_channels()}
    unknown = [c for c in channels if c not in known]
    if unknown:
        raise ValueError(f"Unknown notice channels {unknown}; known: {sorted(known)}")
    return list(dict.fromkeys(channels))


def _link_parts(link: Any) -> tuple[str, str, str]:
    if link is None:
        return "", "", ""
    if isinstance(link, models.Model):
        url = link.get_absolute_url() if hasattr(link, "get_absolute_url") else ""
        return link._meta.label_lower, str(link.pk), url
    return str(link.get("type", "")), str(link.get("id", "")), str(link.get("url", ""))
