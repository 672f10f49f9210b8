"""Social work and the service directory: cases involving minors only for the roles that may see
minors' records (未成年人保护法 art. 72); a resident's request is an event for their community."""

from __future__ import annotations

from datetime import date

from services.models import ServiceRequest, SocialCase
from tests.helpers import assert_error, client_for
from tests.services import factories as f

API = "/api/v1/services"


def test_cases_involving_minors_are_seen_only_by_roles_that_may_see_minors(world):
    adult = f.case(world.grid_a1)
    minor = f.case(world.grid_a1, involves_minor=True)
    worker, secretary = client_for(world.community_worker), client_for(world.secretary)
    assert [r["id"] for r in worker.get(f"{API}/cases/").json()["results"]] == [adult.pk]
    assert_error(worker.get(f"{API}/cases/{minor.pk}/"), 404, "not_found")
    assert {r["id"] for r in secretary.get(f"{API}/cases/").json()["results"]} == {adult.pk, minor.pk}
    assert client_for(world.street_staff).get(f"{API}/cases/{minor.pk}/").status_code == 200


def test_a_worker_may_not_open_a_case_about_a_minor(world):
    station = f.station(world.street)
    child = f.elder(world.grid_a1, birth=date(2015, 6, 1), name="小明")
    body = {"station": station.pk, "resident": child.pk, "title": "留守儿童关爱"}
    assert_error(
        client_for(world.community_worker).post(f"{API}/cases/", body, format="json"), 403, "minors_hidden"
    )
    opened = client_for(world.secretary).post(f"{API}/cases/", body, format="json")
    assert opened.status_code == 201, opened.content
    assert opened.json()["involves_minor"] is True
    assert opened.json()["resident_name"] != "小明"  # a minor's name leaves masked
    assert SocialCase.objects.get().involves_minor
    # The street's station is listed to the community's staff who open cases there.
    assert station.pk in [
        r["id"] for r in client_for(world.community_worker).get(f"{API}/stations/").json()["results"]
    ]


def test_a_residents_request_from_the_directory_is_an_event_of_their_community(world):
    entry = f.directory_entry("meals")
    resident = client_for(world.resident_user)
    assert [r["code"] for r in resident.get(f"{API}/directory/").json()["results"]] == ["meals"]
    asked = resident.post(f"{API}/requests/", {"entry": "meals", "note": "想在长者食堂就餐"}, format="json")
    assert asked.status_code == 201, asked.content
    request = ServiceRequest.objects.select_related("event").get()
    assert (request.event.type, request.event.region_id, request.resident_id) == (
        "services.request", world.grid_a1.pk, world.applicant.pk,
    )  # fmt: skip
    assert [r["id"] for r in resident.get(f"{API}/requests/").json()["results"]] == [request.pk]
    assert [
        r["id"] for r in client_for(world.community_worker).get(f"{API}/requests/").json()["results"]
    ] == [request.pk]
    assert_error(
        resident.post(f"{API}/requests/", {"entry": "nothing"}, format="json"), 400, "invalid", ["entry"]
    )
    assert entry.code == "meals"


def test_a_station_is_set_up_and_its_social_workers_join_with_their_qualifications(world):
    from core.accounts.roles import Role
    from tests.helpers import assert_error
    from tests.world import make_staff

    street = client_for(world.street_staff)
    made = street.post(
        "/api/v1/services/stations/", {"region": world.street.pk, "name": "滨江街道社工站"}, format="json"
    )
    assert made.status_code == 201, made.content
    url = f"/api/v1/services/stations/{made.json()['id']}/"
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    joined = street.post(
        f"{url}workers/", {"user": worker.pk, "qualification": "social_worker"}, format="json"
    )
    assert joined.status_code == 201, joined.content
    assert [(w["user"], w["qualification"]) for w in joined.json()["workers"]] == [
        (worker.pk, "social_worker")
    ]
    again = street.post(f"{url}workers/", {"user": worker.pk, "qualification": "senior"}, format="json")
    assert_error(again, 409, "already_at_station")
    grid = street.post("/api/v1/services/stations/", {"region": world.grid_a1.pk, "name": "x"}, format="json")
    assert_error(grid, 400, "invalid", ["region"])
    other_street_user = make_staff(Role.COMMUNITY_WORKER, world.community_b)
    room = (
        client_for(world.community_worker)
        .post(
            "/api/v1/services/stations/",
            {"region": world.community_a.pk, "name": "甲社区社工室"},
            format="json",
        )
        .json()
    )
    refused = client_for(world.community_worker).post(
        f"/api/v1/services/stations/{room['id']}/workers/",
        {"user": other_street_user.pk, "qualification": "none"},
        format="json",
    )
    assert_error(refused, 400, "invalid", ["user"])
    assert client_for(world.worker_b).get(f"/api/v1/services/stations/{room['id']}/").status_code == 404
