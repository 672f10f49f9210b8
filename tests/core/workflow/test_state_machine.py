"""Random sequences of actions by random people never break the state machine's rules."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.api.errors import ApplicationError
from core.workflow import services
from core.workflow.models import Event
from core.workflow.states import TRANSITIONS, Actor, State

HUMAN_ACTIONS = [*sorted(a for a, t in TRANSITIONS.items() if t.actors - {Actor.SYSTEM}), "fly", "escalate"]
PEOPLE = ["lead", "grid_worker", "community_worker", "secretary", "street_staff", "worker_b", "resident_user"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(HUMAN_ACTIONS), st.sampled_from(PEOPLE)), max_size=12))
def test_random_sequences_keep_the_rules(world, steps):
    event, _ = services.event_report(
        reporter=world.resident_user,
        type_key="tests.hazard",
        source="resident",
        title="随机",
        house=world.house_a,
        form_data={},
    )
    Event.objects.filter(pk=event.pk).update(house=None)  # no duplicate merging between examples
    history = 1
    for action, person in steps:
        before = Event.objects.get(pk=event.pk).state
        try:
            services.event_transition(event=event, action=action, actor=getattr(world, person), note="说明")
        except ApplicationError as error:
            assert error.status_code in (400, 403, 409)
            after = Event.objects.get(pk=event.pk)
            assert after.state == before  # a refused action changes nothing
            assert after.transitions.count() == history
            continue
        history += 1
        after = Event.objects.get(pk=event.pk)
        transition = TRANSITIONS[action]
        assert before in transition.sources
        assert after.state == transition.target
        assert after.transitions.count() == history
        assert after.transitions.last().action == action
        if after.state == State.CLOSED:
            assert after.closed_at is not None
        if after.state in (State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS):
            assert after.deadline is not None
        if after.state == State.WAITING:
            assert after.paused_at is not None
        else:
            assert after.paused_at is None
