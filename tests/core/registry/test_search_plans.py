"""Resident search keeps its indexes at a city's size (issue 12): for each kind of query, the
statements the list request sends (total and first page) are planned through the index meant for
that kind, and none reads the whole resident table.

The data is small but shaped like a city: 23 grids in 21 streets, residents stored grid by grid
(ids clustered by place, as an import leaves them), names drawn with the real surname skew (王,
李, 张 ~7-10% each), and fresh statistics (ANALYZE); the planner sees the same proportions as at
a million residents. What is searched is the most common name of its kind, the worst case.
"""

from __future__ import annotations

import json
import random
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.accounts.roles import Role
from core.imports.synthetic import PeopleFactory
from core.regions.models import Region
from core.registry.identity import name_pinyin
from core.registry.models import Resident
from core.registry.services import resident_update
from tests.core.registry.factories import resident
from tests.world import id_number, make_staff, mobile

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
URL = "/api/v1/registry/residents/"
PER_GRID = 1_000
EXTRA_STREETS = 20


def _bulk_residents(grid: Region, people: PeopleFactory, pinyin: dict) -> list[Resident]:
    rows = []
    for index in range(PER_GRID):
        name = people.name("M" if index % 2 else "F")
        if name not in pinyin:
            pinyin[name] = name_pinyin(name)
        initials, full = pinyin[name]
        rows.append(
            Resident(
                region=grid,
                region_path=grid.path,
                name=name,
                name_initials=initials,
                name_pinyin=full,
                document_type=Resident.DocumentType.NONE,
                sex="M" if index % 2 else "F",
            )
        )
    return rows


@pytest.fixture
def city(world, worker_a):
    """The world's street (甲社区 with two grids, 乙社区 with one) among 20 other streets of one
    grid each, 1,000 residents a grid; returns what each kind of search looks for."""
    people = PeopleFactory(random.Random(12))
    pinyin: dict = {}
    grids = [world.grid_a1, world.grid_a2, world.grid_b1]
    for number in range(EXTRA_STREETS):
        street = Region.objects.create(name=f"街道{number}", level=Region.Level.STREET, parent=world.district)
        community = Region.objects.create(name=f"社区{number}", level=Region.Level.COMMUNITY, parent=street)
        grids.append(Region.objects.create(name="第1网格", level=Region.Level.GRID, parent=community))
    for grid in grids:
        grid.refresh_from_db()
        Resident.objects.bulk_create(_bulk_residents(grid, people, pinyin), batch_size=1_000)
    person = resident(
        grid=world.grid_a1, actor=worker_a, name="钱多多", document_number=id_number(date(1980, 1, 1))
    )
    phone = mobile()
    resident_update(actor=worker_a, resident=person, data={"mobile": phone})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_resident")
        cursor.execute(
            "SELECT name FROM registry_resident WHERE char_length(name) = 2 AND region_path LIKE %s"
            " GROUP BY name ORDER BY count(*) DESC, name LIMIT 1",
            [world.community_a.path + "%"],
        )
        two = cursor.fetchone()[0]
        cursor.execute(
            "SELECT name, name_initials FROM registry_resident WHERE char_length(name) = 3"
            " AND region_path LIKE %s GROUP BY name, name_initials ORDER BY count(*) DESC, name LIMIT 1",
            [world.community_a.path + "%"],
        )
        three, initials = cursor.fetchone()
    return {
        "2-character name": two,
        "3-character name": three,
        "full pinyin": pinyin[two][1],
        "initials": initials,
        "ID number": person.document_number_encrypted,
        "mobile": phone,
    }


# The index each kind must be answered by: every index named by these fragments (an OR combines
# several). The mobile index has a generated name (db_index=True).
INTENDED = {
    "2-character name": ("resident_name_prefix_idx", "resident_name_suffix_idx"),
    "3-character name": ("resident_name_trgm_idx",),
    "full pinyin": ("resident_pinyin_prefix_idx",),
    "initials": ("resident_initials_prefix_idx",),
    "ID number": ("resident_unique_document",),
    "mobile": ("mobile_index",),
}


def _uses(indexes: set[str], fragments: tuple[str, ...]) -> bool:
    return all(any(fragment in index for index in indexes) for fragment in fragments)


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def resident_plans(client, params: dict) -> list[tuple[str, list[dict]]]:
    """(statement, plan nodes) of each statement of the list request that reads residents."""
    # An ID number or a mobile is looked up only by the POST search (never in a query string).
    by_identity = any(ch.isdigit() for ch in str(params.get("q", "")))
    with CaptureQueriesContext(connection) as queries:
        response = (
            client.post(URL + "search/", params, format="json") if by_identity else client.get(URL, params)
        )
    assert response.status_code == 200, response.content
    assert response.json()["results"], params  # the search finds someone
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if sql.startswith("EXPLAIN") or 'FROM "registry_resident"' not in sql:
                continue
            if sql.endswith('AS "n" FROM "registry_resident" GROUP BY 1'):
                # The per-region counts behind estimated totals (core.regions.scoping.rows_under):
                # the whole table once every few minutes, not the search.
                continue
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            plans.append((sql, list(_nodes(plan[0]["Plan"]))))
    return plans


