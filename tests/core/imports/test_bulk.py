"""The bulk writer shared by the import and the data generator: ids in order, personal data
encrypted at rest exactly as the ORM would store it, defaults and timestamps filled."""

from __future__ import annotations

import pytest
from django.db import connection

from core.imports.bulk import insert_rows
from core.registry.identity import identity_columns, name_pinyin, phone_columns
from core.registry.models import Resident, ResidentTag
from tests.core.imports.conftest import valid_id

pytestmark = pytest.mark.django_db


def resident_row(grid, name: str, number: str) -> dict:
    initials, pinyin = name_pinyin(name)
    return {
        "name": name,
        "name_initials": initials,
        "name_pinyin": pinyin,
        "document_type": "id_card",
        **identity_columns("id_card", number),
        **phone_columns("13812345678", "0553-1234567"),
        "region_id": grid.pk,
        "region_path": grid.path,
        "_row": 7,  # private keys are ignored
    }


def test_inserts_in_order_with_encrypted_personal_data(register):
    numbers = [valid_id() for _ in range(3)]
    ids = insert_rows(Resident, [resident_row(register.a.grid, f"居民{i}", n) for i, n in enumerate(numbers)])
    assert ids == sorted(ids) and len(set(ids)) == 3
    residents = Resident.objects.in_bulk(ids)
    for pk, number in zip(ids, numbers, strict=True):
        resident = residents[pk]
        assert resident.document_number_encrypted == number  # decrypts to the value
        assert resident.landline_encrypted == "0553-1234567"
        assert resident.status == "active" and resident.created_at is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document_number_encrypted, mobile_encrypted FROM registry_resident WHERE id = %s",
            [ids[0]],
        )
        stored = cursor.fetchone()
    assert stored[0].startswith("v1:") and numbers[0] not in stored[0]
    assert stored[1].startswith("v1:") and "13812345678" not in stored[1]


def test_json_and_callable_defaults(register):
    (resident_id,) = insert_rows(Resident, [resident_row(register.a.grid, "张三", valid_id())])
    tag_ids = insert_rows(
        ResidentTag,
        [
            {
                "resident_id": resident_id,
                "tag": "registry.disability",
                "attributes": {"category": "visual", "grade": 2},
            },
            {"resident_id": resident_id, "tag": "registry.party_member"},
        ],
    )
    tags = ResidentTag.objects.in_bulk(tag_ids)
    assert tags[tag_ids[0]].attributes == {"category": "visual", "grade": 2}
    assert tags[tag_ids[1]].attributes == {} and tags[tag_ids[1]].started_on is not None


def test_nothing_to_insert():
    assert insert_rows(Resident, []) == []
