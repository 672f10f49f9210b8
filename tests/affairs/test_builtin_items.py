"""Each built-in item walked through the API at its configured levels: approval, rejection,
补正 with the clock paused across the Spring Festival, and escalation of an overdue one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from affairs.builtins import ITEMS
from affairs.models import Application, Benefit, ServiceItem
from core.accounts.models import ResidentBinding
from core.notices.models import Notice
from core.registry.models import Household, ResidentTag
from core.workflow.escalation import escalate_overdue
from core.workflow.models import Event
from core.workflow.states import State
from tests.affairs.conftest import person
from tests.affairs.helpers import multipart, pdf
from tests.helpers import client_for

APPLICATIONS = "/api/v1/affairs/applications/"


@dataclass
class Filing:
    payload: dict
    household: Household


def _household(world, number: str) -> Household:
    return Household.objects.create(
        region=world.house_a.region, region_path=world.house_a.region_path, house=world.house_a, number=number
    )


def _bind(world, resident) -> None:
    ResidentBinding.objects.filter(user=world.resident_user).delete()
    ResidentBinding.objects.create(user=world.resident_user, resident=resident)


def filing(world, code: str) -> Filing:
    """An eligible application for each built-in item, filed by the bound resident."""
    low = [
        {"resident": world.applicant.pk, "monthly_income": "300"},
        {"resident": world.spouse.pk, "monthly_income": "200"},
        {"resident": world.child.pk, "monthly_income": "0"},
    ]
    payload = {"item": code, "household": world.household.pk, "applicant": world.applicant.pk, "members": low}
    if code == "temporary":
        payload["details"] = {"requested_amount": "2000", "hardship": "illness", "description": "住院"}
    elif code in {"disability_living", "disability_care"}:
        grade = 2 if code == "disability_living" else 1
        payload["details"] = {
            "resident": world.applicant.pk,
            "disability_grade": grade,
            "disability_category": "physical",
        }
    elif code in {"tekun", "longevity"}:
        household = _household(world, f"H-{code}")
        elder = person(household, "赵老汉", date(1940, 1, 1))
        _bind(world, elder)
        payload.update(
            household=household.pk,
            applicant=elder.pk,
            members=[{"resident": elder.pk, "monthly_income": "0", "able_to_work": False}],
        )
        if code == "tekun":
            payload["details"] = {"has_supporter": False}
        return Filing(payload, household)
    elif code in {"orphan", "unattended_child"}:
        household = _household(world, f"H-{code}")
        guardian = person(household, "孙奶奶", date(1955, 6, 1))
        child = person(household, "孙小宝", date(2016, 6, 1))
        _bind(world, guardian)
        statuses = ("deceased", "deceased") if code == "orphan" else ("imprisoned", "missing")
        payload.update(
            household=household.pk,
            applicant=guardian.pk,
            members=[
                {"resident": guardian.pk, "monthly_income": "800", "covered": False},
                {"resident": child.pk, "monthly_income": "0"},
            ],
            details={"child": child.pk, "father_status": statuses[0], "mother_status": statuses[1]},
        )
        return Filing(payload, household)
    return Filing(payload, world.household)


def file(world, code: str) -> Application:
    item = ServiceItem.objects.get(code=code)
    files = {m.code: [pdf()] for m in item.materials.filter(mandatory=True)}
    response = client_for(world.resident_user).post(
        APPLICATIONS, multipart(filing(world, code).payload, files), format="multipart"
    )
    assert response.status_code == 201, response.json()
    return Application.objects.get(pk=response.json()["id"])


def actor(world, level: int, *, other_than=None):
    first, second = {
        4: (world.community_worker, world.secretary),
        3: (world.street_staff, world.street_staff_2),
        2: (world.district_staff, world.district_staff_2),
    }[level]
    return second if other_than is not None and other_than.pk == first.pk else first


def act(world, application: Application, action: str, user, **body) -> dict:
    response = client_for(user).post(
        f"{APPLICATIONS}{application.pk}/step/", {"action": action, **body}, format="json"
    )
    assert response.status_code == 200, (action, response.json())
    return response.json()


def walk_to_review(world, application: Application) -> None:
    item = application.item
    act(world, application, "intake", actor(world, item.receive_level))
    act(world, application, "investigate", actor(world, item.receive_level), note="入户调查属实")


CODES = [spec["code"] for spec in ITEMS]


@pytest.mark.parametrize("code", CODES)
def test_each_item_is_approved_at_its_levels_and_grants_what_it_grants(world, code):
    application = file(world, code)
    item = application.item
    walk_to_review(world, application)
    reviewer = actor(world, item.review_level)
    body = act(world, application, "review", reviewer)
    if item.publicity_days:
        assert body["stage"] == "publicity"
        Application.objects.filter(pk=application.pk).update(
            publicity_ends_on=timezone.localdate() - timedelta(days=1)
        )
        act(world, application, "end_publicity", reviewer)
    confirmer = actor(
        world, item.confirm_level, other_than=reviewer if item.confirm_level == item.review_level else None
    )
    body = act(world, application, "confirm", confirmer, note="同意")
    assert body["stage"] == "approved" and body["event_state"] == State.CLOSED
    application.refresh_from_db()
    assert application.eligibility["eligible"] is True, application.eligibility
    benefits = Benefit.objects.filter(application=application)
    if item.benefit_tag:
        assert benefits.exists() and application.monthly_amount > 0
        for benefit in benefits:
            assert (
                ResidentTag.objects.current().filter(resident=benefit.resident, tag=item.benefit_tag).exists()
            )
            assert benefit.next_check_on == benefit.started_on.replace(year=benefit.started_on.year + 1)
    else:  # 临时救助: a one-off payment, nothing in force afterwards
        assert not benefits.exists() and application.one_off_amount == 2000


@pytest.mark.parametrize("code", CODES)
def test_each_item_is_rejected_with_a_reason_at_review(world, code):
    application = file(world, code)
    walk_to_review(world, application)
    body = act(
        world, application, "reject", actor(world, application.item.review_level), note="经审核不符合条件"
    )
    assert body["stage"] == "rejected" and body["event_state"] == State.REJECTED
    assert body["decision_note"] == "经审核不符合条件"
    assert not Benefit.objects.exists()


def aware(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.mark.parametrize("code", CODES)
def test_each_item_pauses_its_clock_for_missing_materials_across_the_holiday(world, code, monkeypatch):
    clock = {"now": aware(2026, 2, 10, 10, 0)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    application = file(world, code)
    receiver = actor(world, application.item.receive_level)
    clock["now"] = aware(2026, 2, 11, 9, 0)
    act(world, application, "intake", receiver)
    event = Event.objects.get(pk=application.event_id)
    deadline = event.deadline
    material = application.item.materials.filter(mandatory=True).first()
    clock["now"] = aware(2026, 2, 13, 9, 0)
    body = act(world, application, "return", receiver, note="请补正", missing=[material.code])
    assert body["event_state"] == State.WAITING
    clock["now"] = aware(2026, 2, 25, 9, 0)
    upload = client_for(world.resident_user).post(
        f"{APPLICATIONS}{application.pk}/materials/",
        {"material": material.code, "file": pdf()},
        format="multipart",
    )
    assert upload.status_code == 201
    act(world, application, "supplement", world.resident_user)
    event.refresh_from_db()
    # Sat 14 Feb (a make-up working day), Tue 24 and Wed 25 spent waiting: three working days later.
    assert event.deadline - deadline == timedelta(days=3)
    assert event.state == State.IN_PROGRESS


@pytest.mark.parametrize("code", CODES)
def test_each_item_overdue_escalates_as_an_alert(world, code):
    application = file(world, code)
    act(world, application, "intake", actor(world, application.item.receive_level))
    deadline = Event.objects.get(pk=application.event_id).deadline
    assert escalate_overdue(now=deadline - timedelta(minutes=1)) == []
    assert escalate_overdue(now=deadline + timedelta(minutes=1)) == [application.event_id]
    event = Event.objects.get(pk=application.event_id)
    # The step stays with its level; the supervisors above the place are alerted.
    assert event.escalation_level == 1 and event.state == State.IN_PROGRESS
    alerted = Notice.objects.filter(
        kind="workflow.event_escalated", link_id=event.pk, region=world.community_a
    )
    assert alerted.exists()
