"""Notices: persisted first (the rows are the truth), pushed live after commit as a courtesy.

A notice goes to one user, or to everyone holding a role at a region or anywhere below it
("all community workers under this street"), or to a resident record of someone without an
account, whom it reaches at the record's mobile through the SMS channel. Its `cursor` orders
notices by commit, not by insert: ids are taken at insert, so a transaction that commits late
would slip in below a cursor a client has already passed. Cursors are given after commit, under
a lock, in order (services.assign_cursors); a notice without one is not yet listed or pushed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placement import FollowsRegion


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Notices addressed to this user, directly or through a current role assignment."""
        from core.notices.selectors import visibility_filter

        return self.filter(visibility_filter(user), cursor__isnull=False)


class Notice(models.Model):
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    # A person known only from the register (no account): reached at the record's mobile by SMS.
    resident = models.ForeignKey(
        "registry.Resident",
        verbose_name=_("resident record"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Copied from the region: "holds the role at this region or below" is a match on the path.
    region_path = models.CharField(_("region path"), max_length=255, blank=True, editable=False)
    role = models.CharField(_("role"), max_length=64, blank=True)  # a declared role's key
    link_type = models.CharField(_("linked object type"), max_length=64, blank=True)
    link_id = models.CharField(_("linked object id"), max_length=64, blank=True)
    link_url = models.CharField(_("link"), max_length=255, blank=True)
    # Channels the sender required (overriding kind and preference); null: the usual choice.
    channels = models.JSONField(_("channels"), null=True, blank=True, default=None)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cursor = models.BigIntegerField(_("cursor"), null=True, blank=True, unique=True, editable=False)

    objects = NoticeQuerySet.as_manager()

    # Addressed to whoever holds the role at the node: the inbox follows the node.
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-cursor"]
        constraints = [
            models.CheckConstraint(
                name="notice_one_kind_of_recipient",
                condition=(
                    Q(recipient__isnull=False, resident__isnull=True, region__isnull=True, role="")
                    | Q(recipient__isnull=True, resident__isnull=False, region__isnull=True, role="")
                    | Q(recipient__isnull=True, resident__isnull=True, region__isnull=False) & ~Q(role="")
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "cursor"], name="notice_recipient_cursor_idx"),
            models.Index(fields=["role", "region_path", "cursor"], name="notice_role_region_idx"),
            models.Index(fields=["id"], name="notice_without_cursor_idx", condition=Q(cursor__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def link(self) -> dict | None:
        if not (self.link_type or self.link_url):
            return None
        return {"type": self.link_type, "id": self.link_id, "url": self.link_url}


class CursorCounter(models.Model):
    """One row: the last cursor given. Locking it orders cursor assignment by commit."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("notice cursor counter")
        verbose_name_plural = _("notice cursor counters")

    def __str__(self) -> str:
        return str(self.value)


class NoticeRead(models.Model):
    """A notice one user has read; kept per user, also for notices addressed to a region."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="reads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice read")
        verbose_name_plural = _("notices read")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once")]
        indexes = [models.Index(fields=["user", "notice"], name="notice_read_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.notice_id}"


class NoticeReadThrough(models.Model):
    """Everything up to this cursor is read ("mark all as read"), in one row per user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    cursor = models.BigIntegerField(_("read through cursor"), default=0)

    class Meta:
        verbose_name = _("notices read through")
        verbose_name_plural = _("notices read through")

    def __str__(self) -> str:
        return f"{self.user_id} read through {self.cursor}"


class NoticePreference(models.Model):
    """How a person wants notices of one kind (or, with an empty kind, of every kind) delivered."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notice_preferences",
    )
    kind = models.CharField(_("kind"), max_length=64, blank=True, help_text=_("Empty: every kind."))
    channels = models.JSONField(_("channels"), default=list)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind or '*'}: {', '.join(self.channels)}"
