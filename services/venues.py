"""Rooms, bookings without overlap, activities with a sign-up cap.

No two live bookings of a room overlap: the room's row is locked while the overlap is checked
(every database), and on PostgreSQL an exclusion constraint (migration 0002, btree_gist) refuses
an overlap whatever path wrote it."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error
from core.audit.services import audit_record, created
from core.registry.models import Resident
from services.contributions import MANAGE
from services.errors import ServicesError
from services.models import Activity, ActivitySignup, Booking, Room
from services.places import in_scope, region_for

OVERLAP_CONSTRAINT = "svc_booking_no_overlap"


def room_create(*, actor, region: int, request=None, **fields) -> Room:
    place = region_for(actor, region, MANAGE)
    if fields["closes_at"] <= fields["opens_at"]:
        raise field_error("closes_at", _("The room closes after it opens."))
    with transaction.atomic():
        room = Room.objects.create(region=place, region_path=place.path, **fields)
        audit_record(
            actor=actor,
            action="services.room.create",
            target=room,
            changes=created(name=room.name, capacity=room.capacity),
            request=request,
        )
    return room


def _check_opening_hours(room: Room, starts_at: datetime, ends_at: datetime) -> None:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if ends_at <= starts_at:
        raise field_error("ends_at", _("The booking ends after it starts."))
    if start.date() != end.date() or start.time() < room.opens_at or end.time() > room.closes_at:
        raise field_error(
            "starts_at",
            _("The room is open from %(opens)s to %(closes)s.")
            % {"opens": room.opens_at, "closes": room.closes_at},
            code=ServicesError.OUTSIDE_OPENING_HOURS,
        )


def overlap_refused() -> Conflict:
    return Conflict(_("The room is already booked at that time."), code=ServicesError.BOOKING_OVERLAP)


def booking_create(
    *, actor, room: int, starts_at: datetime, ends_at: datetime, purpose: str, request=None
) -> Booking:
    where = in_scope(actor, Room.objects.all(), room, MANAGE, field="room")
    _check_opening_hours(where, starts_at, ends_at)
    try:
        with transaction.atomic():
            where = Room.objects.select_for_update().get(pk=where.pk)
            if where.bookings.filter(cancelled=False, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
                raise overlap_refused()
            booking = Booking.objects.create(
                room=where,
                region=where.region,
                region_path=where.region_path,
                starts_at=starts_at,
                ends_at=ends_at,
                purpose=purpose,
                booked_by=actor,
            )
            audit_record(
                actor=actor,
                action="services.booking.create",
                target=booking,
                changes=created(room=where.pk, starts_at=starts_at, ends_at=ends_at, purpose=purpose),
                request=request,
            )
    except IntegrityError as clash:
        if OVERLAP_CONSTRAINT in str(clash):
            raise overlap_refused() from clash
        raise
    return booking


def booking_cancel(*, actor, booking: Booking, request=None) -> Booking:
    """Cancel a booking that has not ended: its time is free again. Twice: 409."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.cancelled:
            raise Conflict(_("This booking is already cancelled."), code=ServicesError.BOOKING_CANCELLED)
        if booking.ends_at <= timezone.now():
            raise Conflict(
                _("This booking is over; it cannot be cancelled."), code=ServicesError.BOOKING_OVER
            )
        booking.cancelled = True
        booking.save(update_fields=["cancelled", "updated_at"])
        audit_record(
            actor=actor,
            action="services.booking.cancel",
            target=booking,
            changes={"cancelled": {"old": False, "new": True}},
            request=request,
        )
    return booking


def activity_create(
    *,
    actor,
    region: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    cap: int,
    room: int | None = None,
    request=None,
) -> Activity:
    place = region_for(actor, region, MANAGE)
    hall = in_scope(actor, Room.objects.all(), room, MANAGE, field="room") if room is not None else None
    if ends_at <= starts_at:
        raise field_error("ends_at", _("The activity ends after it starts."))
    with transaction.atomic():
        activity = Activity.objects.create(
            region=place,
            region_path=place.path,
            title=title,
            room=hall,
            starts_at=starts_at,
            ends_at=ends_at,
            cap=cap,
        )
        audit_record(
            actor=actor,
            action="services.activity.create",
            target=activity,
            changes=created(title=title, starts_at=starts_at, cap=cap),
            request=request,
        )
    return activity


def activity_signup(*, actor, activity: Activity, resident: int, request=None) -> ActivitySignup:
    """Sign a resident up; refused once the cap is reached (the activity's row is locked)."""
    person = in_scope(actor, Resident.objects.active(), resident, MANAGE, field="resident")
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.signups.filter(resident=person).exists():
            raise Conflict(_("This resident has already signed up."), code=ServicesError.ALREADY_SIGNED_UP)
        if activity.signups.count() >= activity.cap:
            raise Conflict(
                _("All %(cap)s places of this activity are taken.") % {"cap": activity.cap},
                code=ServicesError.ACTIVITY_FULL,
            )
        signup = ActivitySignup.objects.create(activity=activity, resident=person)
        audit_record(
            actor=actor,
            action="services.activity.signup",
            target=activity,
            changes=created(resident=person.pk),
            request=request,
        )
    return signup