def test_each_search_kind_is_answered_by_its_index(api_client, world, city):
    scopes = {
        "community": world.community_worker,
        "street": world.street_staff,
        "district": make_staff(Role.DISTRICT_STAFF, world.district, username="district_search"),
    }
    for scope, user in scopes.items():
        api_client.force_authenticate(user)
        for kind, fragments in INTENDED.items():
            plans = resident_plans(api_client, {"q": city[kind]})
            assert len(plans) >= 2, (kind, [sql for sql, _ in plans])  # the total and the page
            used: set[str] = set()
            for sql, nodes in plans:
                if sql.endswith("GROUP BY 1"):
                    continue  # the per-region counts behind estimates, cached (rows_under)
                scanned = [n for n in nodes if n.get("Relation Name") == "registry_resident"]
                assert not [n for n in scanned if n["Node Type"] == "Seq Scan"], (kind, scope, sql)
                used |= {n["Index Name"] for n in nodes if "Index Name" in n}
            count_sql, count_nodes = next((sql, nodes) for sql, nodes in plans if "COUNT(*)" in sql)
            in_count = {n["Index Name"] for n in count_nodes if "Index Name" in n}
            assert _uses(in_count, fragments), (kind, scope, in_count, count_sql)
            assert _uses(used, fragments), (kind, scope, used)

    # 张 (~7% of a city): the total and the first page still go through an index (the name's or
    # the scope's), never a scan of every resident.
    for scope, user in scopes.items():
        api_client.force_authenticate(user)
        for sql, nodes in resident_plans(api_client, {"q": "张"}):
            scanned = [n for n in nodes if n.get("Relation Name") == "registry_resident"]
            assert not [n for n in scanned if n["Node Type"] == "Seq Scan"], (scope, sql)


RARE = "欧阳"


def _make_rare(world, city) -> list[int]:
    """A rare name given to the lowest ids of every grid (what the primary key, walked
    backwards, reaches last): 3 residents in each of the 23 grids."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_resident SET name = %s, name_initials = 'oy', name_pinyin = 'ouyang'"
            " WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY region_id"
            " ORDER BY id) AS n FROM registry_resident) AS ranked WHERE n <= %s) RETURNING id",
            [RARE, 3],
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("ANALYZE registry_resident")
    return ids


def _walk(client, params: dict) -> tuple[list[int], list[tuple[str, list[dict]]]]:
    seen: list[int] = []
    plans: list[tuple[str, list[dict]]] = []
    params = dict(params)
    while True:
        plans += resident_plans(client, params)
        body = client.get(URL, params).json()
        seen += [row["id"] for row in body["results"]]
        if not body["next_cursor"]:
            return seen, plans
        params["cursor"] = body["next_cursor"]


@pytest.mark.parametrize("ordering", ["-id", "name", "id"])
def test_a_rare_name_is_read_whole_and_sorted(api_client, world, city, ordering):
    """A search matching few rows over a wide scope (the city, a street): the page comes from
    the matching rows read through the name's index and sorted, not from the primary key or the
    path index walked in list order until enough matches turn up; page after page it is exactly
    the plain ordering."""
    rare = set(_make_rare(world, city))
    scopes = {
        "city": (make_staff(Role.DISTRICT_STAFF, world.city, username="city_search"), world.city),
        "street": (world.street_staff, world.street),
    }
    field = "name_pinyin" if ordering.lstrip("-") == "name" else "id"
    descending = ordering.startswith("-")
    for scope, (user, region) in scopes.items():
        api_client.force_authenticate(user)
        expected = list(
            Resident.objects.filter(pk__in=rare, region_path__startswith=region.path)
            .order_by(f"-{field}" if descending else field, "-id" if descending else "id")
            .values_list("id", flat=True)
        )
        assert len(expected) > 8
        seen, plans = _walk(api_client, {"q": RARE, "ordering": ordering, "page_size": 4})
        assert seen == expected, scope
        for sql, nodes in plans:
            if sql.endswith("GROUP BY 1"):
                continue  # the per-region counts behind estimates, cached (rows_under)
            scanned = [n for n in nodes if n.get("Relation Name") == "registry_resident"]
            kinds = [(n["Node Type"], n.get("Index Name")) for n in scanned]
            assert not [n for n in scanned if n["Node Type"] == "Seq Scan"], (scope, kinds, sql)
            for node in nodes:
                if node.get("Index Name") == "registry_resident_pkey":
                    # The primary key only fetches the page's rows by id.
                    assert "(id = " in node.get("Index Cond", ""), (scope, kinds, sql)
                if node.get("Index Name", "").startswith("resident_path"):
                    # Nor is the path index walked in list order, region by region.
                    assert "(region_path = " not in node.get("Index Cond", ""), (scope, kinds, sql)


def test_a_selective_search_asks_the_planner_once(api_client, world, city):
    """The scope's own estimate only corrects a wide total; a search the planner expects to match
    a few rows is counted in any case, so the request plans only the search (one EXPLAIN, not
    two: 0.8 ms of a street's search at a million residents)."""
    api_client.force_authenticate(world.street_staff)
    with CaptureQueriesContext(connection) as queries:
        body = api_client.get(URL, {"q": city["3-character name"]}).json()
    assert body["results"] and body["total_is_estimate"] is False
    explains = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("EXPLAIN")]
    assert len(explains) == 1 and city["3-character name"] in explains[0], explains
