"""Who hears about an event: through core.notices, scoped to the people concerned."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.notices.models import Notice
from core.notices.selectors import visibility_filter
from core.workflow import services
from core.workflow.escalation import escalate_overdue
from core.workflow.models import Event


def notices_for(user) -> list[Notice]:
    return list(Notice.objects.filter(visibility_filter(user)).order_by("id"))


def test_the_lead_is_told_of_a_new_event_and_nobody_elsewhere(world):
    event, _ = services.event_report(
        reporter=world.resident_user,
        type_key="tests.hazard",
        source="resident",
        title="楼道堆物",
        house=world.house_a,
    )
    (notice,) = notices_for(world.lead)
    assert notice.kind == "workflow.event_assigned" and notice.link_id == str(event.pk)
    assert notices_for(world.worker_b) == []


def test_the_reporter_hears_of_progress(world):
    event, _ = services.event_report(
        reporter=world.resident_user,
        type_key="tests.hazard",
        source="resident",
        title="楼道堆物",
        house=world.house_a,
    )
    services.event_transition(event=event, action="accept", actor=world.lead)
    kinds = [n.kind for n in notices_for(world.resident_user)]
    assert kinds == ["workflow.event_state_changed"]


def test_escalation_reaches_the_supervisors_of_that_community_only(world):
    event, _ = services.event_report(
        reporter=world.grid_worker,
        type_key="tests.hazard",
        source="patrol",
        title="消防通道堵塞",
        house=world.house_a,
    )
    services.event_transition(event=event, action="accept", actor=world.lead)
    Event.objects.filter(pk=event.pk).update(next_escalation_at=timezone.now() - timedelta(minutes=1))
    escalate_overdue()
    assert [n.kind for n in notices_for(world.secretary)] == ["workflow.event_escalated"]
    assert [n.kind for n in notices_for(world.community_worker)] == ["workflow.event_escalated"]
    assert notices_for(world.worker_b) == []
