"""Every scoped list can be paged region by region (issue 12): its model declares the path index
`(region_path, <default sort key>, id)` that core.regions.scoping.per_region_top reads, so a
street's or a district's first page reads a few index entries a region instead of walking the
table. A list added without one fails here, naming the index to declare (core.regions.placed
path_index); a list that is not scoped by its own path is exempt below, with the reason.

On PostgreSQL, the lists given such an index by issue 12's last round are checked to walk it: one
region at a time, in order, never the table.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from core.regions.models import Region
from core.regions.placed import sorted_path_index
from core.regions.scoping import per_region_top
from tests.core.test_list_plans import _assert_walks, _plan
from tests.world import region

# Lists whose pages are not a region's rows in their default order, and why.
EXEMPT = {
    "/api/v1/affairs/standards/": "a handful of assistance standards a city, read whole",
    "/api/v1/hotline/statistics/": "aggregates, not a list of rows",
    "/api/v1/notices/": "a person's own notices, read by recipient (notice_recipient index)",
    "/api/v1/regions/": "the region tree itself, read by its own path",
    "/api/v1/safety/receipts/": "a person's own acknowledgements, read by addressee",
    "/api/v1/scenarios/": "one row a place and scenario enabled",
}


def _scoped_lists():
    """(URL, view, model, path field, sort field) of every list whose model carries a path."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).replace("^", "").replace("$", "")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route, pattern

    found = {}
    for route, pattern in walk(get_resolver().url_patterns, "/"):
        cls = getattr(pattern.callback, "cls", None)
        actions = getattr(pattern.callback, "actions", None) or {}
        queryset = getattr(cls, "queryset", None)
        if actions.get("get") != "list" or queryset is None or cls in found.values():
            continue
        model = queryset.model
        path_field = getattr(queryset, "region_path_field", "region_path")
        if "__" in path_field or path_field not in {f.name for f in model._meta.get_fields()}:
            continue  # scoped through a related row's path (contacts, tenancies): that row's index
        fields = getattr(cls, "ordering_fields", None) or {"id": "id"}
        default = getattr(cls, "default_ordering", "id").lstrip("-")
        found[route] = (cls, model, path_field, fields.get(default, default))
    return found


def test_every_scoped_list_declares_the_path_index_of_its_default_order():
    lists = _scoped_lists()
    assert "/api/v1/hotline/tickets/" in lists and "/api/v1/audit/" in lists
    missing = [
        f"{route}: {model.__name__} needs path_index(…, {sort!r}) for ({path}, {sort}, id)"
        for route, (_cls, model, path, sort) in sorted(lists.items())
        if route not in EXEMPT and not sorted_path_index(model, sort, path)
    ]
    assert not missing, "\n".join(missing)


def test_exemptions_name_lists_that_exist():
    assert set(EXEMPT) <= set(_scoped_lists())


# --- PostgreSQL: the new indexes are walked one region at a time -------------------------------

ROWS_A_GRID = 300
ROWS_ELSEWHERE = 20_000


def _hotline(world, grid, i):
    from affairs.hotline.models import HotlineTicket

    moment = timezone.now() - timedelta(minutes=i)
    return HotlineTicket(
        ticket_no=f"T{grid.pk}-{i}",
        region=grid,
        region_path=grid.path,
        received_at=moment,
        deadline=moment + timedelta(days=5),
        category="噪音",
        content="投诉",
    )


def _duty(world, grid, i):
    from core.workflow.models import DutyShift

    start = timezone.now() + timedelta(hours=i)
    return DutyShift(
        region=grid,
        region_path=grid.path,
        user=world.community_worker,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )


def _user(world, grid, i):
    from core.accounts.models import User

    return User(username=f"plan-{grid.pk}-{i}", region=grid, region_path=grid.path)


CASES = {
    "hotline_ticket": (_hotline, "received_at", True, "hotline_path_received_idx"),
    "duty_shift": (_duty, "starts_at", True, "duty_path_starts_idx"),
    "user": (_user, "id", True, "user_path_id_idx"),
}


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_streets_first_page_walks_each_regions_index(world, case):
    """A street of three grids in a city whose other streets hold most rows (as a city's
    175 communities do): walking the primary key or the sort key would read through them."""
    make, sort_field, descending, index = CASES[case]
    grids = [world.grid_a1, world.grid_a2, world.grid_b1]
    elsewhere = region(
        "别的网格", Region.Level.GRID, region("别的社区", Region.Level.COMMUNITY, world.district)
    )
    model = make(world, grids[0], 0).__class__
    rows = [make(world, grid, i) for grid in grids for i in range(ROWS_A_GRID)]
    rows += [make(world, elsewhere, ROWS_A_GRID + i) for i in range(ROWS_ELSEWHERE)]
    model.objects.bulk_create(rows, batch_size=2000)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    street = [world.street.path]
    scoped = model.objects.filter(region_path__startswith=world.street.path)
    ids = per_region_top(scoped, street, sort_field, descending, 21)
    assert ids is not None, "the per-region shape must apply"
    sql, params = ids.sql, ids.params
    _assert_walks(_plan(sql, params), table, index)
    # The page is the plain ordering's page.
    order = (f"-{sort_field}", "-id") if descending else (sort_field, "id")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        got = [row[0] for row in cursor.fetchall()]
    assert got == list(scoped.order_by(*order).values_list("id", flat=True)[:21])


def test_dates_and_times_sort_with_their_own_operator_class():
    """A date or a time after the path keeps its btree class (text_ops would not build)."""
    from affairs.models import Benefit

    index = next(i for i in Benefit._meta.indexes if i.name == "benefit_path_started_idx")
    assert index.opclasses == ["varchar_pattern_ops", "date_ops", "int8_ops"]
