"""A database restart under load answers 503 with Retry-After in the one error shape, logged
as one line without a traceback, for DRF views and for every other view (issue 13)."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper

from tests.helpers import assert_error, client_for

pytestmark = pytest.mark.django_db

LOST = OperationalError("server closed the connection unexpectedly")


def _broken_cursor(error):
    return mock.patch.object(CursorWrapper, "execute", side_effect=error), mock.patch.object(
        CursorWrapper, "executemany", side_effect=error
    )


def _assert_503(response) -> None:
    assert_error(response, 503, "service_unavailable")
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("error", [LOST, InterfaceError("connection already closed")])
def test_an_api_view_answers_503_with_retry_after(world, error, caplog):
    client = client_for(world.community_worker, raise_request_exception=False)
    execute, executemany = _broken_cursor(error)
    with caplog.at_level(logging.INFO), execute, executemany:
        response = client.get("/api/v1/registry/residents/")
    _assert_503(response)
    assert not [r for r in caplog.records if r.exc_info], "no traceback is logged"
    assert any("unavailable" in r.getMessage().lower() for r in caplog.records)


def test_a_view_outside_drf_answers_503_too(world, caplog):
    client = client_for(None, raise_request_exception=False)
    execute, executemany = _broken_cursor(LOST)
    with caplog.at_level(logging.INFO), execute, executemany:
        response = client.get("/open311/v2/requests.json")
    _assert_503(response)
    assert not [r for r in caplog.records if r.exc_info]


def test_an_outage_met_in_a_middleware_is_503_as_well(world, caplog):
    """The admin reads the session and the user in middleware, before any view runs."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(world.community_worker)
    execute, executemany = _broken_cursor(LOST)
    with caplog.at_level(logging.INFO), execute, executemany:
        response = client.get("/admin/")
    _assert_503(response)
    assert not [r for r in caplog.records if r.exc_info and "django" in r.name]


def test_other_errors_stay_500(world):
    client = client_for(world.community_worker, raise_request_exception=False)
    execute, executemany = _broken_cursor(RuntimeError("a bug"))
    with execute, executemany:
        response = client.get("/api/v1/registry/residents/")
    assert_error(response, 500, "server_error")
