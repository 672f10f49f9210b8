"""The item's limit as the deadline of the whole application: it starts at intake, pauses while
materials are awaited (补正) across a holiday, and an overdue application alerts supervisors."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from affairs.models import Application
from core.notices.models import Notice
from core.workflow.escalation import escalate_overdue
from core.workflow.models import Event
from core.workflow.states import State
from tests.affairs.helpers import pdf
from tests.affairs.test_applications import step, submit
from tests.helpers import client_for


def aware(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def test_return_for_materials_pauses_the_clock_across_the_spring_festival(world, monkeypatch):
    clock = {"now": aware(2026, 2, 10, 10, 0)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    application_id = submit(world).json()["id"]
    clock["now"] = aware(2026, 2, 11, 9, 0)
    assert step(world, application_id, world.community_worker, "intake").status_code == 200
    event = Event.objects.get(application__pk=application_id)
    # 20 working days from Thu 12 Feb: the Spring Festival (15–23 Feb) does not count, the
    # make-up Saturdays (14 and 28 Feb) do.
    assert event.deadline == aware(2026, 3, 17, 17, 30)

    clock["now"] = aware(2026, 2, 13, 9, 0)
    response = step(
        world,
        application_id,
        world.community_worker,
        "return",
        note="请一次性补齐以下材料",
        missing=["income_proof", "近六个月银行流水"],
    )
    assert response.status_code == 200, response.json()
    assert response.json()["missing"] == ["income_proof", "近六个月银行流水"]
    assert response.json()["event_state"] == State.WAITING
    # Everything missing reached the applicant at once (一次性告知).
    notice = Notice.objects.filter(recipient=world.resident_user, kind="affairs.application").latest("id")
    assert "income_proof" in notice.body and "近六个月银行流水" in notice.body
    # Only the applicant's answer (or a rejection, a withdrawal) moves it now.
    assert step(world, application_id, world.community_worker, "investigate", note="x").status_code == 409

    clock["now"] = aware(2026, 2, 25, 9, 0)  # back after the holiday
    response = step(world, application_id, world.resident_user, "supplement")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["materials.income_proof"]
    upload = client_for(world.resident_user).post(
        f"/api/v1/affairs/applications/{application_id}/materials/",
        {"material": "income_proof", "file": pdf("收入证明.pdf")},
        format="multipart",
    )
    assert upload.status_code == 201, upload.json()
    # The statement described in words is confirmed by the worker who receives it.
    response = step(world, application_id, world.resident_user, "supplement")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "items_unconfirmed"
    assert response.json()["error"]["fields"]["confirmed"] == ["近六个月银行流水"]
    response = step(
        world, application_id, world.community_worker, "supplement", confirmed=["近六个月银行流水"]
    )
    assert response.status_code == 200, response.json()
    assert response.json()["missing"] == [] and response.json()["event_state"] == State.IN_PROGRESS
    event.refresh_from_db()
    # Waited Sat 14 (a make-up working day), Tue 24 and Wed 25: three working days added.
    assert event.deadline == aware(2026, 3, 20, 17, 30)
    assert event.paused_at is None
    assert step(world, application_id, world.community_worker, "investigate", note="属实").status_code == 200


def test_a_return_before_intake_does_not_start_the_clock(world):
    application_id = submit(world).json()["id"]
    response = step(world, application_id, world.community_worker, "return", note="补材料", missing=["hukou"])
    assert response.status_code == 200
    event = Event.objects.get(application__pk=application_id)
    assert event.state == State.REPORTED and event.accepted_at is None and event.deadline is None


def test_return_lists_at_least_one_thing_and_at_most_thirty(world):
    application_id = submit(world).json()["id"]
    step(world, application_id, world.community_worker, "intake")
    assert step(world, application_id, world.community_worker, "return", note="x").status_code == 400
    too_many = [f"材料{i}" for i in range(31)]
    response = step(world, application_id, world.community_worker, "return", note="x", missing=too_many)
    assert response.status_code == 400 and "missing" in response.json()["error"]["fields"]
    assert Application.objects.get(pk=application_id).missing == []


def test_an_overdue_application_alerts_the_supervisors_and_keeps_its_step(world):
    application_id = submit(world).json()["id"]
    step(world, application_id, world.community_worker, "intake")
    event = Event.objects.get(application__pk=application_id)
    Event.objects.filter(pk=event.pk).update(next_escalation_at=timezone.now() - timedelta(minutes=1))
    assert escalate_overdue() == [event.pk]
    assert escalate_overdue() == []
    event.refresh_from_db()
    # An approval's step belongs to its level: escalation alerts, the state stays.
    assert event.state == State.IN_PROGRESS and event.escalation_level == 1
    assert Notice.objects.filter(kind="workflow.event_escalated", region=world.community_a).exists()
    assert Application.objects.get(pk=application_id).stage == "investigation"


def test_an_application_is_returned_once_and_the_clock_pauses_only_that_once(world):
    application_id = submit(world).json()["id"]
    step(world, application_id, world.community_worker, "intake")
    first = step(
        world, application_id, world.community_worker, "return", note="补材料", missing=["户口本复印件"]
    )
    assert first.status_code == 200, first.json()
    # The applicant cannot confirm an item described in words; the worker does.
    refused = step(world, application_id, world.resident_user, "supplement", confirmed=["户口本复印件"])
    assert refused.status_code == 403
    unlisted = step(world, application_id, world.community_worker, "supplement", confirmed=["别的"])
    assert unlisted.status_code == 400 and "confirmed" in unlisted.json()["error"]["fields"]
    done = step(world, application_id, world.community_worker, "supplement", confirmed=["户口本复印件"])
    assert done.status_code == 200 and done.json()["event_state"] == State.IN_PROGRESS

    again = step(
        world, application_id, world.community_worker, "return", note="再补", missing=["income_proof"]
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_returned"
    application = Application.objects.get(pk=application_id)
    assert application.missing == [] and application.event.state == State.IN_PROGRESS
    assert application.event.paused_at is None
