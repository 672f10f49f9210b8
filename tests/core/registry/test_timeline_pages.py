"""The household file in keyset pages: every entry once, in order, across pages and across
entries sharing one moment, from providers that take `until` and from older ones that do not;
the same number of queries on a deep page as on the first."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.extensions import TimelineProvider
from core.extensions.registry import registry
from core.registry import services
from core.registry.timeline import household_timeline
from tests.core.registry.factories import house, resident

VISIT_DAYS = [date(2030, 1, d) for d in (1, 1, 1, 1, 2, 3, 3, 5)]  # four on one day: one moment


def visits_with_until(household_ids, *, limit, until=None):
    """A provider reading from where the page ended, as a query would with `until.q(...)`."""
    rows = [
        {"date": day, "kind": "visit", "title": f"走访{index}", "details": {"n": index}}
        for index, day in enumerate(VISIT_DAYS)
    ]
    if until is not None:
        rows = [row for row in rows if row["date"] <= until.date]
    return sorted(rows, key=lambda row: row["date"], reverse=True)[:limit]


def old_style_calls(household_ids, *, limit):
    """A provider written before `until`: asked for everything down to the page."""
    return [
        {"date": date(2029, 6, day), "kind": "call", "title": f"电话{n}", "details": {}}
        for n, day in enumerate((1, 2, 2))
    ][:limit]


@pytest.fixture
def providers():
    items = registry._items[TimelineProvider.kind]
    added = {
        "tests.visits": TimelineProvider(key="tests.visits", provider=f"{__name__}.visits_with_until"),
        "tests.calls": TimelineProvider(key="tests.calls", provider=f"{__name__}.old_style_calls"),
    }
    for key, contribution in added.items():
        items[key] = ("tests", contribution)
    yield
    for key in added:
        items.pop(key)


def _identity(entry: dict) -> tuple:
    return (entry["date"], entry["kind"], entry["title"], entry["resident_id"])


def test_timeline_pages_show_every_entry_once_in_order(api_client, world, worker_a, providers):
    home = house(world.grid_a1)
    household = services.household_create(actor=worker_a, house=home.pk)
    for index in range(3):
        person = resident(actor=worker_a, household=household.pk, house=home.pk, name=f"吴{index}")
        services.tag_assign(
            actor=worker_a, resident=person, tag="registry.key_care", started_on=date(2024, 1, 1)
        )
    whole = household_timeline(household, user=worker_a, limit=200)
    expected = [_identity({**e, "date": e["date"].isoformat()}) for e in whole]
    assert len(expected) == len(set(expected)) >= 17

    api_client.force_authenticate(worker_a)
    url = f"/api/v1/registry/households/{household.pk}/timeline/"
    seen, cursor, queries_per_page = [], None, []
    while True:
        params = {"page_size": 3, **({"cursor": cursor} if cursor else {})}
        with CaptureQueriesContext(connection) as queries:
            body = api_client.get(url, params).json()
        queries_per_page.append(len(queries))
        seen += [_identity(e) for e in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            assert (body["total"], body["total_is_estimate"]) == (len(expected), False)
            break
        assert body["total_is_estimate"] is True and f"cursor={cursor}" in body["next"]
        assert len(seen) <= len(expected)

    assert seen == expected
    # A deep page costs what the first does (one more where the page names people: minors' masks).
    assert max(queries_per_page) <= min(queries_per_page) + 1, queries_per_page


def test_a_cursor_that_is_not_the_timelines_is_refused(api_client, world, worker_a):
    household = services.household_create(actor=worker_a, house=house(world.grid_a1).pk)
    api_client.force_authenticate(worker_a)
    url = f"/api/v1/registry/households/{household.pk}/timeline/"
    for cursor in ("WzEsMl0", "bm90IGpzb24", "WyIyMDMwLTAxLTAxIiwgIngiLCAwLCAwXQ"):
        response = api_client.get(url, {"cursor": cursor})
        assert response.status_code == 400, (cursor, response.content)
        assert list(response.json()["error"]["fields"]) == ["cursor"]
