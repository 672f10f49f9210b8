"""Aging adaptation (适老化改造, 一户一方案): one open plan per household, its stages as steps of one
event (assessment → plan → works → acceptance → subsidy), an overdue stage escalating, and the
dated re-subsidy rule."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from core.workflow.escalation import escalate_overdue
from core.workflow.models import Event
from services.models import ResubsidyRule, Retrofit
from services.retrofits import retrofit_open, retrofit_step
from tests.helpers import assert_error, client_for
from tests.services import factories as f

API = "/api/v1/services/retrofits"


def _step(client, retrofit, **body):
    return client.post(f"{API}/{retrofit.pk}/step/", body, format="json")


def test_a_retrofit_runs_from_assessment_to_subsidy_with_each_stage_signed_off(world):
    ResubsidyRule.objects.create(years_between=5, max_subsidy=Decimal(3000), effective_from=date(2020, 1, 1))
    client = client_for(world.community_worker)
    opened = client.post(API + "/", {"household": world.household.pk}, format="json")
    assert opened.status_code == 201, opened.content
    retrofit = Retrofit.objects.get(pk=opened.json()["id"])
    assert retrofit.stage == "assessment" and retrofit.event.type == "services.retrofit"
    assert (
        _step(
            client, retrofit, action="assess", checklist={"bathroom": "缺扶手", "floor": "防滑"}
        ).status_code
        == 200
    )
    planned = _step(
        client,
        retrofit,
        action="plan",
        items=[{"name": "卫生间扶手", "cost": "800"}, {"name": "防滑地垫", "cost": "1200"}],
    )
    assert planned.json()["total_cost"] == "2000.00"
    assert _step(client, retrofit, action="works", note="施工完成").status_code == 200
    assert _step(client, retrofit, action="accept", note="验收合格").status_code == 200
    assert_error(_step(client, retrofit, action="subsidize", subsidy="2500"), 400, "invalid", ["subsidy"])
    done = _step(client, retrofit, action="subsidize", subsidy="1800")
    assert done.status_code == 200, done.content
    body = done.json()
    assert (body["stage"], body["subsidy"]) == ("done", "1800.00")
    assert [s["stage"] for s in body["stages"]] == ["assessment", "plan", "works", "acceptance", "subsidy"]
    assert {s["signed_off_by"] for s in body["stages"]} == {world.community_worker.pk}
    retrofit.refresh_from_db()
    assert retrofit.event.state == "closed" and retrofit.subsidized_on == timezone.localdate()
    actions = list(retrofit.event.transitions.values_list("action", flat=True))
    assert actions[-5:] == [
        "services.assess",
        "services.plan",
        "services.works",
        "services.accept",
        "services.subsidize",
    ]


def test_an_overdue_stage_escalates_and_each_stage_sets_its_own_deadline(world):
    retrofit = retrofit_open(actor=world.community_worker, household=world.household.pk)
    first_deadline = retrofit.event.deadline
    assert first_deadline is not None
    assert escalate_overdue(now=first_deadline - timedelta(minutes=1)) == []
    assert escalate_overdue(now=first_deadline + timedelta(minutes=1)) == [retrofit.event_id]
    event = Event.objects.get(pk=retrofit.event_id)
    assert event.escalation_level == 1 and event.escalated_to_id == world.community_a.pk

    retrofit = retrofit_step(
        actor=world.community_worker, retrofit=retrofit, action="assess", checklist={"门槛": "需拆除"}
    )
    event.refresh_from_db()
    # The plan stage has its own 14 days from now.
    assert event.deadline > first_deadline and event.deadline - timezone.now() > timedelta(days=13)


def test_a_second_plan_for_a_household_that_has_one_is_refused(world):
    client = client_for(world.community_worker)
    assert client.post(API + "/", {"household": world.household.pk}, format="json").status_code == 201
    refused = assert_error(
        client.post(API + "/", {"household": world.household.pk}, format="json"), 409, "plan_open"
    )
    assert refused["message"]


def test_a_step_out_of_order_is_refused_with_the_steps_allowed(world):
    retrofit = retrofit_open(actor=world.community_worker, household=world.household.pk)
    refused = assert_error(
        _step(client_for(world.community_worker), retrofit, action="works"),
        409,
        "stage_not_allowed",
        ["action"],
    )
    assert refused["fields"]["action"] == ["assess", "cancel"]


def test_whether_a_household_may_be_subsidized_again_is_a_dated_rule(world):
    """Subsidized two years ago: under the default rule (5 years) too soon; under the district's
    rule in force from today (1 year) allowed."""
    ResubsidyRule.objects.create(years_between=5, max_subsidy=Decimal(3000), effective_from=date(2020, 1, 1))
    earlier = retrofit_open(actor=world.community_worker, household=world.household.pk)
    two_years_ago = timezone.localdate() - timedelta(days=730)
    Retrofit.objects.filter(pk=earlier.pk).update(
        stage="done", subsidized_on=two_years_ago, subsidy=Decimal(2000)
    )
    client = client_for(world.community_worker)
    refused = assert_error(
        client.post(API + "/", {"household": world.household.pk}, format="json"), 409, "resubsidy_too_soon"
    )
    assert str(two_years_ago) in refused["message"]
    ResubsidyRule.objects.create(
        district=world.district,
        years_between=1,
        max_subsidy=Decimal(3000),
        effective_from=timezone.localdate(),
    )
    assert client.post(API + "/", {"household": world.household.pk}, format="json").status_code == 201


def test_a_household_of_another_community_is_not_the_callers(world):
    other = f.household(world.grid_b1)
    assert_error(
        client_for(world.community_worker).post(API + "/", {"household": other.pk}, format="json"),
        400,
        "invalid",
        ["household"],
    )


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 48


def _photo(client, retrofit, name="扶手.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, PNG, content_type="image/png")
    return client.post(f"{API}/{retrofit.pk}/photos/", {"file": upload}, format="multipart")


def test_each_stage_keeps_its_own_photos_downloaded_in_scope_and_audited(world):
    from core.audit.models import AuditEvent

    client = client_for(world.community_worker)
    retrofit = Retrofit.objects.get(
        pk=client.post(API + "/", {"household": world.household.pk}, format="json").json()["id"]
    )
    before = _photo(client, retrofit, "改造前.png")
    assert before.status_code == 201, before.content
    assert before.json()["stage"] == "assessment"
    _step(client, retrofit, action="assess", checklist={"bathroom": "缺扶手"})
    _step(client, retrofit, action="plan", items=[{"name": "卫生间扶手", "cost": "800"}])
    during = _photo(client, retrofit, "施工中.png").json()
    assert during["stage"] == "works"
    shown = client.get(f"{API}/{retrofit.pk}/").json()["photos"]
    assert [(p["stage"], p["name"]) for p in shown] == [("assessment", "改造前.png"), ("works", "施工中.png")]

    download = client.get(f"{API}/{retrofit.pk}/photos/{during['id']}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["Cache-Control"] == "no-store"
    assert (
        AuditEvent.objects.filter(action="workflow.attachment.download", actor=world.community_worker).count()
        == 1
    )
    other = client_for(world.worker_b)
    assert other.get(f"{API}/{retrofit.pk}/photos/{during['id']}/").status_code == 404
    assert _photo(other, retrofit).status_code == 404
    not_a_photo = _photo(client, retrofit, "x.png")
    assert not_a_photo.status_code == 201  # a third photo; the limit and content checks are core's (events)
