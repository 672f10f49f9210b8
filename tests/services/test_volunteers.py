"""Volunteers and the one hours ledger: sign-up under the cap, check-in before check-out, hours
from this app's check-outs and from other domains' hand-offs (core.extensions.handoffs), counted
once; rankings per region; the certificate of hours."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from core.audit.models import AuditEvent
from core.extensions import handoffs
from core.extensions.models import Handoff
from services import statistics
from services.models import HoursEntry, Signup, Volunteer
from services.volunteers import record_handed_hours, signup_check_in, signup_check_out
from tests.helpers import assert_error, client_for
from tests.services import factories as f

API = "/api/v1/services"


def _pioneer_hours(resident_id: int, record: int, hours: str = "3") -> handoffs.ServiceHours:
    """Hours as party building hands them over for its pioneer service (党员先锋服务)."""
    return handoffs.ServiceHours(
        hours=Decimal(hours),
        served_on=timezone.localdate(),
        activity="党员先锋岗 政策宣讲",
        source=f"party_building.pioneer_service:{record}",
        resident_id=resident_id,
    )


def _send(payload, key: str, capture) -> None:
    with capture(execute=True), transaction.atomic():
        handoffs.send(handoffs.SERVICE_HOURS, payload, idempotency_key=key)


def test_a_volunteer_is_registered_from_the_register_and_only_once(world):
    client = client_for(world.community_worker)
    body = {"region": world.grid_a1.pk, "resident": world.applicant.pk}
    first = client.post(f"{API}/volunteers/", body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["name"] == world.applicant.name
    assert_error(client.post(f"{API}/volunteers/", body, format="json"), 409, "volunteer_exists")
    # A resident of the sibling community is not the caller's to register.
    other = f.elder(world.grid_b1)
    assert_error(
        client.post(f"{API}/volunteers/", {"region": world.grid_a1.pk, "resident": other.pk}, format="json"),
        400,
        "invalid",
        ["resident"],
    )


def test_a_volunteer_outside_the_register_is_shown_masked(world):
    client = client_for(world.community_worker)
    made = client.post(
        f"{API}/volunteers/",
        {"region": world.grid_a1.pk, "name": "赵志愿", "mobile": "13800138000"},
        format="json",
    )
    assert made.status_code == 201
    assert made.json()["name"] != "赵志愿" and made.json()["name"].startswith("赵")
    assert "138001" not in made.json()["mobile"]
    assert Volunteer.objects.get(pk=made.json()["id"]).name_encrypted == "赵志愿"


def test_sign_ups_over_the_projects_cap_are_refused(world):
    project = f.project(world.grid_a1, cap=1)
    client = client_for(world.community_worker)
    url = f"{API}/projects/{project.pk}/signup/"
    first = client.post(url, {"volunteer": f.volunteer(world.grid_a1).pk}, format="json")
    assert first.status_code == 201
    refused = assert_error(
        client.post(url, {"volunteer": f.volunteer(world.grid_a1).pk}, format="json"), 409, "project_full"
    )
    assert "1" in refused["message"]
    assert Signup.objects.filter(project=project).count() == 1


def test_check_out_before_check_in_is_refused_and_check_out_writes_the_hours(world):
    project = f.project(world.grid_a1)
    volunteer = f.volunteer(world.grid_a1)
    signup = Signup.objects.create(project=project, volunteer=volunteer)
    client = client_for(world.community_worker)
    out_url = f"{API}/projects/{project.pk}/check-out/"
    assert_error(client.post(out_url, {"signup": signup.pk}, format="json"), 409, "not_checked_in")
    start = timezone.now() - timedelta(hours=2, minutes=20)
    signup_check_in(actor=world.community_worker, project=project, signup=signup.pk, at=start)
    answered = client.post(out_url, {"signup": signup.pk}, format="json")
    assert answered.status_code == 200, answered.content
    # Two hours and twenty minutes count as whole quarters: 2.25 hours.
    assert answered.json()["hours"] == "2.25"
    entry = HoursEntry.objects.get(volunteer=volunteer)
    assert (entry.source_domain, entry.key) == ("services", f"services.signup:{signup.pk}")
    assert_error(client.post(out_url, {"signup": signup.pk}, format="json"), 409, "already_checked_out")


def test_hours_handed_over_by_another_domain_land_in_the_same_ledger_once(
    world, django_capture_on_commit_callbacks
):
    """The ledger is fed from two domains: this app's check-outs and party building's pioneer
    service, sent as party building sends it (handoffs.send), never imported."""
    project = f.project(world.grid_a1)
    mine = Volunteer.objects.create(
        region=world.grid_a1,
        region_path=world.grid_a1.path,
        resident=world.applicant,
        joined_on=timezone.localdate(),
    )
    signup = Signup.objects.create(
        project=project, volunteer=mine, checked_in_at=timezone.now() - timedelta(hours=1)
    )
    signup_check_out(actor=world.community_worker, project=project, signup=signup.pk)

    _send(_pioneer_hours(world.applicant.pk, 42), "pioneer:42", django_capture_on_commit_callbacks)
    _send(_pioneer_hours(world.applicant.pk, 42), "pioneer:42", django_capture_on_commit_callbacks)  # a retry
    handoff = Handoff.objects.get()
    assert handoff.status == Handoff.Status.DELIVERED and handoff.consumer == "services.hours_ledger"
    assert handoffs.deliver(handoff.pk) == "done before"
    record_handed_hours(
        _pioneer_hours(world.applicant.pk, 42), key=handoff.idempotency_key
    )  # delivered twice

    lines = HoursEntry.objects.filter(volunteer=mine).order_by("source_domain")
    assert [(e.source_domain, e.hours) for e in lines] == [
        ("party_building", Decimal("3.00")),
        ("services", Decimal("1.00")),
    ]
    figures = statistics.volunteer_hours(world.community_a)
    assert figures["by_source"] == {"party_building": "3.00", "services": "1.00"}
    assert figures["hours"] == "4.00"


def test_handed_hours_of_a_person_not_yet_a_volunteer_make_their_volunteer_record(
    world, django_capture_on_commit_callbacks
):
    person = f.elder(world.grid_a2)
    _send(_pioneer_hours(person.pk, 7, "1.5"), "pioneer:7", django_capture_on_commit_callbacks)
    volunteer = Volunteer.objects.get(resident=person)
    assert volunteer.region_path == world.grid_a2.path
    assert HoursEntry.objects.get(volunteer=volunteer).hours == Decimal("1.50")


def test_rankings_are_per_region_and_ties_share_a_rank(world):
    a1 = f.hours(world.grid_a1, amount="5")
    a2 = f.hours(world.grid_a2, amount="5")
    a3 = f.hours(world.grid_a1, amount="2")
    f.hours(world.grid_b1, amount="9")  # the sibling community's best stays out
    client = client_for(world.community_worker)
    answered = client.get(f"{API}/hours/ranking/", {"region": world.community_a.pk})
    assert answered.status_code == 200, answered.content
    rows = answered.json()["results"]
    assert [(r["volunteer"], r["rank"]) for r in rows] == [
        (a1.volunteer_id, 1),
        (a2.volunteer_id, 1),
        (a3.volunteer_id, 3),
    ]
    assert_error(
        client.get(f"{API}/hours/ranking/", {"region": world.community_b.pk}), 400, "invalid", ["region"]
    )
    street = client_for(world.street_staff).get(f"{API}/hours/ranking/").json()["results"]
    assert street[0]["hours"] == "9.00"


def test_the_certificate_is_a_workbook_with_the_hours_by_source_and_is_audited(
    world, django_capture_on_commit_callbacks
):
    volunteer = Volunteer.objects.create(
        region=world.grid_a1,
        region_path=world.grid_a1.path,
        resident=world.applicant,
        joined_on=timezone.localdate(),
    )
    HoursEntry.objects.create(
        volunteer=volunteer, region=world.grid_a1, region_path=world.grid_a1.path, hours=Decimal("2"),
        served_on=timezone.localdate(), activity="敬老", source="services.signup:1", source_domain="services",
        key="k1",
    )  # fmt: skip
    _send(_pioneer_hours(world.applicant.pk, 9), "pioneer:9", django_capture_on_commit_callbacks)
    answered = client_for(world.community_worker).get(f"{API}/volunteers/{volunteer.pk}/certificate/")
    assert answered.status_code == 200
    assert answered["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(answered.content)).active
    cells = {
        row[0]: row[1] for row in sheet.iter_rows(min_row=2, max_row=6, values_only=True) if row and row[0]
    }
    assert cells["志愿者"] == world.applicant.name
    assert cells["服务总时长"] == 5.0
    assert (
        AuditEvent.objects.filter(action="services.certificate.print", object_id=str(volunteer.pk)).count()
        == 1
    )


def test_a_time_bank_balance_is_the_ledgers_hours_since_it_started_less_what_was_drawn(
    world, django_capture_on_commit_callbacks
):
    volunteer = Volunteer.objects.create(
        region=world.grid_a1,
        region_path=world.grid_a1.path,
        resident=world.applicant,
        joined_on=timezone.localdate(),
    )
    client = client_for(world.community_worker)
    url = f"{API}/volunteers/{volunteer.pk}"
    assert client.get(f"{url}/balance/").json() == {
        "time_bank": None,
        "earned": "0.00",
        "drawn": "0.00",
        "balance": "0.00",
    }
    assert_error(
        client.post(f"{url}/draw/", {"hours": "1", "note": "助浴"}, format="json"), 409, "no_time_bank"
    )
    opened = client.post(
        f"{API}/time-banks/", {"region": world.community_a.pk, "name": "甲社区时间银行"}, format="json"
    )
    assert opened.status_code == 201, opened.content
    HoursEntry.objects.create(
        volunteer=volunteer, region=world.grid_a1, region_path=world.grid_a1.path, hours=Decimal("2"),
        served_on=timezone.localdate() - timedelta(days=30), activity="早于开办", source="s",
        source_domain="services", key="before",
    )  # fmt: skip
    _send(_pioneer_hours(world.applicant.pk, 11), "pioneer:11", django_capture_on_commit_callbacks)  # 3 hours
    drawn = client.post(f"{url}/draw/", {"hours": "1.5", "note": "助浴服务"}, format="json")
    assert drawn.status_code == 200, drawn.content
    assert drawn.json() == {
        "time_bank": opened.json()["id"],
        "earned": "3.00",
        "drawn": "1.50",
        "balance": "1.50",
    }
    refused = assert_error(
        client.post(f"{url}/draw/", {"hours": "2", "note": "理发"}, format="json"), 409, "balance_too_low"
    )
    assert "1.50" in refused["message"]
