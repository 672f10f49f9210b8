"""Home services (居家上门服务): a provider's worker sees only the provider's orders, a visit is
checked in and out with time and position, a visit shorter than the service's minimum is
flagged, and the elder's family rates it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.registry.models import ResidentTag
from services.contributions import PROVIDER_STAFF
from services.homecare import subsidy_for, visit_check_in, visit_check_out
from services.models import ProviderStaff, Visit
from tests.helpers import assert_error, client_for
from tests.services import factories as f
from tests.world import make_staff

API = "/api/v1/services/orders"
POSITION = {"longitude": "118.376000", "latitude": "31.326000"}


def _worker_of(provider, region):
    worker = make_staff(PROVIDER_STAFF, region)
    ProviderStaff.objects.create(provider=provider, user=worker)
    return worker


def test_a_providers_worker_sees_only_its_own_orders(world):
    ours, theirs = f.provider(world.community_a), f.provider(world.community_a)
    worker = _worker_of(ours, world.community_a)
    mine = f.order(world.grid_a1, by=ours)
    other = f.order(world.grid_a1, by=theirs)
    elsewhere = f.order(world.grid_b1, by=ours)  # the provider's order where the worker holds no role
    client = client_for(worker)
    listed = client.get(API + "/").json()["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    assert_error(client.get(f"{API}/{other.pk}/"), 404, "not_found")
    assert_error(client.get(f"{API}/{elsewhere.pk}/"), 404, "not_found")
    assert_error(client.post(f"{API}/{other.pk}/check-in/", POSITION, format="json"), 404, "not_found")
    # Staff of the community see every order of it.
    assert {row["id"] for row in client_for(world.community_worker).get(API + "/").json()["results"]} == {
        mine.pk,
        other.pk,
    }


def test_a_visit_is_checked_in_and_out_with_time_and_position_and_a_short_one_is_flagged(world):
    provider = f.provider(world.community_a)
    worker = _worker_of(provider, world.community_a)
    order = f.order(world.grid_a1, by=provider, service=f.home_service(min_minutes=60))
    client = client_for(worker)
    assert_error(client.post(f"{API}/{order.pk}/check-out/", POSITION, format="json"), 409, "not_checked_in")
    started = client.post(f"{API}/{order.pk}/check-in/", POSITION, format="json")
    assert started.status_code == 200, started.content
    assert started.json()["visit"]["in_longitude"] == "118.376000"
    Visit.objects.filter(order=order).update(checked_in_at=timezone.now() - timedelta(minutes=25))
    ended = client.post(f"{API}/{order.pk}/check-out/", POSITION, format="json").json()
    assert (ended["status"], ended["visit"]["minutes"], ended["visit"]["too_short"]) == ("done", 25, True)
    assert (
        client_for(world.community_worker).get(API + "/", {"too_short": "true"}).json()["results"][0]["id"]
        == order.pk
    )


def test_a_visit_as_long_as_the_minimum_is_not_flagged(world):
    order = f.order(world.grid_a1, service=f.home_service(min_minutes=30))
    visit_check_in(
        actor=world.community_worker, order=order, longitude=Decimal("118.1"), latitude=Decimal("31.1")
    )
    at = Visit.objects.get(order=order).checked_in_at + timedelta(minutes=30)
    visit = visit_check_out(
        actor=world.community_worker, order=order, longitude=Decimal("118.1"), latitude=Decimal("31.1"), at=at
    )
    assert (visit.minutes, visit.too_short) == (30, False)


def test_the_elders_family_rates_the_visit_once(world):
    """A member of the elder's household (the world's resident) rates the visit."""
    elder = f.elder(world.grid_a1, household=world.household)
    order = f.order(world.grid_a1, resident=elder)
    start = timezone.now() - timedelta(hours=2)
    Visit.objects.create(
        order=order,
        checked_in_at=start,
        in_longitude=1,
        in_latitude=1,
        checked_out_at=start + timedelta(hours=1),
        minutes=60,
    )
    family = client_for(world.resident_user)
    rated = family.post(f"{API}/{order.pk}/rate/", {"rating": 4, "comment": "很细心"}, format="json")
    assert rated.status_code == 200, rated.content
    assert rated.json()["visit"]["rating"] == 4
    assert_error(family.post(f"{API}/{order.pk}/rate/", {"rating": 5}, format="json"), 409, "visit_rated")
    assert_error(
        family.post(f"{API}/{order.pk}/rate/", {"rating": 9}, format="json"), 400, "invalid", ["rating"]
    )
    stranger = f.order(world.grid_a1)
    assert_error(family.post(f"{API}/{stranger.pk}/rate/", {"rating": 5}, format="json"), 404, "not_found")


def test_the_subsidy_goes_to_the_eligible_only(world):
    service = f.home_service()
    service.eligible_tags = ["registry.disability"]
    service.save()
    elder = f.elder(world.grid_a1)
    today = timezone.localdate()
    assert subsidy_for(service, elder, today) == Decimal(0)
    ResidentTag.objects.create(resident=elder, tag="registry.disability", started_on=today)
    assert subsidy_for(service, elder, today) == Decimal(40)
