"""四级未成年人保护网络: roles at each level, mandatory reports at once, escalation level by level,
access restricted to the network and audited, leaving at 18."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.api.errors import NotFound
from core.audit.models import AuditEvent
from core.notices.models import Notice
from core.pii.masking import mask_phone
from core.registry.services import contact_add
from core.workflow.models import Event
from scenarios.minors.contributions import CIVIL_AFFAIRS, COUNTY_CENTRE, DIRECTOR, POLICE_LIAISON, SUPERVISOR
from scenarios.minors.models import ChildRecord, ChildReport
from scenarios.minors.services import close_adults, escalate_reports, open_due_visits, report_make
from tests.helpers import client_for
from tests.scenarios.helpers import SYSTEM, enable
from tests.scenarios.scope_cases import child_record, child_with_guardian
from tests.schema_conformance import assert_conforms
from tests.world import make_resident_record, make_staff, mobile


@pytest.mark.parametrize("kind", ["abuse", "danger"])
def test_a_report_of_abuse_or_danger_notifies_police_and_county_civil_affairs_at_once_art_11(world, kind):
    """未成年人保护法 第十一条: mandatory reporting, whatever the level."""
    record = child_record(world, world.community_a)
    report = report_make(actor=world.grid_worker, child=record, kind=kind, summary="邻居反映孩子身上有伤")
    notices = Notice.objects.filter(kind="minors.mandatory_report")
    assert {(n.role, n.region_id) for n in notices} == {
        (POLICE_LIAISON, world.district.pk),
        (CIVIL_AFFAIRS, world.district.pk),
    }
    assert report.event.type == "minors.report" and report.event.region_path == world.community_a.path


def test_a_child_at_risk_goes_to_the_childrens_director_and_up_level_by_level(world):
    record = child_record(world, world.community_a)
    report = report_make(actor=world.grid_worker, child=record, kind="at_risk", summary="长期独自在家")
    assert not Notice.objects.filter(kind="minors.mandatory_report").exists()
    assert report.level == 4 and report.event.region_path == world.community_a.path
    assert escalate_reports(timezone.now()) == 0  # not due yet
    assert escalate_reports(timezone.now() + timedelta(hours=25)) == 1
    report.refresh_from_db()
    assert report.level == 3
    up = Notice.objects.get(kind="minors.escalated")
    assert (up.role, up.region_id) == (SUPERVISOR, world.street.pk)
    escalate_reports(timezone.now() + timedelta(hours=50))
    report.refresh_from_db()
    assert report.level == 2 and Notice.objects.filter(kind="minors.escalated", role=COUNTY_CENTRE).exists()


def test_a_report_taken_up_in_time_goes_no_further(world):
    director = make_staff(DIRECTOR, world.community_a)
    record = child_record(world, world.community_a)
    report = report_make(actor=world.grid_worker, child=record, kind="at_risk", summary="x")
    response = client_for(director).post(f"/api/v1/scenarios/minors/reports/{report.pk}/take/")
    assert response.status_code == 200
    assert escalate_reports(timezone.now() + timedelta(days=3)) == 0


def test_access_to_minors_records_is_restricted_to_the_network_and_audited(world):
    record = child_record(world, world.community_a)
    director = make_staff(DIRECTOR, world.community_a)
    assert client_for(world.community_worker).get("/api/v1/scenarios/minors/children/").status_code == 403
    assert client_for(director).get(f"/api/v1/scenarios/minors/children/{record.pk}/").status_code == 200
    listed = client_for(director).get("/api/v1/scenarios/minors/children/")
    assert [row["id"] for row in listed.json()["results"]] == [record.pk]
    reads = AuditEvent.objects.filter(action="minors.record.view", actor=director)
    assert reads.count() == 2 and all(
        str(record.pk) in (row.object_ids or [row.object_id]) or row.object_ids == [str(record.pk)]
        for row in reads
    )


def test_a_child_turning_18_leaves_with_a_closing_note(world):
    enable("minors", world.community_a)
    grown = make_resident_record(world.grid_a1, name="小红", birth=date(2008, 1, 1))
    young = make_resident_record(world.grid_a1, name="小刚", birth=date(2012, 1, 1))
    for person in (grown, young):
        ChildRecord.objects.create(
            resident=person,
            category="orphan",
            next_visit_on=date(2030, 1, 1),
            region=person.region,
            region_path=person.region_path,
        )
    assert close_adults(date(2026, 1, 1)) == 1
    closed = ChildRecord.objects.get(resident=grown)
    assert closed.state == "closed" and "18" in closed.closing_note and closed.closed_on == date(2026, 1, 1)
    assert ChildRecord.objects.get(resident=young).state == "active"


def test_visits_follow_the_category_schedule_and_a_disabled_community_gets_nothing(world):
    record = child_record(world, world.community_a)
    other = child_record(world, world.community_b)
    enable("minors", world.community_b, enabled=False)
    ChildRecord.objects.filter(pk__in=[record.pk, other.pk]).update(next_visit_on=date(2026, 1, 1))
    assert open_due_visits(date(2026, 1, 1)) == 1
    record.refresh_from_db()
    assert record.next_visit_on == date(2026, 1, 31)  # de-facto unattended: every 30 days
    assert Event.objects.filter(type="minors.visit").count() == 1
    assert open_due_visits(date(2026, 1, 1)) == 0
    report = client_for(make_staff(DIRECTOR, world.community_b)).get(
        f"/api/v1/scenarios/minors/children/{other.pk}/"
    )
    assert report.status_code == 404
    with pytest.raises(NotFound):
        report_make(actor=SYSTEM, child=other, kind="abuse", summary="x")
    assert not ChildReport.objects.exists()


# guardians (the register's) -------------------------------------------------------------------

CHILDREN = "/api/v1/scenarios/minors/children/"


def test_a_child_shows_the_registers_guardians_masked_and_an_unattended_child_without_one_is_flagged(
    world,
):
    """Children in difficulty, orphans and de-facto unattended children *with their guardians*
    (issue 18, item 3): the register's guardians, masked as the register masks them."""
    record = child_record(world, world.community_a)
    grandmother_phone = mobile()
    contact_add(
        actor=None,
        resident=record.resident,
        data={"kind": "guardian", "name": "王芳", "relation": "祖母", "phone": grandmother_phone},
    )
    aunt = make_resident_record(world.grid_a1, name="李娟", birth=date(1985, 3, 1))
    contact_add(
        actor=None,
        resident=record.resident,
        data={"kind": "guardian", "contact_resident": aunt.pk, "relation": f"委托照护人 {mobile()}"},
    )
    contact_add(  # an emergency contact is no guardian
        actor=None, resident=record.resident, data={"kind": "emergency", "name": "邻居", "phone": mobile()}
    )
    unguarded = child_record(world, world.community_a)
    director = make_staff(DIRECTOR, world.community_a)

    response = client_for(director).get(f"{CHILDREN}{record.pk}/")
    assert_conforms(response, "get", "/api/v1/scenarios/minors/children/{id}/")
    body = response.json()
    assert body["guardian_missing"] is False
    first, second = body["guardians"]
    assert (first["name"], first["relation"], first["kind"]) == ("王芳", "祖母", "guardian")
    assert first["phone"] == mask_phone(grandmother_phone) and grandmother_phone not in str(body)
    assert second["contact_resident"] == aunt.pk and second["name"] == "李娟"
    assert second["relation"].startswith("委托照护人") and "*" in second["relation"]  # a mobile in it
    assert second["phone"] == aunt.mobile_masked
    alone = client_for(director).get(f"{CHILDREN}{unguarded.pk}/").json()
    assert alone["guardians"] == [] and alone["guardian_missing"] is True


