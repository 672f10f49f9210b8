"""Free text is stored with ID numbers and mobiles masked (issue 13): every output masked them
already, so a full number kept in a note or a title was readable by nobody but a database dump.
One step does it for every write (core/api/validators.py `is_free_text_column`): a save through
the API, the admin or an import, a queryset update, a bulk create. Structured columns that must
hold the exact value (a username, a code, an index) are left as typed."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.db import connection

from core.api.validators import is_free_text_column
from core.registry.models import Resident
from core.workflow.models import CalendarDay, Event
from tests.core.registry.factories import resident
from tests.helpers import client_for
from tests.world import id_number, make_user, mobile

NUMBER_AND_PHONE = "340202199001011237 13912345678"
MASKED = "3402**********1237 139****5678"


def stored(obj, column: str) -> str:
    """The column as the database holds it (not through the model)."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(obj._meta.db_table)
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [obj.pk])  # noqa: S608
        return cursor.fetchone()[0]


def free_text_columns() -> list[str]:
    return sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.local_fields
        if is_free_text_column(field)
    )


@pytest.mark.parametrize(
    "column",
    [
        "registry.Resident.note", "registry.Resident.registered_address", "registry.House.address",
        "workflow.Event.title", "workflow.Event.description", "workflow.EventTransition.note",
        "hotline.HotlineTicket.content", "hotline.HotlineTicket.reply", "notices.Notice.body",
        "affairs.Objection.content", "affairs.Application.decision_note", "safety.Incident.body",
        "services.CaseEntry.text", "governance.Topic.body", "governance.TopicComment.body",
        "party_building.Meeting.minutes", "elderly_alone.CareCase.detail", "minors.ChildReport.summary",
    ],
)  # fmt: skip
def test_each_family_of_free_text_columns_is_stored_masked(column):
    label, name = column.rsplit(".", 1)
    field = apps.get_model(label)._meta.get_field(name)
    assert column in free_text_columns()
    assert field.get_prep_value(f"请联系 {NUMBER_AND_PHONE}") == f"请联系 {MASKED}"


@pytest.mark.parametrize(
    "column",
    ["accounts.User.username", "accounts.User.display_name", "registry.Resident.name",
     "registry.Resident.document_number_index", "registry.Resident.mobile_index",
     "hotline.HotlineTicket.ticket_no",
     "regions.Region.code", "workflow.Event.external_ref", "imports.ImportJob.sha256"],
)  # fmt: skip
def test_columns_that_hold_exact_values_are_stored_as_typed(column):
    label, name = column.rsplit(".", 1)
    field = apps.get_model(label)._meta.get_field(name)
    assert not is_free_text_column(field)
    assert field.get_prep_value("13912345678") == "13912345678"


@pytest.mark.django_db
def test_a_resident_note_typed_through_the_api_is_stored_masked(world):
    person = resident(
        grid=world.grid_a1, actor=world.community_worker, name="赵六", document_number=id_number()
    )
    client = client_for(world.community_worker)
    response = client.patch(
        f"/api/v1/registry/residents/{person.pk}/", {"note": f"家属 {NUMBER_AND_PHONE}"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["note"] == f"家属 {MASKED}"
    assert stored(person, "note") == f"家属 {MASKED}"
    Resident.objects.filter(pk=person.pk).update(note=f"更新 {NUMBER_AND_PHONE}")
    assert stored(person, "note") == f"更新 {MASKED}"


@pytest.mark.django_db
def test_an_event_title_and_description_typed_through_the_api_are_stored_masked(world):
    body = {"type": "workflow.general_request", "title": f"堆物 {NUMBER_AND_PHONE}", "grid": world.grid_a1.pk,
            "description": f"报告人 {NUMBER_AND_PHONE}"}  # fmt: skip
    response = client_for(world.grid_worker).post("/api/v1/events/", body, format="json")
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert (stored(event, "title"), stored(event, "description")) == (f"堆物 {MASKED}", f"报告人 {MASKED}")
    assert NUMBER_AND_PHONE not in str(response.json())


@pytest.mark.django_db
def test_a_bulk_create_stores_free_text_masked():
    phone = mobile()
    (day,) = CalendarDay.objects.bulk_create(
        [CalendarDay(date=date(2031, 5, 6), is_workday=False, note=f"联系 {phone}")]
    )
    assert stored(day, "note") == f"联系 {phone[:3]}****{phone[7:]}"


@pytest.mark.django_db
def test_a_username_that_is_a_phone_still_signs_in():
    user = make_user(username="13912345678")
    assert stored(user, "username") == "13912345678"
