"""What every list request costs before its own query: one read of the caller's roles, and a
FilterSet holding only the filters the request names (core/api/filtering.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.accounts.tokens import issue_tokens
from core.api.filtering import narrowed
from core.registry.filters import ResidentFilter
from core.registry.models import Resident
from tests.helpers import assert_error, client_for
from tests.world import make_resident_record

pytestmark = pytest.mark.django_db
URL = "/api/v1/registry/residents/"


def _signed_in(user) -> APIClient:
    """A client carrying a real access token, so that authentication runs as in production."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(user, second_factor=False)['access']}")
    return client


def test_a_list_request_reads_the_callers_roles_once(world):
    client = _signed_in(world.community_worker)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200, response.content
    role_reads = [q["sql"] for q in queries.captured_queries if "accounts_roleassignment" in q["sql"]]
    assert len(role_reads) == 1, role_reads


def test_a_role_that_needs_a_second_factor_is_still_refused_without_one(world):
    """Authentication now reads the roles through the scope: the rule it checks is unchanged."""
    response = _signed_in(world.district_staff).get(URL)
    assert_error(response, 403, "two_factor_required")


def test_the_filterset_holds_only_the_filters_named():
    assert narrowed(ResidentFilter, []) is None
    assert narrowed(ResidentFilter, ["cursor", "page_size"]) is None
    assert set(narrowed(ResidentFilter, ["status"]).base_filters) == {"status"}
    assert set(narrowed(ResidentFilter, ["age_min", "q"]).base_filters) == {"age_min", "q"}
    assert narrowed(ResidentFilter, ["status"]) is narrowed(ResidentFilter, ["status", "cursor"])
    assert narrowed(ResidentFilter, list(ResidentFilter.base_filters)) is ResidentFilter


def test_named_filters_still_narrow_and_validate(world):
    grid = world.grid_a1
    staying = make_resident_record(grid, name="周一", birth=date(1980, 1, 1))
    gone = make_resident_record(grid, name="吴二", birth=date(1950, 1, 1), status=Resident.Status.MOVED_OUT)
    client = client_for(world.community_worker)

    everyone = {row["id"] for row in client.get(URL).json()["results"]}
    assert {staying.pk, gone.pk} <= everyone
    moved_out = {row["id"] for row in client.get(URL, {"status": "moved_out"}).json()["results"]}
    assert gone.pk in moved_out and staying.pk not in moved_out
    older = {row["id"] for row in client.get(URL, {"age_min": 70, "cursor": ""}).json()["results"]}
    assert gone.pk in older and staying.pk not in older
    assert_error(client.get(URL, {"age_min": "old"}), 400, "invalid", ["age_min"])


@pytest.mark.django_db(transaction=True)
def test_under_asgi_the_middleware_and_view_run_in_one_thread_hop(world, monkeypatch):
    """The served application (config/asgi.py) enters the sync thread once for the whole chain
    and the view (core/api/asgi_handler.py), not once or twice per middleware."""
    import asyncio

    from asgiref import sync

    from config.asgi import django_http

    token = issue_tokens(world.community_worker, second_factor=False)["access"]
    hops, sent = [], []
    original = sync.SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        hops.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await original(self, *args, **kwargs)

    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if requests:
            return requests.pop()
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": URL,
        "raw_path": URL.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    monkeypatch.setattr(sync.SyncToAsync, "__call__", counted)
    asyncio.run(django_http(scope, receive, send))
    assert sent[0]["status"] == 200, sent
    assert [h for h in hops if "Middleware" in h or "ViewSet" in h or "render" in h] == [], hops
    assert hops.count("BaseHandler.get_response") == 1, hops
