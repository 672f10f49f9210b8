"""/api/v1/notices/: list, catch-up from a cursor, read state, unread count, ws tickets."""

from __future__ import annotations

import pytest
from django.db import connection

from core.accounts.roles import Role
from core.notices.models import Notice
from core.notices.services import assign_cursors, notify
from core.notices.tickets import ticket_redeem
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/notices/"


def send(count: int = 1, **kwargs) -> list[Notice]:
    kwargs.setdefault("kind", "notices.system")
    notices = [notify(title=f"{kwargs.pop('title', 'notice')} {i}", **kwargs) for i in range(count)]
    assign_cursors()
    for notice in notices:
        notice.refresh_from_db()
    return notices


@pytest.fixture
def as_worker_a(api_client, world):
    api_client.force_authenticate(world.community_worker)
    return api_client


def test_list_is_newest_first_and_pages_backwards_by_cursor(as_worker_a, world):
    notices = send(5, user=world.community_worker)
    first = as_worker_a.get(URL, {"limit": 2}).json()
    assert [n["cursor"] for n in first["results"]] == [notices[4].cursor, notices[3].cursor]
    assert first["has_more"] is True
    second = as_worker_a.get(URL, {"limit": 2, "before": first["next_cursor"]}).json()
    assert [n["id"] for n in second["results"]] == [notices[2].pk, notices[1].pk]
    last = as_worker_a.get(URL, {"limit": 2, "before": second["next_cursor"]}).json()
    assert [n["id"] for n in last["results"]] == [notices[0].pk]
    assert last["has_more"] is False and last["next_cursor"] is None
    item = first["results"][0]
    assert item["kind"] == "notices.system" and item["kind_name"] and item["is_read"] is False
    assert item["addressed_to"] == {"type": "user"}


def test_catch_up_returns_everything_after_the_last_cursor_oldest_first(as_worker_a, world):
    seen = send(2, user=world.community_worker)
    missed = send(3, region=world.community_a, role=Role.COMMUNITY_WORKER, title="while away")
    send(2, region=world.community_b, role=Role.COMMUNITY_WORKER, title="not for A")
    cursor, collected = seen[-1].cursor, []
    while True:
        page = as_worker_a.get(URL, {"since": cursor, "limit": 2}).json()
        collected += [n["id"] for n in page["results"]]
        cursor = page["next_cursor"] or cursor
        if not page["has_more"]:
            break
    assert collected == [n.pk for n in missed]
    assert as_worker_a.get(URL, {"since": cursor}).json() == {
        "results": [],
        "has_more": False,
        "next_cursor": None,
    }


def test_marking_read_one_and_all_up_to_a_cursor(as_worker_a, world):
    notices = send(3, user=world.community_worker) + send(1, region=world.street, role=Role.COMMUNITY_WORKER)
    assert as_worker_a.get(f"{URL}unread-count/").json() == {"unread": 4, "latest_cursor": notices[-1].cursor}
    assert as_worker_a.post(f"{URL}{notices[0].pk}/read/").json()["unread"] == 3
    assert as_worker_a.get(f"{URL}{notices[0].pk}/").json()["is_read"] is True
    body = as_worker_a.post(f"{URL}read-all/", {"up_to": notices[2].cursor}, format="json").json()
    assert body == {"read_through": notices[2].cursor, "unread": 1}
    unread = as_worker_a.get(URL, {"unread": "true"}).json()["results"]
    assert [n["id"] for n in unread] == [notices[3].pk]
    assert as_worker_a.post(f"{URL}read-all/", {}, format="json").json()["unread"] == 0
    # The region notice read by A is still unread for B.
    as_worker_a.force_authenticate(world.worker_b)
    assert as_worker_a.get(f"{URL}unread-count/").json()["unread"] == 1


def test_another_persons_or_communitys_notice_is_not_found(as_worker_a, world):
    (own,) = send(user=world.community_worker)
    (theirs,) = send(user=world.worker_b)
    (sibling,) = send(region=world.community_b, role=Role.COMMUNITY_WORKER)
    assert as_worker_a.get(f"{URL}{own.pk}/").status_code == 200
    for notice in (theirs, sibling):
        assert_error(as_worker_a.get(f"{URL}{notice.pk}/"), 404, "not_found")
        assert_error(as_worker_a.post(f"{URL}{notice.pk}/read/"), 404, "not_found")
    assert_error(as_worker_a.get(f"{URL}999999/"), 404, "not_found")


def test_bad_query_answers_in_the_error_shape(as_worker_a):
    assert_error(as_worker_a.get(URL, {"since": 1, "before": 5}), 400, "invalid", ["before"])
    assert_error(as_worker_a.get(URL, {"since": "x"}), 400, "invalid", ["since"])
    assert_error(as_worker_a.get(URL, {"limit": 100000}), 400, "invalid", ["limit"])


def test_anonymous_gets_nothing(api_client):
    for response in (api_client.get(URL), api_client.post(f"{URL}ws-ticket/")):
        assert response.status_code in (401, 403)


def test_ws_ticket_is_single_use(as_worker_a, world):
    response = as_worker_a.post(f"{URL}ws-ticket/")
    assert response.status_code == 201
    body = response.json()
    assert body["expires_in"] == 60
    assert ticket_redeem(body["ticket"]) == world.community_worker.pk
    assert ticket_redeem(body["ticket"]) is None
    assert ticket_redeem("x" * 43) is None


def test_ws_ticket_can_be_had_with_a_jwt(api_client, world):
    from core.accounts.tokens import issue_tokens

    token = issue_tokens(world.community_worker, second_factor=False)["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api_client.post(f"{URL}ws-ticket/")
    assert response.status_code == 201, response.content
    assert ticket_redeem(response.json()["ticket"]) == world.community_worker.pk


def test_preferences_round_trip_and_refuse_unknown_channels(as_worker_a):
    url = f"{URL}preferences/"
    assert as_worker_a.get(url).json() == []
    response = as_worker_a.put(
        url, {"kind": "workflow.event_assigned", "channels": ["in_app", "wechat"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert as_worker_a.get(url).json() == [
        {"kind": "workflow.event_assigned", "channels": ["in_app", "wechat"]}
    ]
    assert_error(
        as_worker_a.put(url, {"kind": "", "channels": ["fax"]}, format="json"), 400, "invalid", ["channels"]
    )
    assert_error(
        as_worker_a.put(url, {"kind": "nope", "channels": []}, format="json"), 400, "invalid", ["kind"]
    )


def test_the_list_takes_the_same_number_of_queries_for_5_or_60_notices(
    as_worker_a, world, django_assert_max_num_queries
):
    from core.notices.services import notice_mark_read

    def queries_for_list() -> int:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = as_worker_a.get(URL, {"limit": 100})
        assert response.status_code == 200
        return len(captured)

    few = send(5, region=world.community_a, role=Role.COMMUNITY_WORKER)
    notice_mark_read(user=world.community_worker, notice_id=few[0].pk)
    with_few = queries_for_list()
    many = send(55, user=world.community_worker)
    for notice in many[::3]:
        notice_mark_read(user=world.community_worker, notice_id=notice.pk)
    with_many = queries_for_list()
    assert with_few == with_many
    # The role assignments, the read-through mark, and the page.
    with django_assert_max_num_queries(3):
        as_worker_a.get(URL, {"limit": 100})
