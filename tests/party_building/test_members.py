"""Party members: linked to the register, or an outsider's personal data encrypted and masked;
a probationary member becomes full only after the probation year (党章 art. 7); the relation is
transferred out and back in as history, with letter numbers used once."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from core.audit.models import AuditEvent
from party_building.models import Member, Transfer
from tests.helpers import assert_error, client_for
from tests.party_building import factories as f
from tests.world import id_number

MEMBERS = "/api/v1/party-building/members/"


def test_a_resident_becomes_a_member_once_and_the_register_keeps_their_id_and_phone(world):
    branch = f.organization(world.grid_a1)
    client = client_for(world.community_worker)
    payload = {
        "organization": branch.pk,
        "resident": world.applicant.pk,
        "kind": "probationary",
        "joined_on": "2025-07-01",
    }
    response = client.post(MEMBERS, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["id_number"]) == ("王大明", world.applicant.document_number_masked)
    assert "*" in body["id_number"] and response["Cache-Control"].startswith("no-store")
    assert_error(client.post(MEMBERS, payload, format="json"), 409, "already_member")
    assert Member.objects.count() == 1


def test_an_outsiders_id_and_phone_are_encrypted_and_shown_masked(world):
    branch = f.organization(world.grid_a1)
    number = id_number(date(1985, 3, 2))
    response = client_for(world.community_worker).post(
        MEMBERS,
        {
            "organization": branch.pk,
            "outside": {"name": "赵六", "id_number": number, "mobile": "13905531234"},
            "kind": "full",
            "joined_on": "2010-07-01",
            "full_on": "2011-07-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "赵*" and number not in str(body) and "13905531234" not in str(body)
    member = Member.objects.get()
    assert (member.outside_id_number, member.outside_birth_date) == (number, date(1985, 3, 2))
    with connection.cursor() as cursor:
        cursor.execute("SELECT outside_id_number, outside_mobile, outside_name FROM party_building_member")
        stored = cursor.fetchone()
    assert number not in stored[0] and "1390553" not in stored[1] and "赵六" not in stored[2]


def test_a_bad_outside_id_number_or_no_person_at_all_is_refused(world):
    branch = f.organization(world.grid_a1)
    client = client_for(world.community_worker)
    base = {"organization": branch.pk, "kind": "probationary", "joined_on": "2025-07-01"}
    assert_error(client.post(MEMBERS, base, format="json"), 400, "person_required", ["resident"])
    bad = {**base, "outside": {"name": "赵六", "id_number": "340202198503021234"}}
    assert_error(client.post(MEMBERS, bad, format="json"), 400, "invalid", ["document_number"])
    assert not Member.objects.exists()


def test_a_probationary_member_becomes_full_once_the_probation_year_is_over(world):
    today = timezone.localdate()
    joined = today - timedelta(days=200)
    member = f.member(f.organization(world.grid_a1), kind="probationary", joined_on=joined)
    client = client_for(world.community_worker)
    early = client.post(f"{MEMBERS}{member.pk}/make-full/", {"full_on": today.isoformat()}, format="json")
    assert_error(early, 400, "probation_not_over", ["full_on"])
    member.refresh_from_db()
    assert (member.kind, member.full_on) == ("probationary", None)
    assert not AuditEvent.objects.filter(action="party_building.member.make_full").exists()
    year_on = joined.replace(year=joined.year + 1)
    done = client.post(f"{MEMBERS}{member.pk}/make-full/", {"full_on": year_on.isoformat()}, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["kind"], done.json()["full_on"]) == ("full", year_on.isoformat())
    assert AuditEvent.objects.filter(action="party_building.member.make_full").count() == 1
    assert_error(
        client.post(f"{MEMBERS}{member.pk}/make-full/", {"full_on": year_on.isoformat()}, format="json"),
        409,
        "not_probationary",
    )


def test_a_full_member_registered_with_a_full_date_inside_the_probation_year_is_refused(world):
    branch = f.organization(world.grid_a1)
    response = client_for(world.community_worker).post(
        MEMBERS,
        {
            "organization": branch.pk,
            "resident": world.applicant.pk,
            "kind": "full",
            "joined_on": "2024-07-01",
            "full_on": "2025-06-30",
        },
        format="json",
    )
    assert_error(response, 400, "probation_not_over", ["full_on"])
    assert not Member.objects.exists()


def test_a_transfer_out_and_back_in_is_kept_as_history(world):
    branch, other = f.organization(world.grid_a1), f.organization(world.grid_a2)
    member = f.member(branch)
    client = client_for(world.community_worker)
    url = f"{MEMBERS}{member.pk}/transfer/"
    # Into the organization that already holds the relation: refused, nothing written.
    same = client.post(url, {"to_organization": branch.pk, "transferred_on": "2025-01-02"}, format="json")
    assert_error(same, 400, "already_in_organization", ["to_organization"])
    assert_error(
        client.post(
            url, {"outside_organization": "合肥市某党支部", "transferred_on": "2025-01-02"}, format="json"
        ),
        400,
        "letter_number_required",
        ["letter_number"],
    )
    out = client.post(
        url,
        {
            "outside_organization": "合肥市某党支部",
            "letter_number": "皖组转字2025-001",
            "transferred_on": "2025-02-01",
        },
        format="json",
    )
    assert out.status_code == 200, out.content
    assert out.json()["status"] == "transferred_out"
    # Coming back with the same letter number: refused, the member still out.
    reused = client.post(
        url,
        {"to_organization": other.pk, "letter_number": "皖组转字2025-001", "transferred_on": "2025-09-01"},
        format="json",
    )
    assert_error(reused, 400, "letter_number_used", ["letter_number"])
    member.refresh_from_db()
    assert member.status == "transferred_out" and Transfer.objects.count() == 1
    back = client.post(
        url,
        {
            "to_organization": other.pk,
            "outside_organization": "合肥市某党支部",
            "letter_number": "皖组转字2025-117",
            "transferred_on": "2025-09-01",
        },
        format="json",
    )
    assert back.status_code == 200, back.content
    body = back.json()
    assert (body["status"], body["organization"]) == ("active", other.pk)
    assert [
        (t["direction"], t["letter_number"]) for t in sorted(body["transfers"], key=lambda t: t["id"])
    ] == [
        ("out", "皖组转字2025-001"),
        ("in", "皖组转字2025-117"),
    ]
    member.refresh_from_db()
    assert member.region_path == world.grid_a2.path
    assert AuditEvent.objects.filter(action="party_building.member.transfer").count() == 2


def test_a_transfer_names_an_organization_the_worker_keeps(world):
    member = f.member(f.organization(world.grid_a1))
    sibling = f.organization(world.grid_b1)
    response = client_for(world.community_worker).post(
        f"{MEMBERS}{member.pk}/transfer/",
        {"to_organization": sibling.pk, "transferred_on": "2025-01-02"},
        format="json",
    )
    assert_error(response, 400, "invalid", ["to_organization"])
    other_member = f.member(f.organization(world.grid_b1))
    response = client_for(world.community_worker).post(
        f"{MEMBERS}{other_member.pk}/transfer/",
        {"outside_organization": "x", "letter_number": "1", "transferred_on": "2025-01-02"},
        format="json",
    )
    assert_error(response, 404, "not_found")
