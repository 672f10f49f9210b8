"""独居老人关爱: care signals taken over from the safety domain where the scenario is enabled,
answered by escalating steps, each an event with a short deadline on a round-the-clock clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.extensions import handoffs
from core.extensions.models import Handoff
from core.extensions.scenarios import scenario_settings_add
from core.workflow.models import Event
from scenarios.elderly_alone.models import CareCase
from scenarios.elderly_alone.services import case_close, escalate_overdue, false_alarms_per_device
from tests.helpers import client_for
from tests.scenarios.helpers import SYSTEM, enable
from tests.scenarios.scope_cases import resident_in


def signal(world, community, *, key="1", device="safety.device:9", when=None):
    person = resident_in(world, community)
    handoff = handoffs.send(
        handoffs.CARE_SIGNAL,
        handoffs.CareSignal(
            region_path=world.grid_of(community).path,
            resident_id=person.pk,
            signal="device_alarm",
            occurred_at=when or timezone.now(),
            source=f"safety.alarm:{key}",
            detail="12小时未用水",
            device=device,
        ),
        idempotency_key=key,
    )
    return handoffs.deliver(handoff.pk), handoff


def test_a_care_signal_where_enabled_opens_a_call_task_for_the_grid_worker(world):
    enable("elderly_alone", world.community_a)
    outcome, handoff = signal(world, world.community_a)
    handoff.refresh_from_db()
    assert outcome == "delivered" and handoff.consumer == "elderly_alone.care_signals"
    case = CareCase.objects.get()
    event = Event.objects.get(type="elderly_alone.call")
    assert case.step == "call" and event.assignee == world.lead and event.priority == "urgent"
    assert timedelta(minutes=14) < event.deadline - timezone.now() <= timedelta(minutes=15)


def test_a_disabled_community_gets_nothing_its_signals_stay_with_safety(world):
    enable("elderly_alone", world.community_a)
    outcome, handoff = signal(world, world.community_b, key="b1")
    handoff.refresh_from_db()
    # The safety domain's own fallback takes it (an alarm event of its own), not the scenario.
    assert outcome == "delivered" and handoff.consumer == "safety.care_signal_fallback"
    assert not CareCase.objects.exists()
    event = Event.objects.get()
    assert event.type == "safety.care_signal" and event.region_path.startswith(world.community_b.path)


def test_steps_escalate_on_a_round_the_clock_clock_call_visit_then_contact(world):
    enable("elderly_alone", world.community_a)
    scenario_settings_add(
        actor=SYSTEM, scenario_key="elderly_alone", region=world.community_a, values={"visit_minutes": 30}
    )
    signal(world, world.community_a)
    saturday_night = timezone.now() + timedelta(minutes=16)
    assert escalate_overdue(saturday_night) == 1
    case = CareCase.objects.get()
    assert case.step == "visit" and case.step_due_at == saturday_night + timedelta(minutes=30)
    assert escalate_overdue(saturday_night) == 0  # not due again yet: nothing twice
    assert escalate_overdue(saturday_night + timedelta(minutes=31)) == 1
    steps = list(Event.objects.order_by("id").values_list("type", flat=True))
    assert steps == ["elderly_alone.call", "elderly_alone.visit", "elderly_alone.contact"]
    contact = Event.objects.get(type="elderly_alone.contact")
    assert contact.region_path.startswith(world.community_a.path)


def test_a_disabled_place_runs_no_escalation(world):
    enable("elderly_alone", world.community_a)
    signal(world, world.community_a)
    enable("elderly_alone", world.community_a, enabled=False)
    assert escalate_overdue(timezone.now() + timedelta(hours=2)) == 0


def test_a_false_alarm_is_counted_for_its_device_and_tunes_nothing(world):
    enable("elderly_alone", world.community_a)
    signal(world, world.community_a, key="1")
    signal(world, world.community_a, key="2")
    first, second = CareCase.objects.order_by("id")
    case_close(actor=world.grid_worker, case=first, outcome="false_alarm", reason="水表读数故障")
    response = client_for(world.grid_worker).post(
        f"/api/v1/scenarios/elderly_alone/cases/{second.pk}/close/",
        {"outcome": "false_alarm", "reason": "误触"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["outcome"] == "false_alarm"
    assert false_alarms_per_device(world.city.path) == {"safety.device:9": 2}
    assert set(Event.objects.values_list("state", flat=True)) == {"closed"}
    assert CareCase.objects.filter(step_due_at__isnull=False).count() == 2  # settings untouched


@pytest.mark.parametrize("outcome", ["helped", "fine"])
def test_a_case_closes_once(world, outcome):
    enable("elderly_alone", world.community_a)
    signal(world, world.community_a)
    case = CareCase.objects.get()
    case_close(actor=world.grid_worker, case=case, outcome=outcome, reason="已上门")
    again = client_for(world.grid_worker).post(
        f"/api/v1/scenarios/elderly_alone/cases/{case.pk}/close/",
        {"outcome": "fine", "reason": "x"},
        format="json",
    )
    assert again.status_code == 409


def test_the_handoff_is_taken_once(world):
    enable("elderly_alone", world.community_a)
    _outcome, handoff = signal(world, world.community_a)
    assert handoffs.deliver(handoff.pk) == "done before"
    assert CareCase.objects.count() == 1 and Handoff.objects.count() == 1


def test_false_alarms_are_kept_in_the_dashboards_summary_tables(world):
    from core.dashboards import summaries
    from core.dashboards.models import Indicator
    from tests.core.dashboards.per_node import marked_by, metric

    enable("elderly_alone", world.community_a)
    signal(world, world.community_a, key="1")
    signal(world, world.community_a, key="2")
    first, second = CareCase.objects.order_by("id")
    case_close(actor=world.grid_worker, case=first, outcome="false_alarm", reason="水表读数故障")
    summaries.rebuild([metric("elderly_alone.false_alarms")])
    stored = dict(
        Indicator.objects.filter(metric="elderly_alone.false_alarms", part="").values_list(
            "region_id", "value"
        )
    )
    assert {
        region: int(value)
        for region, value in stored.items()
        if region in (world.community_a.pk, world.city.pk)
    } == {
        world.community_a.pk: 1,
        world.city.pk: 1,
    }
    assert world.community_b.pk not in stored
    marked = marked_by(
        lambda: case_close(actor=world.grid_worker, case=second, outcome="false_alarm", reason="误触")
    )
    assert marked == [world.community_a.pk]
