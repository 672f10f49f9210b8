"""共建单位: a unit's resources; a need from a deliberation matched to a resource of a unit of its
community or street, and its outcome."""

from __future__ import annotations

import pytest

from core.api.errors import ApplicationError
from governance import cobuilding as c
from governance import deliberation as d
from governance.models import Need


def test_a_need_from_a_deliberation_is_matched_to_a_resource_and_met(world):
    hospital = c.unit_register(
        actor=world.street_staff,
        region=world.street.pk,
        name="市第二人民医院",
        kind="医院",
        resources=[{"title": "每月义诊", "category": "expertise"}, {"title": "会议室", "category": "venue"}],
    )
    topic = d.topic_raise(actor=world.resident_user, community=world.community_a.pk, title="老人看病难")
    need = c.need_raise(
        actor=world.community_worker, community=world.community_a.pk, title="上门义诊", topic=topic
    )
    clinic = hospital.resources.get(category="expertise")
    c.need_match(actor=world.community_worker, need=need, resource=clinic)
    c.need_close(actor=world.community_worker, need=need, met=True, outcome="每月第一个周六义诊")
    need.refresh_from_db()
    assert (need.status, need.resource_id, need.topic_id) == (Need.Status.MET, clinic.pk, topic.pk)


def test_a_resource_of_another_community_is_not_offered(world):
    school = c.unit_register(
        actor=world.worker_b,
        region=world.community_b.pk,
        name="乙社区小学",
        kind="学校",
        resources=[{"title": "操场", "category": "venue"}],
    )
    need = c.need_raise(actor=world.community_worker, community=world.community_a.pk, title="场地")
    with pytest.raises(ApplicationError) as caught:
        c.need_match(actor=world.community_worker, need=need, resource=school.resources.get())
    assert "resource" in caught.value.fields
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN


def test_units_and_needs_over_http(world):
    from tests.helpers import assert_error, client_for

    street, worker = client_for(world.street_staff), client_for(world.community_worker)
    unit = street.post(
        "/api/v1/governance/co-building-units/",
        {
            "region": world.street.pk,
            "name": "市第二人民医院",
            "kind": "医院",
            "resources": [{"title": "每月义诊", "category": "expertise"}],
        },
        format="json",
    )
    assert unit.status_code == 201, unit.content
    clinic = unit.json()["resources"][0]["id"]
    need = worker.post(
        "/api/v1/governance/needs/", {"community": world.community_a.pk, "title": "上门义诊"}, format="json"
    )
    assert need.status_code == 201, need.content
    url = f"/api/v1/governance/needs/{need.json()['id']}/"
    assert_error(
        worker.post(f"{url}close/", {"met": True, "outcome": "x"}, format="json"), 409, "wrong_stage"
    )
    matched = worker.post(f"{url}match/", {"resource": clinic}, format="json")
    assert matched.status_code == 200 and matched.json()["status"] == "matched"
    closed = worker.post(f"{url}close/", {"met": True, "outcome": "每月第一个周六义诊"}, format="json").json()
    assert (closed["status"], closed["resource"]) == ("met", clinic)

    school = c.unit_register(
        actor=world.worker_b,
        region=world.community_b.pk,
        name="乙社区小学",
        kind="学校",
        resources=[{"title": "操场", "category": "venue"}],
    )
    other_need = worker.post(
        "/api/v1/governance/needs/", {"community": world.community_a.pk, "title": "场地"}, format="json"
    )
    other_url = f"/api/v1/governance/needs/{other_need.json()['id']}/match/"
    playground = school.resources.get().pk
    assert_error(
        worker.post(other_url, {"resource": playground}, format="json"), 400, "invalid", ["resource"]
    )
    assert client_for(world.worker_b).get(url).status_code == 404
