"""The domain lists' searches keep their indexes at a city's size (issue 12): houses by address,
households by number or address, applications by stage and events by their open states are
planned through the index meant for each, and none reads its whole table.

The data is small but shaped like a city: thousands of rows spread over a district's grids,
nearly all of them what the search does NOT want (other addresses, closed events, decided
applications), with fresh statistics (ANALYZE), so the planner sees the proportions it sees at a
million residents. Houses, households and applications go through the list request (its total
and its page); events through the two statements their list sends for the open states (the total
and the per-region page, core.regions.scoping.per_region_top), as their scoping is another
helper's (the queryset's own visibility rules are not what is measured here).

Also the search's behaviour on both databases: what an address or a household number finds.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from affairs.models import Application, ServiceItem
from core.regions.models import Region
from core.regions.scoping import per_region_top
from core.registry.models import House, Household
from core.workflow.models import Event
from tests.world import make_resident_record

pytestmark = [pytest.mark.django_db]
postgres = pytest.mark.postgres

HOUSES = "/api/v1/registry/houses/"
HOUSEHOLDS = "/api/v1/registry/households/"
APPLICATIONS = "/api/v1/affairs/applications/"
GRIDS = 12
PER_GRID = 1_000
ESTATES = ["凤凰家园", "月湖新村", "翠竹苑", "东方小区", "碧桂花园", "滨江花园"]
OPEN_STATES = ["reported", "accepted", "assigned", "in_progress", "waiting", "reopened", "escalated"]


def _address(grid_index: int, index: int) -> str:
    estate = ESTATES[(grid_index + index) % len(ESTATES)]
    return (
        f"芜湖市镜湖区滨江街道{estate}{index % 30 + 1}栋{index % 3 + 1}单元{index % 7 + 1}0{index % 4 + 1}室"
    )


def _grids(world) -> list[Region]:
    grids = [world.grid_a1, world.grid_a2, world.grid_b1]
    for number in range(GRIDS - len(grids)):
        street = Region.objects.create(name=f"街道{number}", level=Region.Level.STREET, parent=world.district)
        community = Region.objects.create(name=f"社区{number}", level=Region.Level.COMMUNITY, parent=street)
        grids.append(Region.objects.create(name="第1网格", level=Region.Level.GRID, parent=community))
    for grid in grids:
        grid.refresh_from_db()
    return grids


@pytest.fixture
def city(world):
    """12 grids of 1,000 houses, households, events (97% closed or rejected) and applications (97%
    decided) each; returns what each search looks for."""
    grids = _grids(world)
    item = ServiceItem.objects.get(code="dibao")
    applicant = make_resident_record(world.grid_a1, name="王大明", birth=date(1970, 5, 1))
    for g, grid in enumerate(grids):
        placed = {"region": grid, "region_path": grid.path}
        houses = House.objects.bulk_create(
            House(**placed, address=_address(g, i), number=str(i)) for i in range(PER_GRID)
        )
        households = Household.objects.bulk_create(
            Household(**placed, house=house, number=f"3402{g:04d}{i:06d}", registered_address=house.address)
            for i, house in enumerate(houses)
        )
        events = Event.objects.bulk_create(
            Event(
                **placed,
                type="workflow.general_request",
                source=Event.Source.RESIDENT,
                title="事件",
                state=OPEN_STATES[i % len(OPEN_STATES)]
                if i % 40 == 0
                else ("closed" if i % 9 else "rejected"),
            )
            for i in range(PER_GRID)
        )
        Application.objects.bulk_create(
            Application(
                **placed,
                item=item,
                event=event,
                household=households[i],
                applicant=applicant,
                stage="review" if i % 40 == 0 else ("approved" if i % 5 else "rejected"),
                applied_on=date(2026, 1, 1),
                channel=Application.Channel.COUNTER,
            )
            for i, event in enumerate(events)
        )
    with connection.cursor() as cursor:
        for table in ("registry_house", "registry_household", "workflow_event", "affairs_application"):
            cursor.execute(f"ANALYZE {table}")
    house = House.objects.filter(region=world.grid_a1).order_by("id")[PER_GRID // 2]
    household = Household.objects.filter(region=world.grid_a2).order_by("id")[PER_GRID // 3]
    return {"house": house, "household": household, "grids": grids}


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _plan(sql: str, params=None) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    plan = json.loads(raw) if isinstance(raw, str) else raw
    return list(_nodes(plan[0]["Plan"]))


def _request_plans(client, url: str, params: dict, table: str) -> list[tuple[str, list[dict]]]:
    """(statement, plan nodes) of each statement of the list request that reads `table`."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response.json()["results"], params  # the search finds something
    # Left out: EXPLAIN (the paginator's estimate) and the per-region row counts behind it
    # (GROUP BY region_path, over the whole table once, kept for minutes: core.regions.scoping).
    return [
        (query["sql"], _plan(query["sql"]))
        for query in queries.captured_queries
        if not query["sql"].startswith("EXPLAIN")
        and f'FROM "{table}"' in query["sql"]
        and "GROUP BY" not in query["sql"]
    ]


