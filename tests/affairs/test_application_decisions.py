"""Decisions measured as users read them: the item's own limit, the time to decision without the
days spent waiting for materials, on-time as the (shifted) deadline says, statistics from real
steps, the standard of the application date, an escalation when the deadline passes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from affairs.models import Application, AssistanceStandard, ServiceItem
from affairs.statistics import affairs_statistics
from core.accounts.roles import Role
from core.notices.models import Notice
from core.workflow.escalation import escalate_overdue
from core.workflow.models import Event
from core.workflow.states import State
from tests.affairs.helpers import pdf
from tests.affairs.test_applications import dibao_payload, step, submit, walk_to_confirmation
from tests.helpers import client_for


def aware(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def at(monkeypatch, clock, *args):
    clock["now"] = aware(*args)
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])


def test_each_item_carries_its_own_limit(world, monkeypatch):
    ServiceItem.objects.filter(code="dibao").update(time_limit_working_days=5)
    clock: dict = {}
    at(monkeypatch, clock, 2026, 3, 2, 9, 0)  # a Monday
    application_id = submit(world).json()["id"]
    step(world, application_id, world.community_worker, "intake")
    event = Event.objects.get(application__pk=application_id)
    assert event.sla_working_days == 5
    assert event.deadline == aware(2026, 3, 9, 17, 30)  # Tue 3 … Mon 9: five working days


def test_a_rejection_while_waiting_counts_neither_the_pause_nor_a_late_deadline(world, monkeypatch):
    clock: dict = {}
    at(monkeypatch, clock, 2026, 2, 10, 10, 0)
    application_id = submit(world).json()["id"]
    at(monkeypatch, clock, 2026, 2, 11, 9, 0)
    step(world, application_id, world.community_worker, "intake")
    at(monkeypatch, clock, 2026, 2, 13, 9, 0)
    step(world, application_id, world.community_worker, "return", note="补材料", missing=["income_proof"])
    # Five weeks later, still waiting, the community rejects: the 20 days had not run out,
    # because the waiting does not count.
    at(monkeypatch, clock, 2026, 3, 20, 9, 0)
    response = step(world, application_id, world.community_worker, "reject", note="逾期未补正材料")
    assert response.status_code == 200
    application = Application.objects.get(pk=application_id)
    assert application.on_time is True
    # Worked: Thu 12, Fri 13 (the day it was returned); everything after was waiting.
    assert application.working_days_taken == 2
    assert application.event.deadline > aware(2026, 3, 20, 9, 0)


def test_statistics_count_decisions_from_real_steps_and_not_withdrawals(world):
    first = submit(world).json()["id"]
    walk_to_confirmation(world, first)
    step(world, first, world.street_staff_2, "confirm")
    ServiceItem.objects.filter(code="temporary").update(proxy_allowed=True)
    withdrawn = submit(
        world,
        payload=dibao_payload(
            world, item="temporary", details={"requested_amount": "1000", "hardship": "illness"}
        ),
        files={"id_card": [pdf()], "hardship_proof": [pdf()]},
    ).json()["id"]
    step(world, withdrawn, world.community_worker, "intake")
    step(world, withdrawn, world.resident_user, "withdraw")
    figures = affairs_statistics(world.street)
    assert figures["applications"]["total"] == 2 and figures["applications"]["open"] == 0
    assert figures["decided"] == 1 and figures["on_time_rate"] == 1.0
    assert figures["average_working_days"] == 0.0  # decided the day it was taken in
    assert figures["benefits"]["count"] == 3 and Decimal(figures["benefits"]["monthly_sum"]) == Decimal(
        "1726.00"
    )
    community = next(c for c in figures["children"] if c["region"]["id"] == world.community_a.pk)
    assert community["decided"] == 1


def test_confirmation_uses_the_standard_of_the_application_date(world, monkeypatch):
    clock: dict = {}
    at(monkeypatch, clock, 2026, 12, 28, 10, 0)
    application_id = submit(world).json()["id"]
    # A new standard for the district from 1 January: the application keeps the old one.
    AssistanceStandard.objects.create(
        region=world.district, kind="dibao", amount=Decimal("900"), effective_from=date(2027, 1, 1)
    )
    at(monkeypatch, clock, 2027, 1, 11, 10, 0)
    walk_to_confirmation(world, application_id)
    response = step(world, application_id, world.street_staff_2, "confirm")
    assert response.status_code == 200, response.json()
    application = Application.objects.get(pk=application_id)
    assert application.eligibility["standard"]["amount"] == "742.00"
    assert application.monthly_amount == (Decimal(742) - Decimal(500) / 3) * 3 // Decimal("0.01") * Decimal(
        "0.01"
    )


def test_the_reviewer_cannot_confirm_and_nothing_changes(world):
    application_id = submit(world).json()["id"]
    walk_to_confirmation(world, application_id)
    before = Event.objects.get(application__pk=application_id).transitions.count()
    response = step(world, application_id, world.street_staff, "confirm")
    assert response.status_code == 409
    application = Application.objects.get(pk=application_id)
    assert application.stage == "confirmation" and application.confirmed_by is None
    assert application.event.transitions.count() == before


def test_staff_do_not_handle_their_own_households_application(world):
    from core.accounts.models import ResidentBinding

    ResidentBinding.objects.create(user=world.community_worker, resident=world.spouse)
    application_id = submit(world).json()["id"]
    assert step(world, application_id, world.community_worker, "intake").status_code == 403
    assert step(world, application_id, world.secretary, "intake").status_code == 200


def test_an_application_past_its_deadline_alerts_the_supervisors(world, monkeypatch):
    clock: dict = {}
    at(monkeypatch, clock, 2026, 3, 2, 9, 0)
    application_id = submit(world).json()["id"]
    step(world, application_id, world.community_worker, "intake")
    event = Event.objects.get(application__pk=application_id)
    assert escalate_overdue(now=event.deadline - timedelta(minutes=1)) == []
    assert escalate_overdue(now=event.deadline + timedelta(minutes=1)) == [event.pk]
    event.refresh_from_db()
    assert event.state == State.IN_PROGRESS and event.escalation_level == 1
    alerts = Notice.objects.filter(kind="workflow.event_escalated", link_id=event.pk)
    assert {a.region for a in alerts} == {world.community_a}
    assert {a.role for a in alerts} == {Role.COMMUNITY_SECRETARY, Role.COMMUNITY_WORKER}
    assert (
        client_for(world.community_worker)
        .get(f"/api/v1/affairs/applications/{application_id}/")
        .json()["stage"]
        == "investigation"
    )


def test_a_member_who_moved_out_no_longer_sees_or_speaks_for_the_household(world):
    from core.accounts.models import ResidentBinding, RoleAssignment, User
    from core.registry.services_residents import resident_move_out

    spouse_user = User.objects.create(username="li", is_staff=False)
    RoleAssignment.objects.create(user=spouse_user, role=Role.RESIDENT, region=world.grid_a1)
    ResidentBinding.objects.create(user=spouse_user, resident=world.spouse)
    application_id = submit(world).json()["id"]
    url = f"/api/v1/affairs/applications/{application_id}/"
    assert client_for(spouse_user).get(url).status_code == 200
    resident_move_out(actor=world.community_worker, resident=world.spouse, moved_out_on=timezone.localdate())
    assert client_for(spouse_user).get(url).status_code == 404
    assert client_for(spouse_user).get(f"{url}forms/approval/").status_code == 404
    assert step(world, application_id, spouse_user, "withdraw").status_code == 404
    assert submit(world, user=spouse_user).status_code == 400
    assert Application.objects.get(pk=application_id).stage == "submitted"
