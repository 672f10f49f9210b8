from __future__ import annotations

import pytest

from core.audit.models import AuditEvent
from core.registry.models import Resident
from tests.core.registry.factories import ADMIN_RESIDENTS as CHANGELIST
from tests.core.registry.factories import INLINE_MANAGEMENT, resident
from tests.world import id_number, mobile

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world, worker_a, worker_b):
    mine = resident(
        grid=world.grid_a1, actor=worker_a, name="张三", document_number=id_number(), mobile=mobile()
    )
    theirs = resident(grid=world.grid_b1, actor=worker_b, name="李四")
    return mine, theirs


def test_worker_sees_only_their_residents_masked(client, worker_a, people):
    mine, theirs = people
    client.force_login(worker_a)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "张三" in page and "李四" not in page
    assert mine.document_number_masked in page and mine.document_number_encrypted not in page
    assert mine.mobile_encrypted not in page
    assert client.get(f"{CHANGELIST}{theirs.pk}/change/").status_code == 302  # not found: back to the list


def test_search_by_initials_and_exact_id_number(client, worker_a, people):
    mine, _ = people
    client.force_login(worker_a)
    assert "张三" in client.get(CHANGELIST, {"q": "zs"}).content.decode()
    assert "张三" in client.get(CHANGELIST, {"q": mine.document_number_encrypted}).content.decode()
    assert "张三" not in client.get(CHANGELIST, {"tag": "registry.age_60_plus"}).content.decode()


def test_change_form_shows_masked_value_and_corrects_by_typing_it_in_full(client, worker_a, people):
    mine, _ = people
    client.force_login(worker_a)
    url = f"{CHANGELIST}{mine.pk}/change/"
    page = client.get(url).content.decode()
    assert mine.document_number_masked in page and mine.document_number_encrypted not in page
    assert 'name="new_document_number"' in page and 'name="new_document_number" value' not in page
    new_number = id_number()
    form = {
        "name": "张三",
        "document_type": "id_card",
        "new_document_number": new_number,
        "new_mobile": "",
        "new_landline": "",
        "residence_type": mine.residence_type,
        "relation": mine.relation,
        "region": mine.region_id,
        **INLINE_MANAGEMENT,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Resident.objects.get(pk=mine.pk).document_number_encrypted == new_number
    assert AuditEvent.objects.filter(action="registry.resident.update", actor=worker_a).exists()
    form["new_document_number"] = new_number[:-1] + ("1" if new_number[-1] != "1" else "2")
    response = client.post(url, form)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Resident.objects.get(pk=mine.pk).document_number_encrypted == new_number


def test_nothing_can_be_deleted(client, worker_a, people):
    mine, _ = people
    client.force_login(worker_a)
    assert client.get(f"{CHANGELIST}{mine.pk}/delete/").status_code == 403