def test_children_without_a_guardian_on_record_are_listed_by_the_filter(world):
    """事实无人抚养儿童 need a 监护人 or a 委托照护人 on record: the network finds who has none."""
    guarded = child_with_guardian(world, world.community_a)
    unguarded = child_record(world, world.community_a)
    client = client_for(make_staff(DIRECTOR, world.community_a))
    missing = client.get(CHILDREN, {"guardian_missing": "true"}).json()["results"]
    assert [(row["id"], row["guardian_missing"]) for row in missing] == [(unguarded.pk, True)]
    on_record = client.get(CHILDREN, {"guardian_missing": "false"}).json()["results"]
    assert [row["id"] for row in on_record] == [guarded.pk]
    assert len(on_record[0]["guardians"]) == 1
    assert {row["id"] for row in client.get(CHILDREN).json()["results"]} == {guarded.pk, unguarded.pk}


def test_the_list_reads_every_childs_guardians_in_the_same_queries_however_many(world):
    client = client_for(make_staff(DIRECTOR, world.community_a))
    child_with_guardian(world, world.community_a)
    client.get(CHILDREN)  # the caller's scope and the scenario's state, once
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(CHILDREN).json()["results"]) == 1
    for _ in range(4):
        record = child_with_guardian(world, world.community_a)
        contact_add(
            actor=None, resident=record.resident, data={"kind": "guardian", "name": "张伟", "phone": mobile()}
        )
    child_record(world, world.community_a)
    with CaptureQueriesContext(connection) as more:
        assert len(client.get(CHILDREN).json()["results"]) == 6
    assert len(more) == len(few)


def test_another_communitys_child_and_its_guardians_answer_404(world):
    record = child_with_guardian(world, world.community_a)
    guardian = record.resident.guardians[0]
    other_director = client_for(make_staff(DIRECTOR, world.community_b))
    enable("minors", world.community_b)
    assert other_director.get(f"{CHILDREN}{record.pk}/").status_code == 404
    revealed = other_director.post(
        f"{CHILDREN}{record.pk}/reveal-guardian/", {"guardian": guardian.pk, "purpose": "核实"}, format="json"
    )
    assert revealed.status_code == 404
    assert record.pk not in [row["id"] for row in other_director.get(CHILDREN).json()["results"]]
    assert not AuditEvent.objects.filter(action="registry.contact.reveal").exists()


def test_a_guardians_full_phone_comes_only_through_the_registers_audited_reveal(world):
    record = child_with_guardian(world, world.community_a)
    guardian = record.resident.guardians[0]
    other = child_with_guardian(world, world.community_a)
    director = client_for(make_staff(DIRECTOR, world.community_a))
    url = f"{CHILDREN}{record.pk}/reveal-guardian/"
    assert director.post(url, {"guardian": guardian.pk}, format="json").status_code == 400  # no purpose
    response = director.post(url, {"guardian": guardian.pk, "purpose": "联系监护人核实情况"}, format="json")
    assert response.status_code == 200 and response.json() == {"phone": guardian.phone_encrypted}
    audit = AuditEvent.objects.get(action="registry.contact.reveal")
    assert audit.purpose == "联系监护人核实情况" and audit.extra["contact_id"] == guardian.pk
    assert audit.object_id == str(record.resident_id)
    # Another child's guardian is not this child's: 400, as an id that does not exist.
    foreign = director.post(
        url, {"guardian": other.resident.guardians[0].pk, "purpose": "核实"}, format="json"
    )
    assert foreign.status_code == 400 and "guardian" in foreign.json()["error"]["fields"]
    # Outside the network: refused, whatever the register lets the role do elsewhere.
    refused = client_for(world.community_worker).post(
        url, {"guardian": guardian.pk, "purpose": "核实"}, format="json"
    )
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(action="registry.contact.reveal").count() == 1
