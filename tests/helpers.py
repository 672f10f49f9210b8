"""Assertions shared by tests."""

from __future__ import annotations

from contextlib import contextmanager


def error_shape_problem(response) -> str | None:
    """What is wrong with a refusal's body, or None if it is the one error shape
    {"error": {"code", "message", "fields"?}} (core/api/errors.py)."""
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {response.content[:120]!r}"
    error = body.get("error") if isinstance(body, dict) else None
    if set(body if isinstance(body, dict) else ()) != {"error"} or not isinstance(error, dict):
        return f"not {{'error': …}}: {str(body)[:120]}"
    if not {"code", "message"} <= set(error) <= {"code", "message", "fields"}:
        return f"error keys {sorted(error)}"
    if not (isinstance(error["code"], str) and error["code"] and isinstance(error["message"], str)):
        return f"code or message not a string: {error}"
    if "fields" in error and not isinstance(error["fields"], dict):
        return f"fields not an object: {error['fields']!r}"
    return None


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


def client_for(user, *, raise_request_exception: bool = True):
    """An API client signed in as `user` (anonymous for None). With raise_request_exception=False
    a server error comes back as a 500 response instead of raising (the scope matrix lists them)."""
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    client.raise_request_exception = raise_request_exception
    return client


@contextmanager
def without_contribution(kind: str, key: str):
    """The registry without one declared contribution for a block: a test that installs its own
    (a hand-off consumer of a one-consumer kind) in place of the app that declares it."""
    from core.extensions.registry import registry

    held = registry._items[kind].pop(key, None)
    registry.generation += 1
    try:
        yield
    finally:
        if held is not None:
            registry._items[kind][key] = held
        registry.generation += 1
