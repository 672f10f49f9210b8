"""Query values the schema refuses are refused (issue 13, schemathesis' negative_data_rejection):
django-filter dropped an empty typed value (`?resident=`, `?year=`) and a boolean it could not
read (`?active=-2.5`) without a word, answering the whole unfiltered list; a page size above the
maximum was clamped. Each is now 400 naming the parameter, as the schema says (core/api/filtering.py,
core/api/pagination.py)."""

from __future__ import annotations

import pytest

from tests.helpers import assert_error, client_for

pytestmark = pytest.mark.django_db

VOLUNTEERS = "/api/v1/services/volunteers/"
EVENTS = "/api/v1/events/"  # on the default filter backend (not a ListViewSet)


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (VOLUNTEERS, {"resident": ""}, "resident"),
        (VOLUNTEERS, {"active": "-2.9e16"}, "active"),
        (VOLUNTEERS, {"active": "maybe"}, "active"),
        (VOLUNTEERS, {"active": ""}, "active"),
        ("/api/v1/party-building/reports/", {"year": ""}, "year"),
        ("/api/v1/safety/findings/", {"repeat": "null"}, "repeat"),
        (EVENTS, {"overdue": "perhaps"}, "overdue"),
        (EVENTS, {"region": ""}, "region"),
    ],
)
def test_a_value_a_filter_cannot_read_is_refused(world, url, params, field):
    assert_error(client_for(world.community_worker).get(url, params), 400, "invalid", fields=[field])


@pytest.mark.parametrize("value", ["true", "false", "True", "1", "0"])
def test_booleans_as_the_widgets_read_them_still_filter(world, value):
    assert client_for(world.community_worker).get(VOLUNTEERS, {"active": value}).status_code == 200


def test_an_empty_text_filter_is_no_filter(world):
    response = client_for(world.community_worker).get("/api/v1/services/hours/", {"source_domain": ""})
    assert response.status_code == 200


@pytest.mark.parametrize("size", ["201", "0", "-1", "1e3", "", "٣"])
def test_a_page_size_outside_1_to_200_is_refused_not_clamped(world, size):
    response = client_for(world.community_worker).get(VOLUNTEERS, {"page_size": size})
    assert_error(response, 400, "invalid", fields=["page_size"])


def test_page_size_bounds_are_in_the_schema(world):
    schema = client_for(None).get("/api/schema/?format=json").json()
    (page_size,) = [p for p in schema["paths"][VOLUNTEERS]["get"]["parameters"] if p["name"] == "page_size"]
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert client_for(world.community_worker).get(VOLUNTEERS, {"page_size": "200"}).status_code == 200


def test_a_filter_the_action_does_not_apply_is_not_documented(world):
    schema = client_for(None).get("/api/schema/?format=json").json()
    parameters = schema["paths"]["/api/v1/governance/venture-rounds/reviews/"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == {"cursor", "page_size"}
