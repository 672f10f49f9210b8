"""The publicity list (公示): what the community posts, online. Residents of the community see it
and may object; staff see it within their scope; names are masked, no numbers, no room."""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import override

from affairs.models import Application, Objection
from affairs.objections import objection_raise, objection_settle
from core.accounts.models import ResidentBinding, RoleAssignment, User
from core.accounts.roles import Role
from core.api.errors import Conflict
from core.registry.models import Building, House, Household
from tests.affairs.dibao_applications import file_dibao, in_publicity, take
from tests.affairs.factories import application, person
from tests.helpers import client_for

URL = "/api/v1/affairs/publicity/"


def resident_user_in(grid, name: str) -> User:
    household = Household.objects.create(region=grid, region_path=grid.path)
    record = person(household, name, date(1985, 1, 1))
    user = User.objects.create(username=f"r{record.pk}", is_staff=False)
    RoleAssignment.objects.create(user=user, role=Role.RESIDENT, region=grid, starts_on=date(2020, 1, 1))
    ResidentBinding.objects.create(user=user, resident=record)
    return user


def posted_in_community_b(world) -> Application:
    grid = world.grid_b1
    house = House.objects.create(region=grid, region_path=grid.path, address="江岸路9号3栋502")
    household = Household.objects.create(region=grid, region_path=grid.path, house=house)
    household.householder = person(household, "钱多多", date(1950, 1, 1))
    household.save()
    today = timezone.localdate()
    return application(
        household,
        "tekun",
        applied_on=today,
        stage="publicity",
        publicity_starts_on=today,
        publicity_ends_on=today + timedelta(days=6),
        monthly_amount="965.00",
    )


def test_residents_of_the_community_see_the_posting_masked_and_without_the_room(world):
    building = Building.objects.create(region=world.grid_a1, region_path=world.grid_a1.path, name="1栋")
    House.objects.filter(pk=world.house_a.pk).update(building=building)
    posted = in_publicity(world)
    posted_in_community_b(world)

    neighbour = resident_user_in(world.grid_a2, "孙邻居")  # another grid, same community
    for user in (world.resident_user, neighbour):
        response = client_for(user).get(URL)
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [row["id"] for row in rows] == [posted.pk]
    row = rows[0]
    assert row["applicant_name"] == "王**"
    assert row["building"] == "1栋"
    assert row["item"] == {"code": "dibao", "name": "最低生活保障（低保）"}
    assert row["covered_members"] == 3 and row["monthly_amount"] is not None
    assert row["publicity_starts_on"] == posted.publicity_starts_on.isoformat()
    body = json.dumps(response.json(), ensure_ascii=False)
    for secret in (
        "王大明",
        "李小红",
        "101",
        world.applicant.document_number_masked,
        world.applicant.mobile_masked,
    ):
        assert not secret or secret not in body


def test_staff_see_postings_in_their_scope_only(world):
    posted = in_publicity(world)
    other = posted_in_community_b(world)
    ids = lambda user: {row["id"] for row in client_for(user).get(URL).json()["results"]}  # noqa: E731
    assert ids(world.street_staff) == {posted.pk, other.pk}
    assert ids(world.community_worker) == {posted.pk}
    assert ids(world.worker_b) == {other.pk}
    assert ids(world.grid_worker) == {posted.pk}

    take(world, Application.objects.get(pk=posted.pk), "reject")
    assert ids(world.street_staff) == {other.pk}  # no longer posted


def test_a_resident_of_the_community_objects_while_the_publicity_runs(world):
    posted = in_publicity(world)
    url = f"{URL}{posted.pk}/objections/"
    neighbour = resident_user_in(world.grid_a2, "孙邻居")
    response = client_for(neighbour).post(url, {"content": "该户有经营性车辆"}, format="json")
    assert response.status_code == 201, response.json()
    objection = Objection.objects.get(pk=response.json()["id"])
    assert objection.recorded_by == neighbour and objection.received_on == timezone.localdate()
    assert objection.upheld is None
    # One objection of theirs at a time: a second waits for the first to be settled.
    again = client_for(neighbour).post(url, {"content": "再次提出"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "objection_pending"
    assert Objection.objects.count() == 1

    with override("en"):
        too_long = client_for(neighbour).post(url, {"content": "长" * 2001}, format="json")
        assert too_long.status_code == 400 and "content" in too_long.json()["error"]["fields"]
        unknown = client_for(neighbour).post(
            url, {"content": "x", "received_on": "2020-01-01"}, format="json"
        )
        assert unknown.status_code == 400 and "received_on" in unknown.json()["error"]["fields"]

    # Someone of the sibling community does not find it; staff record objections on the application.
    outsider = resident_user_in(world.grid_b1, "周外人")
    assert client_for(outsider).post(url, {"content": "x"}, format="json").status_code == 404
    assert client_for(world.street_staff).post(url, {"content": "x"}, format="json").status_code == 403


def test_after_the_publicity_an_objection_answers_conflict(world):
    posted = in_publicity(world)
    take(world, posted, "end_publicity")
    response = client_for(world.resident_user).post(
        f"{URL}{posted.pk}/objections/", {"content": "x"}, format="json"
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_in_publicity"


def test_an_application_never_posted_is_not_found(world):
    filed = file_dibao(world)
    response = client_for(world.resident_user).post(
        f"{URL}{filed.pk}/objections/", {"content": "x"}, format="json"
    )
    assert response.status_code == 404


def test_objections_are_settled_once(world):
    posted = in_publicity(world)
    objection = objection_raise(posted, content="收入未如实申报", received_on=None, actor=world.street_staff)
    settled = objection_settle(objection, upheld=True, resolution="经核实属实", actor=world.street_staff)
    assert settled.upheld is True and settled.resolved_by == world.street_staff
    try:
        objection_settle(objection, upheld=False, resolution="x", actor=world.street_staff)
    except Conflict as error:
        assert error.code == "objection_settled"
    else:
        raise AssertionError("a second settlement was accepted")
