"""Assertions shared by tests."""

from __future__ import annotations


def assert_error(response, status: int, code: str, fields: list[str] | None = None) -> dict:
    """The response is the one error shape with this status and code (and these fields, if given)."""
    assert response.status_code == status, (response.status_code, getattr(response, "content", b"")[:500])
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"], error
    if fields is not None:
        assert sorted(error["fields"]) == sorted(fields), error["fields"]
    return error


def client_for(user):
    """An API client signed in as `user`."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client
