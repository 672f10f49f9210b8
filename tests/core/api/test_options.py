"""OPTIONS describes a route's actions on every route, a list-level action with PUT included
(issue 13: OPTIONS /api/v1/notices/preferences/ was a 500, an AssertionError about a missing pk)."""

from __future__ import annotations

from tests.helpers import client_for


def test_options_of_a_list_level_action_with_put_describes_it(world):
    response = client_for(world.community_worker).options("/api/v1/notices/preferences/")
    assert response.status_code == 200, response.content
    assert "PUT" in response.json()["actions"]
