"""The register's identity lookups travel in a POST body (issue 13): `id_number` and `phone` (and
`q` holding a whole ID number or mobile) in a GET are refused with `identity_in_query`, naming
the POST search; POST /api/v1/registry/residents/search/ takes the list's filters in its body."""

from __future__ import annotations

from datetime import date

import pytest

from tests.core.registry.factories import resident
from tests.helpers import assert_error, client_for
from tests.world import id_number, mobile

pytestmark = pytest.mark.django_db
URL = "/api/v1/registry/residents/"
SEARCH = f"{URL}search/"
EXPORT = "/api/v1/registry/imports/exports/residents/"


@pytest.fixture
def people(world):
    worker = world.community_worker
    number, phone = id_number(date(1985, 3, 4)), mobile()
    li = resident(grid=world.grid_a1, actor=worker, name="李四", document_number=number, mobile=phone)
    zhang = resident(
        grid=world.grid_a1, actor=worker, name="张三", document_number=id_number(date(1990, 1, 2))
    )
    return {"li": li, "zhang": zhang, "number": number, "phone": phone}


def post(client, body, query: str = ""):
    return client.post(f"{SEARCH}{query}", body, format="json")


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def test_a_get_with_an_id_number_or_a_phone_is_refused(world, people):
    client = client_for(world.community_worker)
    for url in (URL, f"{URL}my-grid/", EXPORT):
        for params, field in (
            ({"id_number": people["number"]}, "id_number"),
            ({"phone": people["phone"]}, "phone"),
            ({"q": people["number"]}, "q"),
            ({"q": people["phone"]}, "q"),
            ({"id_number": "not a number"}, "id_number"),
        ):
            error = assert_error(client.get(url, params), 400, "identity_in_query", fields=[field])
            assert "POST /api/v1/registry/residents/search/" in error["message"]
    # Names and pinyin stay plain GET filters.
    assert names(client.get(URL, {"q": "李"})) == ["李四"]
    assert names(client.get(URL, {"q": "zs"})) == ["张三"]


def test_the_post_search_takes_the_list_filters_in_its_body(world, people):
    client = client_for(world.community_worker)
    assert names(post(client, {"id_number": people["number"]})) == ["李四"]
    assert names(post(client, {"phone": people["phone"]})) == ["李四"]
    assert names(post(client, {"q": people["number"]})) == ["李四"]
    assert names(post(client, {"q": "张"})) == ["张三"]
    assert names(post(client, {"age_min": 30, "age_max": 45, "region": world.grid_a1.pk}))
    assert names(post(client, {"status": ["active"], "tag": []})) == [
        "张三",
        "李四",
        "王大明",
    ]
    assert names(post(client, {})) == ["张三", "李四", "王大明"]
    # Pages as the list does: cursor, page_size and ordering in the query string.
    first = post(client, {"status": ["active"]}, "?page_size=2&ordering=id").json()
    assert len(first["results"]) == 2 and first["next_cursor"] and first["total"] == 3
    rest = client.post(
        f"{SEARCH}?page_size=2&ordering=id&cursor={first['next_cursor']}",
        {"status": ["active"]},
        format="json",
    ).json()
    assert [r["id"] for r in first["results"] + rest["results"]] == sorted(
        [people["li"].pk, people["zhang"].pk, world.applicant.pk]
    )
    # Personal numbers leave masked, as from the list.
    row = post(client, {"id_number": people["number"]}).json()["results"][0]
    assert people["number"] not in str(row) and "*" in row["document_number"]


def test_the_post_search_refuses_what_the_list_refuses(world, people):
    client = client_for(world.community_worker)
    assert_error(post(client, {"nonsense": 1}), 400, "invalid", fields=["nonsense"])
    assert_error(post(client, {"age_min": 10000000}), 400, "invalid", fields=["age_min"])
    assert_error(
        post(client, {"region": 99999999999999999999}),
        400,
        "invalid",
        fields=["region"],
    )
    assert post(client, {"tag": ["nonsense"]}).status_code == 400
    assert post(client, ["id_number"]).status_code == 400


def test_the_post_search_stays_in_scope(world, people):
    other = client_for(world.worker_b)  # 乙社区's worker
    assert names(post(other, {"id_number": people["number"]})) == []
    assert post(client_for(world.resident_user), {}).status_code == 403
    assert post(client_for(None), {}).status_code in (401, 403)
