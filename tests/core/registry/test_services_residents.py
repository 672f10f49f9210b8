from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.api.errors import NOT_FOUND_IN_PAYLOAD, Conflict
from core.audit.models import AuditEvent
from core.registry import services
from core.registry.models import MembershipChange, Resident, ResidentTag
from tests.core.registry.factories import field_messages, house, resident
from tests.world import id_number, mobile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the English source messages; the platform speaks zh-hans by default."""
    with translation.override("en"):
        yield


def test_create_derives_birth_date_sex_pinyin_and_masks(world, worker_a):
    number = id_number(date(1950, 6, 1), female=True)
    phone = mobile()
    person = resident(grid=world.grid_a1, actor=worker_a, name="王小红", document_number=number, mobile=phone)
    person.refresh_from_db()
    assert person.birth_date == date(1950, 6, 1) and person.sex == "F"
    assert (person.name_initials, person.name_pinyin) == ("wxh", "wangxiaohong")
    assert person.document_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert person.mobile_masked == phone[:3] + "****" + phone[-4:]
    assert person.region_path == world.grid_a1.path and person.created_by == worker_a
    # Stored encrypted, read back in full only through the model field.
    with connection.cursor() as cursor:
        cursor.execute("SELECT document_number_encrypted FROM registry_resident WHERE id = %s", [person.pk])
        raw = cursor.fetchone()[0]
    assert number not in raw and person.document_number_encrypted == number


def test_create_is_audited_without_plain_pii(world, worker_a):
    number, phone = id_number(), mobile()
    person = resident(grid=world.grid_a1, actor=worker_a, document_number=number, mobile=phone)
    event = AuditEvent.objects.get(action="registry.resident.create")
    assert event.object_id == str(person.pk) and event.actor == worker_a
    assert event.region_path == world.grid_a1.path
    text = str(event.changes)
    assert number not in text and phone not in text
    assert event.changes["mobile_masked"] == {"old": None, "new": person.mobile_masked}
    assert not any(key.endswith(("_encrypted", "_index")) for key in event.changes)


def test_document_number_is_unique_in_the_deployment(world, worker_a, worker_b):
    number = id_number()
    resident(grid=world.grid_a1, actor=worker_a, document_number=number)
    with pytest.raises(ValidationError) as error:
        resident(grid=world.grid_b1, actor=worker_b, document_number=number)
    assert field_messages(error, "document_number") == [
        "A resident with this document number is already registered."
    ]


def test_bad_check_digit_bad_mobile_and_future_birth_are_refused_together(world, worker_a):
    good = id_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        resident(grid=world.grid_a1, actor=worker_a, document_number=bad, mobile="12345")
    assert set(error.value.message_dict) == {"document_number", "mobile"}
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        resident(
            grid=world.grid_a1,
            actor=worker_a,
            document_type="passport",
            document_number="E1234567",
            birth_date=tomorrow,
        )
    assert field_messages(error, "birth_date") == ["The birth date is in the future."]
    assert not Resident.objects.exists()


def test_house_outside_scope_reads_as_not_found(world, worker_a, worker_b):
    house_b = house(world.grid_b1)
    for house_id in (house_b.pk, 987654):
        with pytest.raises(ValidationError) as error:
            resident(actor=worker_a, house=house_id)
        assert field_messages(error, "house") == [str(NOT_FOUND_IN_PAYLOAD)]
    # B's worker may use it; the grid follows the house.
    person = resident(actor=worker_b, house=house_b.pk)
    assert person.region_id == world.grid_b1.pk


def test_grid_must_be_a_grid_in_scope(world, worker_a):
    with pytest.raises(ValidationError) as error:
        resident(grid=world.community_a, actor=worker_a)
    assert field_messages(error, "region") == ["Choose a grid."]
    with pytest.raises(ValidationError) as error:
        resident(grid=world.grid_b1, actor=worker_a)
    assert field_messages(error, "region") == [str(NOT_FOUND_IN_PAYLOAD)]


def test_update_refuses_fields_not_settable(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a)
    for field in ("status", "region_path", "created_by"):
        with pytest.raises(ValidationError) as error:
            services.resident_update(actor=worker_a, resident=person, data={field: "x"})
        assert field in error.value.message_dict


def test_update_with_new_id_number_rederives_and_audits_masked(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a)
    old_masked = person.document_number_masked
    new_number = id_number(date(1980, 2, 29))
    services.resident_update(actor=worker_a, resident=person, data={"document_number": new_number})
    person.refresh_from_db()
    assert person.birth_date == date(1980, 2, 29)
    event = AuditEvent.objects.filter(action="registry.resident.update").get()
    assert event.changes["document_number_masked"] == {
        "old": old_masked,
        "new": person.document_number_masked,
    }
    assert new_number not in str(event.changes)


def test_move_out_and_death_keep_the_person_with_dates(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a, moved_in_on=date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.resident_move_out(actor=worker_a, resident=person, moved_out_on=date(2019, 1, 1))
    services.resident_move_out(actor=worker_a, resident=person, moved_out_on=date(2024, 5, 1))
    assert Resident.objects.get(pk=person.pk).status == Resident.Status.MOVED_OUT
    with pytest.raises(Conflict):
        services.resident_move_out(actor=worker_a, resident=person, moved_out_on=date(2024, 5, 2))
    services.resident_move_in(
        actor=worker_a, resident=person, house=house(world.grid_a2), moved_in_on=date(2024, 6, 1)
    )
    person.refresh_from_db()
    assert (person.status, person.region_id) == (Resident.Status.ACTIVE, world.grid_a2.pk)
    services.tag_assign(actor=worker_a, resident=person, tag="registry.living_alone")
    services.resident_record_death(actor=worker_a, resident=person, died_on=timezone.localdate())
    person.refresh_from_db()
    assert person.status == Resident.Status.DECEASED and person.deceased_on == timezone.localdate()
    assert not ResidentTag.objects.current().filter(resident=person).exists()
    assert Resident.objects.filter(pk=person.pk).exists()


def test_death_date_cannot_be_in_the_future_or_before_birth(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a, birth=date(1990, 1, 1))
    for day in (timezone.localdate() + timedelta(days=1), date(1989, 12, 31)):
        with pytest.raises(ValidationError):
            services.resident_record_death(actor=worker_a, resident=person, died_on=day)


def test_tags_must_be_declared_assignable_and_disability_needs_category_and_grade(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a)
    with pytest.raises(ValidationError):
        services.tag_assign(actor=worker_a, resident=person, tag="vip")
    with pytest.raises(ValidationError):
        services.tag_assign(actor=worker_a, resident=person, tag="registry.age_60_plus")
    with pytest.raises(ValidationError) as error:
        services.tag_assign(
            actor=worker_a, resident=person, tag="registry.disability", attributes={"grade": 7}
        )
    assert set(error.value.message_dict) == {"attributes.category", "attributes.grade"}
    tag = services.tag_assign(
        actor=worker_a,
        resident=person,
        tag="registry.disability",
        attributes={"category": "visual", "grade": "2"},
    )
    assert (tag.attributes, tag.assigned_by, tag.source) == (
        {"category": "visual", "grade": 2},
        worker_a,
        "worker",
    )
    with pytest.raises(Conflict):
        services.tag_assign(
            actor=worker_a,
            resident=person,
            tag="registry.disability",
            attributes={"category": "visual", "grade": 2},
        )
    services.tag_end(actor=worker_a, resident_tag=tag)
    tag.refresh_from_db()
    assert tag.ended_on == timezone.localdate() and tag.ended_by == worker_a
    assert AuditEvent.objects.filter(action__in=["registry.tag.assign", "registry.tag.end"]).count() == 2


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)), female=st.booleans())
def test_any_valid_id_number_yields_its_birth_date_and_sex(world, worker_a, birth, female):
    person = resident(grid=world.grid_a1, actor=worker_a, document_number=id_number(birth, female=female))
    assert person.birth_date == birth and person.sex == ("F" if female else "M")
    Resident.objects.filter(pk=person.pk).delete()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0, max_value=16), delta=st.integers(min_value=1, max_value=9))
def test_any_single_digit_typo_is_refused(world, worker_a, position, delta):
    good = id_number()
    typo = good[:position] + str((int(good[position]) + delta) % 10) + good[position + 1 :]
    with pytest.raises(ValidationError) as error:
        resident(grid=world.grid_a1, actor=worker_a, document_number=typo)
    assert "document_number" in error.value.message_dict


def test_household_members_history_and_householder(world, worker_a):
    home = house(world.grid_a1)
    household = services.household_create(actor=worker_a, house=home.pk, number="H1")
    father = resident(actor=worker_a, household=household.pk, house=home.pk, relation="self")
    household.refresh_from_db()
    assert household.householder == father and father.region_id == world.grid_a1.pk
    child = resident(actor=worker_a, grid=world.grid_a1)
    services.household_add_member(actor=worker_a, household=household, resident=child.pk, relation="child")
    with pytest.raises(Conflict):
        services.household_add_member(
            actor=worker_a, household=household, resident=child.pk, relation="child"
        )
    services.household_set_householder(actor=worker_a, household=household, resident=child.pk)
    household.refresh_from_db()
    assert household.householder_id == child.pk
    assert Resident.objects.get(pk=father.pk).relation == Resident.Relation.OTHER
    services.household_remove_member(actor=worker_a, household=household, resident=child.pk)
    household.refresh_from_db()
    assert household.householder is None
    kinds = list(
        MembershipChange.objects.filter(household=household).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["joined", "joined", "householder", "left"]
