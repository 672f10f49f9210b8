"""Venues and activities: rooms with opening hours and equipment, bookings that never overlap
(an exclusion constraint on PostgreSQL, migration 0002; the same check under the room's row lock
everywhere), and activities with a sign-up cap."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion


class Room(Placed):
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"))
    equipment = models.CharField(_("equipment"), max_length=300, blank=True)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        indexes = [path_index("svc_room")]

    def __str__(self) -> str:
        return self.name


class Booking(Placed):
    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=200)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)

    on_region_move = KeepsRegion("a booking records where the room was")

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [
            path_index("svc_booking"),
            models.Index(fields=["room", "starts_at"], name="svc_booking_room_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="svc_booking_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.starts_at}"


class Activity(Placed):
    title = models.CharField(_("title"), max_length=200)
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    cap = models.PositiveIntegerField(_("places"))

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [path_index("svc_activity")]

    def __str__(self) -> str:
        return self.title


class ActivitySignup(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField(_("attended"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity sign-up")
        verbose_name_plural = _("activity sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["activity", "resident"], name="svc_activity_signup_once")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.resident_id}"
