"""Every API failure answers in the one error shape."""

from __future__ import annotations

import json

import pytest

from tests.helpers import assert_error

pytestmark = pytest.mark.urls("tests.core.api.error_views")


def test_nested_validation_errors_are_flattened_to_field_paths(api_client):
    response = api_client.post(
        "/api/v1/t/validate/", {"members": [{"name": "ok"}, {"name": "x" * 11}]}, format="json"
    )
    error = assert_error(response, 400, "invalid", fields=["address", "members.1.name"])
    assert error["fields"]["address"] == ["该字段是必填项。"]


def test_messages_follow_accept_language(api_client):
    response = api_client.post("/api/v1/t/validate/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    error = assert_error(response, 400, "invalid")
    assert error["fields"]["address"] == ["This field is required."]
    assert error["message"] == "The submitted data is not valid."


def test_malformed_json_is_a_clear_400(api_client):
    response = api_client.generic("POST", "/api/v1/t/validate/", "{not json", content_type="application/json")
    assert_error(response, 400, "malformed_request")


def test_django_validation_error_maps_to_fields(api_client):
    assert_error(api_client.get("/api/v1/t/django-invalid/"), 400, "invalid", fields=["birth_date"])


def test_application_errors_keep_their_code_and_status(api_client):
    error = assert_error(
        api_client.get("/api/v1/t/conflict/"), 409, "transition_not_allowed", fields=["state"]
    )
    assert error["message"] == "cannot close"
    assert_error(api_client.get("/api/v1/t/rule/"), 400, "location_required", fields=[])


def test_unhandled_exception_is_a_500_in_shape_without_internals(api_client):
    response = api_client.get("/api/v1/t/crash/")
    error = assert_error(response, 500, "server_error")
    assert "boom" not in json.dumps(error)


def test_unauthenticated_and_unknown_routes_and_methods(api_client):
    assert_error(api_client.get("/api/v1/t/private/"), 401, "not_authenticated")
    assert_error(api_client.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(api_client.delete("/api/v1/t/rule/"), 405, "method_not_allowed")


def test_oversized_body_is_refused_with_413(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api_client.post("/api/v1/t/validate/", {"address": "x" * 5000, "members": []}, format="json")
    assert_error(response, 413, "payload_too_large")


@pytest.mark.urls("config.urls")
def test_unknown_api_route_on_the_real_urlconf_is_404_in_shape(client):
    assert_error(client.get("/api/v1/nowhere/at/all/"), 404, "not_found")
    assert_error(client.get("/api/unversioned/"), 404, "not_found")
