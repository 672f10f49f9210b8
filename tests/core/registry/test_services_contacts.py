"""Guardians and emergency contacts: validation, scope, audit, and the care worker's to-do list."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from core.api.errors import NOT_FOUND_IN_PAYLOAD, Conflict
from core.audit.models import AuditEvent
from core.pii.validators import MESSAGES
from core.registry import selectors, services
from core.registry.models import Contact
from tests.core.registry.factories import born, field_messages, resident
from tests.world import id_number, mobile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the English source messages; the platform speaks zh-hans by default."""
    with translation.override("en"):
        yield


def test_a_contact_phone_is_validated_encrypted_masked_and_audited_without_plain_value(world, worker_a):
    child = resident(grid=world.grid_a1, actor=worker_a, name="王小明", document_number=id_number(born(8)))
    phone = mobile()
    contact = services.contact_add(
        actor=worker_a,
        resident=child,
        data={"kind": "guardian", "name": "王大明", "relation": "父亲", "phone": f"+86 {phone}"},
    )
    contact.refresh_from_db()
    assert (contact.phone_encrypted, contact.phone_masked) == (phone, f"{phone[:3]}****{phone[-4:]}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone_encrypted FROM registry_contact WHERE id = %s", [contact.pk])
        assert phone not in cursor.fetchone()[0]
    event = AuditEvent.objects.get(action="registry.contact.add")
    assert (event.actor, event.object_id, event.region_path) == (worker_a, str(child.pk), world.grid_a1.path)
    assert event.extra == {"contact_id": contact.pk}
    assert event.changes["phone_masked"] == {"old": None, "new": contact.phone_masked}
    assert phone not in str(event.changes) and "phone_encrypted" not in event.changes
    # A landline is accepted as well, normalised.
    landline = services.contact_add(
        actor=worker_a, resident=child, data={"kind": "emergency", "name": "李阿姨", "phone": "(0553)1234567"}
    )
    assert (landline.phone_encrypted, landline.phone_masked) == ("0553-1234567", "0553-*****67")


def test_bad_input_is_refused_field_by_field_and_nothing_is_written(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a)
    with pytest.raises(ValidationError) as error:
        services.contact_add(actor=worker_a, resident=person, data={"kind": "friend", "phone": "12345"})
    assert set(error.value.message_dict) == {"kind", "phone"}
    assert field_messages(error, "phone") == [str(MESSAGES["phone_format"])]
    with pytest.raises(ValidationError) as error:
        services.contact_add(actor=worker_a, resident=person, data={"kind": "guardian"})
    assert set(error.value.message_dict) == {"name", "phone"}
    with pytest.raises(ValidationError) as error:
        services.contact_add(
            actor=worker_a, resident=person, data={"kind": "guardian", "name": "x", "phone_masked": "1"}
        )
    assert field_messages(error, "phone_masked") == ["This field cannot be set."]
    assert not Contact.objects.exists() and not AuditEvent.objects.filter(
        action__startswith="registry.contact"
    )


def test_a_linked_resident_must_be_visible_and_gives_name_and_phone(world, worker_a, worker_b):
    elder = resident(grid=world.grid_a1, actor=worker_a, name="赵老伯", document_number=id_number(born(82)))
    daughter_phone = mobile()
    daughter = resident(grid=world.grid_a2, actor=worker_a, name="赵红", mobile=daughter_phone)
    stranger = resident(grid=world.grid_b1, actor=worker_b)
    answers = []
    for other in (stranger.pk, 987654):
        with pytest.raises(ValidationError) as error:
            services.contact_add(
                actor=worker_a, resident=elder, data={"kind": "emergency", "contact_resident": other}
            )
        answers.append(field_messages(error, "contact_resident"))
    assert answers == [[str(NOT_FOUND_IN_PAYLOAD)]] * 2
    with pytest.raises(ValidationError) as error:
        services.contact_add(
            actor=worker_a, resident=elder, data={"kind": "emergency", "contact_resident": elder.pk}
        )
    assert "contact_resident" in error.value.message_dict
    contact = services.contact_add(
        actor=worker_a,
        resident=elder,
        data={"kind": "emergency", "contact_resident": daughter.pk, "relation": "女儿"},
    )
    shown = selectors.contacts_of(elder).get()
    assert (shown.shown_name, shown.shown_phone) == ("赵红", daughter.mobile_masked)
    # The same person twice for the same role is one contact.
    with pytest.raises(Conflict) as conflict:
        services.contact_add(
            actor=worker_a, resident=elder, data={"kind": "emergency", "contact_resident": daughter.pk}
        )
    assert conflict.value.code == "contact_exists"
    assert contact.pk == Contact.objects.get().pk


