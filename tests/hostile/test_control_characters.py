"""One stored control character (a vertical tab copied from Word into a name or a note) made
openpyxl raise while writing the resident export: 500 for the whole community and the street
above it (issue 13). Now every free-text input refuses them through one validator
(core/api/validators.py validate_text: the API, the admin, the import), and every workbook
writer cleans what older rows hold. Tabs and line breaks stay allowed in text."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import models as db
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework import serializers

from core.api.params import MAX_BIGINT
from core.api.validators import clean_text, invalid_texts, validate_text
from core.audit.models import AuditEvent
from core.imports.rows import RowValidator
from core.registry.models import Resident
from tests.core.api.test_api_conventions import api_modules, project_apps, serializers_defined_in
from tests.core.imports.conftest import make_resident, valid_id
from tests.core.registry.factories import ADMIN_RESIDENTS, INLINE_MANAGEMENT
from tests.helpers import assert_error, client_for

pytestmark = pytest.mark.django_db
RESIDENTS = "/api/v1/registry/residents/"
EXPORT = "/api/v1/registry/imports/exports/residents/"
REFUSED = ["\x0b", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\uffff"]


@pytest.mark.parametrize("character", REFUSED)
def test_the_validator_refuses_control_characters(character):
    with pytest.raises(ValidationError) as error:
        validate_text(f"张{character}三")
    assert error.value.code == "control_characters"
    assert clean_text(f"张{character}三") == "张三"
    assert list(invalid_texts({"name": f"张{character}三", "note": "好"})) == ["name"]


def test_tabs_and_line_breaks_are_allowed_in_text():
    for text in ("第一行\n第二行", "列1\t列2", "windows\r\nline", "普通文字 with spaces", ""):
        validate_text(text)
        assert clean_text(text) == text and invalid_texts({"note": text}) == {}


def test_the_api_refuses_a_control_character_in_any_text_field(world):
    client = client_for(world.community_worker)
    resident = world.applicant
    response = client.patch(f"{RESIDENTS}{resident.pk}/", {"note": "已核\x0b实"}, format="json")
    assert_error(response, 400, "invalid", fields=["note"])
    response = client.patch(f"{RESIDENTS}{resident.pk}/", {"name": "王\x0b大明"}, format="json")
    assert_error(response, 400, "invalid", fields=["name"])
    assert Resident.objects.get(pk=resident.pk).name == "王大明"
    # A multi-line note with a tab is fine.
    response = client.patch(f"{RESIDENTS}{resident.pk}/", {"note": "第一行\n\t第二行"}, format="json")
    assert response.status_code == 200, response.content
    assert Resident.objects.get(pk=resident.pk).note == "第一行\n\t第二行"
    # A domain's text (an event's title), through another serializer: the same rule.
    event = client.post(
        "/api/v1/events/", {"type": "x", "title": "路灯\x0b坏了", "grid": world.grid_a1.pk}, format="json"
    )
    assert event.status_code == 400 and "title" in event.json()["error"]["fields"], event.content


def test_the_admin_refuses_a_control_character(client, world):
    resident = world.applicant
    client.force_login(world.community_worker)
    form = {
        "name": resident.name,
        "document_type": resident.document_type,
        "residence_type": resident.residence_type,
        "relation": resident.relation,
        "household": resident.household_id,
        "house": resident.house_id,
        "region": resident.region_id,
        "note": "已核\x0b实",
        **INLINE_MANAGEMENT,
    }
    response = client.post(f"{ADMIN_RESIDENTS}{resident.pk}/change/", form)
    assert response.status_code == 200  # the form again, with its error
    assert "errorlist" in response.content.decode()
    assert Resident.objects.get(pk=resident.pk).note != "已核\x0b实"
    # The same form without the character is saved: the refusal was the character's.
    assert (
        client.post(f"{ADMIN_RESIDENTS}{resident.pk}/change/", {**form, "note": "已核实"}).status_code == 302
    )
    assert Resident.objects.get(pk=resident.pk).note == "已核实"


def test_the_import_refuses_a_row_with_a_control_character(world):
    validator = RowValidator(
        region=world.community_a, user=world.community_worker, today=timezone.localdate()
    )
    valid, errors = validator.validate(
        [
            (2, {"name": "张\x0b三", "document_number": valid_id(date(1980, 1, 1)), "grid": "第1网格"}),
            (
                3,
                {
                    "name": "李四",
                    "document_number": valid_id(date(1981, 1, 1)),
                    "grid": "第1网格",
                    "note": "a\x07",
                },
            ),
            (
                4,
                {
                    "name": "王五",
                    "document_number": valid_id(date(1982, 1, 1)),
                    "grid": "第1网格",
                    "note": "多\n行",
                },
            ),
        ]
    )
    assert [row["name"] for row in valid] == ["王五"]
    assert [error.row for error in errors] == [2, 3]
    assert "姓名" in errors[0].messages[-1] and errors[1].messages == [
        f"备注：{errors[1].messages[0].split('：', 1)[1]}"
    ]


def test_the_export_cleans_what_older_rows_hold(world):
    old = make_resident(world.grid_a1, "钱\x0b多多", valid_id(date(1985, 1, 1)), note="旧\x0b备注\x1b")
    Resident.objects.filter(pk=old.pk).update(registered_address="地址\x01\x85")
    client = client_for(world.community_worker)
    response = client.get(EXPORT)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    cells = {value for row in rows[1:] for value in row if isinstance(value, str)}
    assert "旧备注" in cells and "地址" in cells
    assert not any(clean_text(value) != value for value in cells)


def test_the_audit_export_cleans_what_older_rows_hold(world):
    AuditEvent.objects.create(
        action="registry.resident.update",
        actor=world.community_worker,
        region_path=world.grid_a1.path,
        purpose="核对\x0b",
        changes={"note": ["旧\x0b", "新"]},
    )
    response = client_for(world.audit_admin).get("/api/v1/audit/export/")
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [value for row in sheet.iter_rows(values_only=True) for value in row if isinstance(value, str)]
    assert "核对" in cells and not any(clean_text(value) != value for value in cells)


# --- the rule is general: every text field, every integer field ---------------------------------


CONTAINERS = (serializers.ListField, serializers.DictField, serializers.ListSerializer)


def input_fields():
    """(where, field) for every field of every serializer defined in an app's api package."""
    for module in api_modules():
        for name in serializers_defined_in(module):
            serializer_class = getattr(module, name)
            try:
                serializer = serializer_class()
                fields = serializer.fields
            except Exception:  # noqa: S112 (a serializer needing arguments: a context, an instance)
                continue
            stack = [(f"{module.__name__}.{name}.{key}", field) for key, field in fields.items()]
            while stack:
                where, field = stack.pop()
                yield where, field
                if isinstance(
                    field, serializers.ListField | serializers.DictField | serializers.ListSerializer
                ):
                    stack.append((f"{where}[]", field.child))
                elif isinstance(field, serializers.Serializer):
                    stack.extend((f"{where}.{key}", sub) for key, sub in field.fields.items())


def test_every_text_and_integer_input_of_the_api_is_checked():
    text = integer = 0
    unchecked = []
    for where, field in input_fields():
        if field.read_only:
            continue
        if isinstance(field, serializers.CharField):
            text += 1
            if validate_text not in field.validators:
                unchecked.append(where)
        elif isinstance(field, serializers.IntegerField):
            integer += 1
            bounded = field.max_value is not None and field.max_value <= MAX_BIGINT
            if not bounded and not any(
                getattr(v, "limit_value", None) == MAX_BIGINT for v in field.validators
            ):
                unchecked.append(where)
    assert text > 50 and integer > 20
    assert unchecked == []


def test_every_text_column_of_the_project_refuses_control_characters():
    unchecked = [
        f"{model._meta.label}.{field.name}"
        for config in project_apps()
        for model in config.get_models()
        for field in model._meta.local_fields
        if isinstance(field, db.CharField | db.TextField) and validate_text not in field.validators
    ]
    assert unchecked == []
