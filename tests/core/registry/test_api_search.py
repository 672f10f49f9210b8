"""Search, keyset pagination, query counts, the household timeline, my grid and the schema."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.accounts.roles import Role
from core.api.pagination import KeysetPagination
from core.extensions import TimelineProvider
from core.extensions.registry import registry
from core.registry import services
from tests.core.registry.factories import house, resident
from tests.world import id_number, make_staff, mobile

pytestmark = pytest.mark.django_db
URL = "/api/v1/registry/residents/"


@pytest.fixture
def people(world, worker_a, worker_b):
    today = timezone.localdate()
    zhang = resident(
        grid=world.grid_a1, actor=worker_a, name="张三", document_number=id_number(date(1940, 1, 1))
    )
    zhang_phone = mobile()
    services.resident_update(actor=worker_a, resident=zhang, data={"mobile": zhang_phone})
    li = resident(
        grid=world.grid_a2, actor=worker_a, name="李四", document_number=id_number(date(1990, 5, 5))
    )
    kid = resident(
        grid=world.grid_a2,
        actor=worker_a,
        name="赵小六",
        document_number=id_number(today.replace(year=today.year - 10) - timedelta(days=3)),
    )
    wang = resident(
        grid=world.grid_b1, actor=worker_b, name="张伟", document_number=id_number(date(1960, 1, 1))
    )
    services.tag_assign(actor=worker_a, resident=li, tag="registry.dibao")
    ended = services.tag_assign(
        actor=worker_a, resident=zhang, tag="registry.dibao", started_on=date(2020, 1, 1)
    )
    services.tag_end(actor=worker_a, resident_tag=ended, ended_on=date(2021, 1, 1))
    return {"zhang": zhang, "li": li, "kid": kid, "wang": wang, "zhang_phone": zhang_phone}


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_search(api_client, world, worker_a, street_staff, people):
    api_client.force_authenticate(worker_a)
    get = lambda **params: names(api_client.get(URL, params))  # noqa: E731
    assert get(q="zs") == {"张三"}
    assert get(q="zhangsan") == {"张三"}
    assert get(q="三") == {"张三"}
    # A minor is found by the stored name and shown masked (issue 4).
    assert get(q="z") == {"张三", "赵**"}
    assert get(q="赵小六") == get(name="小六") == get(q="zxl") == {"赵**"}
    # Identity lookups in a POST body, never in the address (issue 13; tests/hostile).
    post = lambda **body: names(api_client.post(f"{URL}search/", body, format="json"))  # noqa: E731
    assert post(id_number=people["li"].document_number_encrypted) == {"李四"}
    assert post(q=people["li"].document_number_encrypted) == {"李四"}
    assert post(phone=people["zhang_phone"]) == {"张三"}
    assert get(region=world.grid_a2.pk) == {"李四", "赵**"}
    assert get(tag="registry.dibao") == {"李四"}  # the ended tag does not count
    assert get(tag="registry.age_60_plus") == {"张三"}
    assert get(tag="registry.minor") == {"赵**"}
    assert get(age_min=30, age_max=40) == {"李四"}
    assert get(age_max=10) == {"赵**"}
    assert get(region=world.grid_b1.pk) == set()  # out of scope stays out of scope
    api_client.force_authenticate(street_staff)
    assert get(q="zs") == {"张三"}
    assert get(q="zw") == {"张伟"}
    assert get(region=world.community_b.pk) == {"张伟"}
    assert api_client.get(URL, {"tag": "nonsense"}).status_code == 400


def test_search_semantics_of_short_and_long_queries(api_client, world, worker_a, street_staff, people):
    """1–2 characters: names starting or ending with them (every 2-character piece of a name of
    up to three); 3 or more: names containing them; pinyin and initials from the start, any case
    and spacing; LIKE wildcards are plain characters."""
    resident(grid=world.grid_a1, actor=worker_a, name="John Smith", document_type="none")
    api_client.force_authenticate(street_staff)
    get = lambda **params: names(api_client.get(URL, params))  # noqa: E731
    assert get(q="张") == {"张三", "张伟"}  # a surname
    assert get(q="伟") == get(q="张伟") == get(name="伟") == {"张伟"}  # the end of a name
    assert get(q="三") == {"张三"}
    assert get(q="赵小") == get(q="小六") == get(name="小六") == {"赵**"}  # start or end of three
    assert get(q="小") == set()  # the middle of a name: not a 1–2 character match
    assert get(q="赵小六") == get(name="赵小六") == {"赵**"}
    assert get(q="ZS") == get(q="Zhang San") == get(q="zhangs") == {"张三"}
    assert get(q="hangsan") == set()  # pinyin matches from the start
    assert get(q="john") == get(q="Smith") == {"John Smith"}  # a Latin-script name
    assert get(q="张%") == get(q="_") == get(q="%") == get(name="%三") == set()
    assert get(q="  ") == get(q="") == {"张三", "张伟", "李四", "赵**", "John Smith"}


def test_sorting_and_keyset_pages(api_client, world, worker_a, people):
    for index in range(5):
        resident(grid=world.grid_a1, actor=worker_a, name=f"钱{index}", birth=date(1970 + index, 1, 1))
    resident(grid=world.grid_a1, actor=worker_a, name="无证", document_type="none")  # no birth date
    api_client.force_authenticate(worker_a)
    for ordering in ("name", "-name", "birth_date", "-birth_date", "id", "-created_at"):
        seen, url = [], f"{URL}?page_size=2&ordering={ordering}"
        while url:
            body = api_client.get(url).json()
            assert body["total"] == 9 and body["total_is_estimate"] is False
            seen.extend(row["id"] for row in body["results"])
            url = body["next"]
        assert len(seen) == len(set(seen)) == 9, ordering
    by_age = api_client.get(URL, {"ordering": "birth_date", "page_size": 50}).json()["results"]
    assert by_age[0]["name"] == "张三" and by_age[-1]["name"] == "无证"  # unknown birth dates last
    assert api_client.get(URL, {"ordering": "document_number"}).status_code == 400
    assert api_client.get(URL, {"cursor": "garbage"}).status_code == 400


def test_queries_per_page_do_not_grow_with_page_size(api_client, world, worker_a):
    home = house(world.grid_a1)
    for index in range(30):
        person = resident(actor=worker_a, house=home.pk, name=f"孙{index}")
        services.tag_assign(actor=worker_a, resident=person, tag="registry.living_alone")
    api_client.force_authenticate(worker_a)
    api_client.get(URL)  # fills the per-region counts cached for every list (rows_under)
    counts = []
    for size in (5, 25):
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(URL, {"page_size": size})
        assert len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 8, counts


@pytest.mark.postgres
def test_total_is_an_estimate_above_a_community(
    api_client, world, worker_a, street_staff, people, monkeypatch
):
    monkeypatch.setattr(KeysetPagination, "exact_count_below", 0)
    api_client.force_authenticate(street_staff)
    body = api_client.get(URL).json()
    assert body["total_is_estimate"] is True and isinstance(body["total"], int)
    # Narrowed to one community, the total is exact again.
    body = api_client.get(URL, {"region": world.community_a.pk}).json()
    assert (body["total"], body["total_is_estimate"]) == (3, False)
    api_client.force_authenticate(worker_a)
    assert api_client.get(URL).json()["total_is_estimate"] is False


def visits(household_ids, *, limit):
    """A stand-in domain provider: one visit per household."""
    return [
        {"date": date(2030, 1, 1), "kind": "visit", "title": "走访", "details": {"household": household_id}}
        for household_id in household_ids
    ][:limit]


@pytest.fixture
def visit_provider():
    items = registry._items[TimelineProvider.kind]
    items["tests.visits"] = ("tests", TimelineProvider(key="tests.visits", provider=f"{__name__}.visits"))
    yield
    items.pop("tests.visits")


def _busy_household(world, worker_a, size: int):
    home = house(world.grid_a1)
    household = services.household_create(actor=worker_a, house=home.pk)
    for index in range(size):
        person = resident(actor=worker_a, household=household.pk, house=home.pk, name=f"周{index}")
        services.tag_assign(
            actor=worker_a, resident=person, tag="registry.key_care", started_on=date(2024, 1, 1)
        )
    return household


def test_household_timeline_newest_first_with_providers_in_bounded_queries(
    api_client, world, worker_a, worker_b, visit_provider
):
    api_client.force_authenticate(worker_a)
    counts = []
    for size in (1, 6):
        household = _busy_household(world, worker_a, size)
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(f"/api/v1/registry/households/{household.pk}/timeline/")
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    entries = response.json()["results"]
    assert entries[0]["kind"] == "visit" and entries[0]["source"] == "tests"
    kinds = {e["kind"] for e in entries}
    assert {"membership.joined", "tag.assigned"} <= kinds
    days = [e["date"] for e in entries]
    assert days == sorted(days, reverse=True)
    page = api_client.get(f"/api/v1/registry/households/{household.pk}/timeline/?page_size=3").json()
    assert len(page["results"]) == 3 and page["next_cursor"] and page["total_is_estimate"] is True
    api_client.force_authenticate(worker_b)
    assert api_client.get(f"/api/v1/registry/households/{household.pk}/timeline/").status_code == 404


def test_my_grid_and_grid_workers(api_client, world, worker_a, people):
    lead = make_staff(Role.GRID_WORKER, world.grid_a2, is_lead=True, username="lead_a2")
    make_staff(Role.GRID_WORKER, world.grid_a2, username="helper")
    api_client.force_authenticate(lead)
    assert names(api_client.get(f"{URL}my-grid/")) == {"李四", "赵**"}
    assert names(api_client.get(f"{URL}my-grid/", {"q": "ls"})) == {"李四"}
    workers = api_client.get(f"/api/v1/regions/{world.grid_a2.pk}/grid-workers/").json()
    rows = [(w["username"], w["is_lead"]) for w in workers["results"]]
    assert rows == [("lead_a2", True), ("helper", False)]
    assert workers["total"] == 2 and workers["next"] is None
    api_client.force_authenticate(worker_a)
    assert names(api_client.get(f"{URL}my-grid/")) == set()


def test_region_endpoints(api_client, world, worker_a, street_staff):
    api_client.force_authenticate(worker_a)
    assert [r["id"] for r in api_client.get("/api/v1/regions/mine/").json()] == [world.community_a.pk]
    children = api_client.get(f"/api/v1/regions/{world.community_a.pk}/children/").json()
    assert [r["name"] for r in children["results"]] == ["第1网格", "第2网格"] and children["total"] == 2
    first = api_client.get(f"/api/v1/regions/{world.community_a.pk}/children/", {"page_size": 1}).json()
    second = api_client.get(
        f"/api/v1/regions/{world.community_a.pk}/children/", {"page_size": 1, "cursor": first["next_cursor"]}
    ).json()
    assert [r["name"] for r in first["results"] + second["results"]] == ["第1网格", "第2网格"]
    assert second["next_cursor"] is None
    assert api_client.get(f"/api/v1/regions/{world.community_b.pk}/").status_code == 404
    api_client.force_authenticate(street_staff)
    subtree = api_client.get(f"/api/v1/regions/{world.street.pk}/subtree/").json()
    assert subtree["total"] == 6 and subtree["results"][0]["id"] == world.street.pk


def test_schema_tags_every_route_by_part():
    from django.urls import include, path
    from drf_spectacular.generators import SchemaGenerator

    from core.registry.api.routes import router

    # Only this part's routes: the test must not depend on other parts' views.
    patterns = [
        path("api/v1/registry/", include(router.urls)),
        path("api/v1/regions/", include("core.regions.api.urls")),
    ]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    for url, operations in schema["paths"].items():
        part = "registry" if url.startswith("/api/v1/registry/") else "regions"
        for method, operation in operations.items():
            assert operation["tags"] == [part], (url, method, operation["tags"])
    assert "/api/v1/registry/residents/{id}/reveal/" in schema["paths"]
    assert "/api/v1/regions/{id}/subtree/" in schema["paths"]
