"""A resident's note typed with an ID number or a phone leaves the API and the admin masked, as
the audit log masks it; the note is stored masked too (core/api/validators.py), and an older row
stored in full is stored masked once saved again through the admin (issue 13)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from core.registry.models import Resident
from tests.core.registry.factories import ADMIN_RESIDENTS, INLINE_MANAGEMENT, resident
from tests.helpers import client_for
from tests.world import id_number, mobile

pytestmark = pytest.mark.django_db
URL = "/api/v1/registry/residents/"


@pytest.fixture
def typed():
    """Someone else's ID number and phone, typed into a note."""
    return id_number(date(1961, 7, 15)), mobile()


def _assert_masked(text: str, number: str, phone: str) -> None:
    assert number not in text and number[6:14] not in text and phone not in text
    assert f"{number[:4]}{'*' * 10}{number[-4:]}" in text and f"{phone[:3]}****{phone[-4:]}" in text


def test_a_note_comes_back_masked_in_the_detail_and_the_list(world, worker_a, typed):
    number, phone = typed
    person = resident(grid=world.grid_a1, actor=worker_a, note=f"联系人 {number} 电话{phone}")
    assert (
        Resident.objects.get(pk=person.pk).note
        == f"联系人 {number[:4]}{'*' * 10}{number[-4:]} 电话{phone[:3]}****{phone[-4:]}"
    )
    client = client_for(worker_a)
    detail = client.get(f"{URL}{person.pk}/")
    assert detail.status_code == 200
    _assert_masked(detail.json()["note"], number, phone)
    _assert_masked(client.get(URL).content.decode(), number, phone)
    patched = client.patch(f"{URL}{person.pk}/", {"registered_address": f"户籍 {number}"}, format="json")
    assert patched.status_code == 200, patched.content
    assert number not in patched.content.decode()


def test_the_admin_shows_the_note_masked_and_keeps_it_when_saved_unchanged(client, world, worker_a, typed):
    number, phone = typed
    note = f"联系人{number}，{phone}"
    person = resident(grid=world.grid_a1, actor=worker_a)
    with connection.cursor() as cursor:  # a row stored before free text was masked at rest
        cursor.execute("UPDATE registry_resident SET note = %s WHERE id = %s", [note, person.pk])
    client.force_login(worker_a)
    url = f"{ADMIN_RESIDENTS}{person.pk}/change/"
    page = client.get(url).content.decode()
    _assert_masked(page, number, phone)
    shown = Resident.objects.get(pk=person.pk).note.replace(number, f"{number[:4]}{'*' * 10}{number[-4:]}")
    shown = shown.replace(phone, f"{phone[:3]}****{phone[-4:]}")
    form = {
        "name": person.name,
        "document_type": "id_card",
        "new_document_number": "",
        "new_mobile": "",
        "new_landline": "",
        "residence_type": person.residence_type,
        "relation": person.relation,
        "region": person.region_id,
        "note": shown,  # posted back as the page showed it
        **INLINE_MANAGEMENT,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    # The typed text is kept over the masked copy, and saved again it is stored masked.
    assert Resident.objects.get(pk=person.pk).note == shown != note
    form["note"] = "已核实"
    assert client.post(url, form).status_code == 302
    assert Resident.objects.get(pk=person.pk).note == "已核实"
