"""A notice's title and body never carry a full ID number, its birth date or a full mobile,
whatever free text went into them: the inbox, the websocket push and SMS read the stored,
masked text (issue 13)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from core.notices.api.serializers import NoticeOutput
from core.notices.models import Notice
from core.notices.services import notify
from tests.core.pii.strategies import free_text_with_personal_data, leaked

pytestmark = pytest.mark.django_db


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=free_text_with_personal_data())
def test_no_notice_text_carries_personal_data(world, case):
    text, secrets = case
    notice = notify(
        kind="workflow.event_assigned", title=f"派单：{text}"[:200], body=text, user=world.community_worker
    )
    stored = Notice.objects.get(pk=notice.pk)
    assert leaked(stored.title + " " + stored.body, secrets) == [], text
    stored.is_read = False
    shown = NoticeOutput(stored).data
    assert leaked(f"{shown['title']} {shown['body']}", secrets) == []