def test_update_and_remove_are_audited_with_masked_values(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a)
    old_phone, new_phone = mobile(), mobile()
    contact = services.contact_add(
        actor=worker_a, resident=person, data={"kind": "emergency", "name": "周某", "phone": old_phone}
    )
    services.contact_update(actor=worker_a, contact=contact, data={"phone": new_phone, "relation": "邻居"})
    contact.refresh_from_db()
    assert (contact.phone_encrypted, contact.relation, contact.name) == (new_phone, "邻居", "周某")
    update = AuditEvent.objects.get(action="registry.contact.update")
    assert set(update.changes) == {"phone_masked", "relation"}
    assert new_phone not in str(update.changes) and old_phone not in str(update.changes)
    with pytest.raises(ValidationError) as error:
        services.contact_update(actor=worker_a, contact=contact, data={"phone": ""})
    assert "phone" in error.value.message_dict  # a contact outside the register keeps a phone
    contact_id = contact.pk
    services.contact_remove(actor=worker_a, contact=contact)
    assert not Contact.objects.exists()
    removal = AuditEvent.objects.get(action="registry.contact.remove")
    assert removal.extra == {"contact_id": contact_id} and removal.object_id == str(person.pk)
    assert removal.changes["name"] == {"old": "周某", "new": None}
    assert removal.changes["phone_masked"]["old"] == contact.phone_masked


def test_reveal_gives_the_full_phone_for_a_purpose_and_is_audited(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a)
    phone = mobile()
    contact = services.contact_add(
        actor=worker_a, resident=person, data={"kind": "emergency", "name": "钱某", "phone": phone}
    )
    with pytest.raises(ValidationError):
        services.contact_reveal(actor=worker_a, contact=contact, purpose=" ")
    assert services.contact_reveal(actor=worker_a, contact=contact, purpose="老人摔倒联系家属") == {
        "phone": phone
    }
    event = AuditEvent.objects.get(action="registry.contact.reveal")
    assert (event.purpose, event.extra) == (
        "老人摔倒联系家属",
        {"contact_id": contact.pk, "fields": ["phone"]},
    )


def test_no_contact_for_the_deceased(world, worker_a):
    person = resident(grid=world.grid_a1, actor=worker_a)
    services.resident_record_death(
        actor=worker_a, resident=person, died_on=person.birth_date.replace(year=2020)
    )
    with pytest.raises(Conflict):
        services.contact_add(
            actor=worker_a, resident=person, data={"kind": "emergency", "name": "x", "phone": mobile()}
        )


def test_missing_contact_lists_minors_and_elderly_living_alone_without_any_contact(world, worker_a, worker_b):
    def person(name, age, grid=world.grid_a1, actor=worker_a):
        return resident(grid=grid, actor=actor, name=name, document_number=id_number(born(age)))

    child, covered_child = person("小甲", 6), person("小乙", 17)
    alone, alone_covered, with_family = person("独居甲", 75), person("独居乙", 68), person("老丙", 80)
    adult_alone = person("中年独居", 45)
    other_child = person("小丙", 5, grid=world.grid_b1, actor=worker_b)
    for someone in (alone, alone_covered, adult_alone):
        services.tag_assign(actor=worker_a, resident=someone, tag="registry.living_alone")
    for someone in (covered_child, alone_covered):
        services.contact_add(
            actor=worker_a, resident=someone, data={"kind": "guardian", "name": "监护人", "phone": mobile()}
        )
    gone = person("小丁", 3)
    services.resident_move_out(
        actor=worker_a, resident=gone, moved_out_on=gone.birth_date.replace(year=gone.birth_date.year + 1)
    )
    to_do = selectors.resident_list(user=worker_a, filters={"missing_contact": "true"})
    assert {r.pk for r in to_do} == {child.pk, alone.pk}
    assert other_child not in to_do and with_family not in to_do
    everyone = selectors.resident_list(user=worker_a, filters={"missing_contact": "false"})
    assert everyone.count() == 7
