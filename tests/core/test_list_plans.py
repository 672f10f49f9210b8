"""The plans of scoped lists (issue 12): a community's or a street's page of residents or houses
is read region by region off the `(region_path, …, id)` path index, never by walking the primary
key or the table, even when the statistics make that look cheap.

The tempting data: a community whose rows were many when ANALYZE last ran (so the planner
believes half the table lies under it) and have since mostly moved out, holding the lowest ids,
beside a crowded sibling community with the highest ids. Walking the primary key backwards looks
like a few dozen rows to the planner and is thousands in truth: the plain list query takes it;
ours must not.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.registry.models import House, Resident

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

RESIDENTS = "/api/v1/registry/residents/"
HOUSES = "/api/v1/registry/houses/"
CROWD = 1000  # rows a grid holds at ANALYZE time


def _residents(grid, count: int, tag: str) -> list[Resident]:
    return [
        Resident(
            region=grid,
            region_path=grid.path,
            name=f"居民{tag}{i}",
            name_initials="jm",
            name_pinyin=f"jumin{tag}{i:05d}",
        )
        for i in range(count)
    ]


def _houses(grid, count: int, tag: str) -> list[House]:
    return [House(region=grid, region_path=grid.path, address=f"{tag}路{i}号") for i in range(count)]


@pytest.fixture
def tempting(world):
    """Community A (two grids) crowded at ANALYZE, then emptied down to a few rows with the
    lowest ids; community B crowded with the highest ids. All inside the test's transaction, which
    autovacuum never sees: the statistics stay as ANALYZE left them."""
    a_grids = [world.grid_a1, world.grid_a2]
    for model, make in ((Resident, _residents), (House, _houses)):
        for index, grid in enumerate(a_grids):
            model.objects.bulk_create(make(grid, CROWD, f"a{index}"))
        model.objects.bulk_create(make(world.grid_b1, 2 * CROWD, "b"))
    with connection.cursor() as cursor:
        for table in ("registry_resident", "registry_house"):
            cursor.execute(f"ANALYZE {table}")
        # As after a VACUUM (what autovacuum does to a table at rest): every page all-visible.
        cursor.execute(
            "UPDATE pg_class SET relallvisible = relpages"
            " WHERE relname IN ('registry_resident', 'registry_house')"
        )
    kept = 30
    with connection.cursor() as cursor:
        for table in ("registry_resident", "registry_house"):
            for grid in a_grids:
                cursor.execute(
                    f"DELETE FROM {table} WHERE region_id = %s AND id NOT IN"  # noqa: S608
                    f" (SELECT id FROM {table} WHERE region_id = %s ORDER BY id LIMIT %s)",
                    [grid.pk, grid.pk, kept],
                )
    return world


def _page_sql(api_client, user, url: str, params: dict, table: str) -> str:
    api_client.force_authenticate(user)
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url, params)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == 20
    # The page's ids: the page query itself, or, for a small exact total, the filtered set
    # materialized and sorted (the page query then reads those ids alone).
    page = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('WITH "matched"')
        or (q["sql"].startswith(f'SELECT "{table}"."id"') and " LIMIT 21" in q["sql"])
    ]
    page = [sql for sql in page if sql.startswith("WITH")] or page
    assert len(page) == 1, [q["sql"][:200] for q in queries.captured_queries]
    return page[0]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _plan(sql: str, params=None) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    plan = json.loads(raw) if isinstance(raw, str) else raw
    return list(_nodes(plan[0]["Plan"]))


def _assert_walks(nodes: list[dict], table: str, index: str, whole_set: bool = False) -> None:
    """The table is read through `index`, one region at a time (an equality on the path), or,
    for a small set read whole (`whole_set`, a materialized set), over the scope's range."""
    on_table = [n for n in nodes if n.get("Relation Name") == table]
    kinds = [(n["Node Type"], n.get("Index Name")) for n in on_table]
    assert not [n for n in on_table if n["Node Type"] == "Seq Scan"], kinds
    assert any(n.get("Index Name") == index for n in on_table), kinds
    for node in on_table:
        # A bitmap heap scan reads what its bitmap index scans found: judge those.
        reads = [c for c in _nodes(node) if "Index Name" in c] if "Bitmap" in node["Node Type"] else [node]
        for read in reads:
            condition = read.get("Index Cond", "")
            if read.get("Index Name") == f"{table}_pkey":
                # The primary key only fetches the page's rows by id, never walks the table.
                assert "(id = " in condition, (kinds, condition)
            else:
                # The path index is read one region at a time (an equality), never walked over
                # the whole scope's range.
                assert read.get("Index Name") == index, (kinds, read.get("Index Name"))
                assert "(region_path = " in condition or whole_set, (kinds, condition)


CASES = [
    ("community_worker", RESIDENTS, {}, "registry_resident", "resident_path_idx"),
    ("community_worker", RESIDENTS, {"ordering": "name"}, "registry_resident", "resident_path_pinyin_idx"),
    ("street_staff", RESIDENTS, {}, "registry_resident", "resident_path_idx"),
    ("street_staff", RESIDENTS, {"ordering": "name"}, "registry_resident", "resident_path_pinyin_idx"),
    ("street_staff", RESIDENTS, {"ordering": "-name"}, "registry_resident", "resident_path_pinyin_idx"),
    ("community_worker", HOUSES, {}, "registry_house", "house_path_idx"),
    ("street_staff", HOUSES, {}, "registry_house", "house_path_idx"),
]


@pytest.mark.parametrize(("who", "url", "params", "table", "index"), CASES)
def test_scoped_list_walks_the_path_index(api_client, tempting, who, url, params, table, index):
    sql = _page_sql(api_client, getattr(tempting, who), url, params, table)
    _assert_walks(_plan(sql), table, index, whole_set=sql.startswith('WITH "matched"'))


def test_the_statistics_do_tempt_the_plain_query(tempting):
    """Proof that the data sets the trap: the plain scoped query (the shape lists had before)
    walks the primary key backwards through the crowded community."""
    plain = Resident.objects.filter(region_path__startswith=tempting.community_a.path).order_by("-id")[:21]
    nodes = _plan(*plain.query.sql_with_params())
    assert any(
        n.get("Index Name") == "registry_resident_pkey" and n["Node Type"] == "Index Scan" for n in nodes
    ), [(n["Node Type"], n.get("Index Name")) for n in nodes]


@pytest.mark.parametrize("ordering", ["-id", "name", "-name", "id"])
def test_per_region_pages_are_the_plain_pages(api_client, tempting, ordering):
    """Page after page through the cursor, the street's list is exactly the plain ordering."""
    user = tempting.street_staff
    api_client.force_authenticate(user)
    field = "name_pinyin" if ordering.lstrip("-") == "name" else "id"
    descending = ordering.startswith("-")
    expected = list(
        Resident.objects.filter(region_path__startswith=tempting.street.path)
        .order_by(f"-{field}" if descending else field, "-id" if descending else "id")
        .values_list("id", flat=True)[:95]
    )
    seen: list[int] = []
    params = {"ordering": ordering, "page_size": 19}
    while len(seen) < len(expected):
        body = api_client.get(RESIDENTS, params).json()
        seen += [row["id"] for row in body["results"]]
        params["cursor"] = body["next_cursor"]
    assert seen[: len(expected)] == expected
