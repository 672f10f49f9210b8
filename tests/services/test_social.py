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
