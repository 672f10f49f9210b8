"""Rooms and activities: bookings never overlap (the room's row lock everywhere, an exclusion
constraint on PostgreSQL), bookings keep to the opening hours, activities to their cap."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from services.models import ActivitySignup, Booking
from tests.helpers import assert_error, client_for
from tests.services import factories as f

API = "/api/v1/services"


def _book(client, room, start, end):
    return client.post(
        f"{API}/bookings/",
        {"room": room.pk, "starts_at": start.isoformat(), "ends_at": end.isoformat(), "purpose": "议事会"},
        format="json",
    )


def test_an_overlapping_booking_is_refused_and_an_adjacent_one_is_not(world):
    room = f.room(world.grid_a1)
    client = client_for(world.community_worker)
    assert _book(client, room, f.tomorrow_at(9), f.tomorrow_at(11)).status_code == 201
    refused = assert_error(
        _book(client, room, f.tomorrow_at(10, 30), f.tomorrow_at(12)), 409, "booking_overlap"
    )
    assert refused["message"]
    assert_error(_book(client, room, f.tomorrow_at(8), f.tomorrow_at(12)), 409, "booking_overlap")
    assert _book(client, room, f.tomorrow_at(11), f.tomorrow_at(12)).status_code == 201
    assert _book(client, f.room(world.grid_a1), f.tomorrow_at(9), f.tomorrow_at(11)).status_code == 201
    assert Booking.objects.filter(room=room).count() == 2


def test_a_cancelled_booking_frees_its_time_once_and_a_past_one_stays(world):
    room = f.room(world.grid_a1)
    client = client_for(world.community_worker)
    booking = _book(client, room, f.tomorrow_at(9), f.tomorrow_at(11)).json()
    cancelled = client.post(f"{API}/bookings/{booking['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
    assert_error(client.post(f"{API}/bookings/{booking['id']}/cancel/"), 409, "booking_cancelled")
    assert _book(client, room, f.tomorrow_at(9), f.tomorrow_at(11)).status_code == 201
    past = f.booking(world.grid_a1)
    Booking.objects.filter(pk=past.pk).update(
        starts_at=f.tomorrow_at(9) - timedelta(days=3), ends_at=f.tomorrow_at(10) - timedelta(days=3)
    )
    assert_error(client.post(f"{API}/bookings/{past.pk}/cancel/"), 409, "booking_over")
    assert client_for(world.worker_b).post(f"{API}/bookings/{booking['id']}/cancel/").status_code == 404


def test_a_booking_keeps_to_the_rooms_opening_hours(world):
    room = f.room(world.grid_a1)
    assert_error(
        _book(client_for(world.community_worker), room, f.tomorrow_at(20), f.tomorrow_at(22)),
        400,
        "outside_opening_hours",
        ["starts_at"],
    )


@pytest.mark.postgres
def test_the_database_itself_refuses_an_overlap_on_postgresql(world):
    booking = f.booking(world.grid_a1)
    with pytest.raises(IntegrityError, match="svc_booking_no_overlap"), transaction.atomic():
        Booking.objects.create(
            room=booking.room, region=booking.region, region_path=booking.region_path,
            starts_at=f.tomorrow_at(9, 30), ends_at=f.tomorrow_at(10, 30), purpose="绕过服务",
        )  # fmt: skip
    # A cancelled booking no longer holds its time.
    Booking.objects.filter(pk=booking.pk).update(cancelled=True)
    Booking.objects.create(
        room=booking.room, region=booking.region, region_path=booking.region_path,
        starts_at=f.tomorrow_at(9, 30), ends_at=f.tomorrow_at(10, 30), purpose="取消后再订",
    )  # fmt: skip


def test_sign_ups_over_an_activitys_cap_are_refused(world):
    activity = f.activity(world.grid_a1, cap=2)
    client = client_for(world.community_worker)
    url = f"{API}/activities/{activity.pk}/signup/"
    for _ in range(2):
        assert client.post(url, {"resident": f.elder(world.grid_a1).pk}, format="json").status_code == 201
    assert_error(
        client.post(url, {"resident": f.elder(world.grid_a1).pk}, format="json"), 409, "activity_full"
    )
    assert ActivitySignup.objects.filter(activity=activity).count() == 2
    assert client.get(f"{API}/activities/{activity.pk}/").json()["signed_up"] == 2