def _assert_indexed(plans, table: str, index_names: tuple[str, ...], what) -> None:
    """No statement scans `table` sequentially; the total (COUNT) and the statements together use
    every one of `index_names`."""
    assert plans, what
    used: set[str] = set()
    for sql, nodes in plans:
        on_table = [n for n in nodes if n.get("Relation Name") == table]
        assert not [n for n in on_table if n["Node Type"] == "Seq Scan"], (what, sql)
        used |= {n["Index Name"] for n in nodes if "Index Name" in n}
    counts = [nodes for sql, nodes in plans if "COUNT(*)" in sql]
    assert counts, (what, [sql for sql, _ in plans])
    in_count = {n["Index Name"] for nodes in counts for n in nodes if "Index Name" in n}
    for name in index_names:
        assert any(name in index for index in in_count), (what, name, in_count)
        assert any(name in index for index in used), (what, name, used)


SCOPES = ("street_staff", "district_staff")


@postgres
def test_house_address_search_uses_the_trigram_index(api_client, world, city):
    address = city["house"].address
    for who in SCOPES:
        api_client.force_authenticate(getattr(world, who))
        for text in (address, address[-12:], "凤凰家园12栋"):
            plans = _request_plans(api_client, HOUSES, {"q": text}, "registry_house")
            _assert_indexed(plans, "registry_house", ("house_address_trgm_idx",), (who, text))


@postgres
def test_household_number_or_address_search_combines_both_indexes(api_client, world, city):
    household = city["household"]
    for who in SCOPES:
        api_client.force_authenticate(getattr(world, who))
        for text in (household.number, household.number[:13], household.registered_address[-10:]):
            plans = _request_plans(api_client, HOUSEHOLDS, {"q": text}, "registry_household")
            # Either side of the OR through its own index (a BitmapOr): number and address.
            _assert_indexed(
                plans,
                "registry_household",
                ("registry_household_number", "household_address_trgm_idx"),
                (who, text),
            )


@postgres
def test_applications_by_stage_use_the_stage_path_index(api_client, world, city):
    for who in SCOPES:
        api_client.force_authenticate(getattr(world, who))
        plans = _request_plans(api_client, APPLICATIONS, {"stage": "review"}, "affairs_application")
        _assert_indexed(plans, "affairs_application", ("application_stage_path_idx",), who)
        # The per-region page shape, or for a small exact total the filtered set read whole.
        page = [nodes for sql, nodes in plans if "LATERAL" in sql or "MATERIALIZED" in sql]
        assert page, [sql for sql, _ in plans]
        assert "application_stage_path_idx" in {n.get("Index Name") for n in page[0]}


@postgres
def test_open_events_use_the_open_path_index(world, city):
    """The open-states filter of the event list: its total over the scope and its per-region page
    read the partial index of open events, not the million closed ones."""
    for region in (world.street, world.district):
        scoped = Event.objects.filter(region_path__startswith=region.path, state__in=OPEN_STATES)
        with CaptureQueriesContext(connection) as queries:
            assert scoped.count() > 0
        count_nodes = _plan(queries.captured_queries[-1]["sql"])
        top = per_region_top(scoped, [region.path], "created_at", True, 21)
        assert top is not None
        page_sql, page_params = scoped.filter(pk__in=top).query.sql_with_params()
        # The total may as well read the open states off (state, next_escalation_at): either
        # index holds the open events only, in effect; the page must walk the open path index.
        for nodes, wanted in (
            (count_nodes, {"event_open_path_created_idx", "event_escalation_idx"}),
            (_plan(page_sql, page_params), {"event_open_path_created_idx"}),
        ):
            on_table = [n for n in nodes if n.get("Relation Name") == "workflow_event"]
            kinds = [(n["Node Type"], n.get("Index Name")) for n in nodes]
            assert not [n for n in on_table if n["Node Type"] == "Seq Scan"], kinds
            indexes = {n.get("Index Name") for n in nodes}
            assert indexes & wanted, (region.name, kinds)


# Behaviour, both databases ---------------------------------------------------------------------


def _found(api_client, url: str, text: str) -> set[int]:
    response = api_client.get(url, {"q": text, "page_size": 200})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_house_search_finds_an_address_containing_the_text(api_client, world):
    other = House.objects.create(
        region=world.grid_a1, region_path=world.grid_a1.path, address="芜湖市镜湖区凤凰家园3栋201室"
    )
    api_client.force_authenticate(world.community_worker)
    assert _found(api_client, HOUSES, "凤凰家园3栋") == {other.pk}
    assert _found(api_client, HOUSES, "3栋201") == {other.pk}
    assert _found(api_client, HOUSES, "凤凰家园4栋") == set()


def test_household_search_finds_a_number_from_its_start_or_an_address_containing_it(api_client, world):
    grid = world.grid_a1
    first = Household.objects.create(
        region=grid,
        region_path=grid.path,
        number="340202000123",
        registered_address="芜湖市镜湖区月湖新村5栋",
    )
    second = Household.objects.create(
        region=grid, region_path=grid.path, number="340202000999", registered_address="芜湖市镜湖区翠竹苑8栋"
    )
    api_client.force_authenticate(world.community_worker)
    assert _found(api_client, HOUSEHOLDS, "340202000123") == {first.pk}
    assert _found(api_client, HOUSEHOLDS, "3402020009") == {second.pk}
    assert _found(api_client, HOUSEHOLDS, "000123") == set()  # the middle of a number: not a match
    assert _found(api_client, HOUSEHOLDS, "翠竹苑") == {second.pk}
    assert _found(api_client, HOUSEHOLDS, "新村5栋") == {first.pk}
