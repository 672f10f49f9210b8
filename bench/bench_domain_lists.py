"""The domain lists at a city's size: houses, households, events and applications.

    BENCH_DATABASE_URL=postgres://… python -m bench.run --residents 1000000 --only bench.bench_domain_lists

For each list, measured through the viewset's own path (its scoped queryset, its filters and the
keyset paginator with its total: the SQL an API request sends, without rendering), as the demo
accounts of each level (`worker` at a community, `street` at its street, `district` at its
district), every call in a transaction that is rolled back:

- the first page at a street and at a district against the same page at one community (≤ 2×);
- the list's search at the district, against the same request with PostgreSQL's index scans
  switched off (SET LOCAL enable_indexscan/enable_bitmapscan = off), i.e. the same predicate
  forced through a sequential scan: ≥ 100× faster where the search is selective. A search that
  is inherently unselective is printed without a target, saying why.

The search each list offers: houses `q` (address contains), households `q` (number or address
contains), events `state` (the open states: what a worker's to-do list asks), applications
`stage` (those waiting for review). Events and applications offer no text search (no title or
number parameter); their filters are what staff search them by. A last line per list, without
a target, sets the whole request (Django's test client) beside its queryset and paginator.

Needs the demo's city-scale data (`seed_demo --residents N`, N ≥ 50,000: core.workflow.demo
and affairs.demo_city make the events and applications).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlencode

from bench._django import machine, rolled_back, setup
from bench.harness import Context, Result, at_most, cli, compare, faster_by

DOMAIN_TABLES = ("workflow_event", "workflow_eventtransition", "affairs_application")
SCOPE_USERS = {"community": "worker", "street": "street", "district": "district"}
OPEN_STATES = ("reported", "accepted", "assigned", "in_progress", "waiting", "reopened", "escalated")


@dataclass(frozen=True)
class DomainList:
    name: str
    url: str
    search: dict  # query parameters of the search
    search_label: str
    selective: bool = True
    why_unselective: str = ""


def _users() -> dict:
    from core.accounts.models import User

    users = {}
    for scope, username in SCOPE_USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            raise SystemExit(f"no demo account {username!r}: run seed_demo first")
        users[scope] = user
    return users


def _lists() -> list[DomainList]:
    """The four lists and a search of each, its terms taken from the district's own data."""
    from affairs.models import Application
    from core.accounts.models import User
    from core.registry.models import House, Household

    district = User.objects.get(username="district").region
    in_district = {"region_path__startswith": district.path}
    houses = House.objects.filter(**in_district).order_by("id")
    house = houses[houses.count() // 2]
    household = Household.objects.filter(**in_district).order_by("id").last()
    waiting = Application.objects.filter(**in_district, stage="review").count()
    return [
        DomainList("houses", "/api/v1/registry/houses/", {"q": house.address}, f"address {house.address!r}"),
        DomainList(
            "households",
            "/api/v1/registry/households/",
            {"q": household.number},
            f"number {household.number}",
        ),
        DomainList("events", "/api/v1/events/", {"state": list(OPEN_STATES)}, "open events (state=…)"),
        DomainList(
            "applications",
            "/api/v1/affairs/applications/",
            {"stage": "review"},
            f"stage=review ({waiting} at the district)",
        ),
    ]


def _page(user, url: str, params: dict | None = None, *, sequential: bool = False):
    """One list page through the viewset's own path (scoping, filters, keyset paginator with its
    total), as the API runs it, without rendering: the SQL a request sends, and only that."""
    from django.db import connection
    from django.urls import resolve
    from rest_framework.test import APIRequestFactory, force_authenticate

    factory = APIRequestFactory()
    view_class = resolve(url).func.cls

    def call():
        with rolled_back():
            if sequential:
                with connection.cursor() as cursor:
                    for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                        cursor.execute(f"SET LOCAL {setting} = off")
            request = factory.get(url, params or {})
            force_authenticate(request, user)
            view = view_class(
                action_map={"get": "list"}, action="list", args=(), kwargs={}, format_kwarg=None
            )
            view.request = view.initialize_request(request)
            view.headers = {}
            view.initial(view.request)
            page = view.paginate_queryset(view.filter_queryset(view.get_queryset()))
            return list(page), view.paginator

    return call


def _request(client, url: str, params: dict | None = None):
    query = f"?{urlencode(params, doseq=True)}" if params else ""

    def call():
        with rolled_back():
            response = client.get(url + query)
            assert response.status_code == 200, (url + query, response.status_code, response.content[:300])
            return response

    return call


def _vacuum() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in DOMAIN_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


def _totals(users, lists) -> None:
    """What each scope holds, so the figures can be read (exact or the paginator's estimate)."""
    for item in lists:
        shown = []
        for scope, user in users.items():
            _rows, paginator = _page(user, item.url)()
            mark = "~" if paginator.total_is_estimate else ""
            shown.append(f"{scope} {mark}{paginator.total:,}")
        _rows, paginator = _page(users["district"], item.url, item.search)()
        found = f"{'~' if paginator.total_is_estimate else ''}{paginator.total:,}"
        print(f"  {item.name}: {', '.join(shown)}; search {item.search_label}: {found} at the district")


def run(ctx: Context) -> list[Result]:
    setup()
    _vacuum()
    from django.db import connection
    from rest_framework.test import APIClient

    from core.workflow.models import Event

    if connection.vendor != "postgresql":
        raise SystemExit("bench_domain_lists needs PostgreSQL (BENCH_DATABASE_URL)")
    # BENCH_DOMAIN_LISTS=houses,households measures only those (e.g. while events are loading).
    wanted = [name for name in os.environ.get("BENCH_DOMAIN_LISTS", "").split(",") if name]
    if not wanted and not Event.objects.filter(type="workflow.general_request").exists():
        raise SystemExit("no city-scale events: seed with seed_demo --residents 50000 or more")
    print(f"domain lists at {ctx.residents:,} residents ({machine()})", flush=True)
    users = _users()
    lists = [item for item in _lists() if not wanted or item.name in wanted]
    _totals(users, lists)
    scan_runs = max(5, min(ctx.runs, 10))  # a sequential scan of a million events takes a while
    results = []
    for item in lists:
        community = ("community", _page(users["community"], item.url))
        for wide in ("street", "district"):
            results.append(
                compare(
                    f"{item.name}: first page, a {wide} vs one community",
                    (wide, _page(users[wide], item.url)),
                    community,
                    target=at_most(2),
                    runs=ctx.runs,
                )
            )
        results.append(
            compare(
                f"{item.name}: search {item.search_label} at a district vs a sequential scan",
                ("indexes", _page(users["district"], item.url, item.search)),
                ("sequential scan", _page(users["district"], item.url, item.search, sequential=True)),
                target=faster_by(100) if item.selective else None,
                runs=scan_runs,
                note="" if item.selective else item.why_unselective,
            )
        )
        # The whole request for scale (rendering and DRF included), no target: what a user waits.
        client = APIClient()
        client.force_authenticate(users["community"])
        results.append(
            compare(
                f"{item.name}: a community's first page, whole request vs its queryset and paginator",
                ("request", _request(client, item.url)),
                community,
                runs=scan_runs,
            )
        )
    return results


if __name__ == "__main__":
    cli(run)
