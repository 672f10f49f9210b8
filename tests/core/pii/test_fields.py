import pytest
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import IsNull
from django.test.utils import isolate_apps

from core.pii.crypto import decrypt, encrypt
from core.pii.fields import EncryptedTextField


@pytest.fixture
def field():
    field = EncryptedTextField(blank=True, null=True)
    field.set_attributes_from_name("id_number")
    return field


def test_get_prep_value_stores_ciphertext(field):
    stored = field.get_prep_value("340202199001011234")
    assert stored.startswith("v1:")
    assert "340202199001011234" not in stored
    assert decrypt(stored) == "340202199001011234"


def test_from_db_value_returns_plaintext(field):
    assert field.from_db_value(encrypt("张三丰"), None, None) == "张三丰"


@pytest.mark.parametrize("empty", [None, ""])
def test_none_and_empty_are_stored_as_is(field, empty):
    assert field.get_prep_value(empty) == empty
    assert field.from_db_value(empty, None, None) == empty


def test_non_text_values_are_converted_before_encryption(field):
    assert decrypt(field.get_prep_value(13812345678)) == "13812345678"


@pytest.mark.parametrize("lookup", ["exact", "iexact", "contains", "startswith", "in", "gt"])
def test_lookups_on_ciphertext_raise(field, lookup):
    with pytest.raises(FieldError, match="blind index"):
        field.get_lookup(lookup)


def test_transforms_raise(field):
    with pytest.raises(FieldError):
        field.get_transform("lower")


def test_isnull_is_allowed(field):
    assert field.get_lookup("isnull") is IsNull


@isolate_apps("django.contrib.contenttypes")
def test_querysets_refuse_to_filter_on_ciphertext():
    class Resident(models.Model):  # noqa: DJ008 - throwaway test model
        id_number = EncryptedTextField(null=True)

        class Meta:
            app_label = "contenttypes"

    Resident.objects.filter(id_number__isnull=True)  # builds fine
    for lookup in ({"id_number": "x"}, {"id_number__icontains": "x"}, {"id_number__lower": "x"}):
        with pytest.raises(FieldError):
            Resident.objects.filter(**lookup)


def test_deconstruct_round_trips(field):
    name, path, args, kwargs = field.deconstruct()
    assert (name, path, args) == ("id_number", "core.pii.fields.EncryptedTextField", [])
    assert kwargs == {"blank": True, "null": True}
    assert isinstance(EncryptedTextField(*args, **kwargs), EncryptedTextField)


@isolate_apps("django.contrib.contenttypes")
def test_unique_encrypted_field_fails_system_check():
    class Resident(models.Model):  # noqa: DJ008 - throwaway test model
        id_number = EncryptedTextField(unique=True)
        phone = EncryptedTextField()

        class Meta:
            app_label = "contenttypes"

    assert [error.id for error in Resident._meta.get_field("id_number").check()] == ["pii.E001"]
    assert Resident._meta.get_field("phone").check() == []
