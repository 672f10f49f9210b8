"""Every API output that carries free text masks ID numbers and phones (core.api.fields), and
no Output serializer can add a plain text field without saying it is not free text."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from rest_framework import serializers

from core.api.fields import MaskedDictField, MaskedJSONField, MaskedTextField
from tests.core.pii.strategies import free_text_with_personal_data, leaked

PROJECT = ("core", "affairs", "governance", "safety", "services", "party_building", "scenarios")

# Plain strings that are codes, names, states, paths, URLs or values already masked by their own
# rule: not free text. Anything else an output emits as a string is declared MaskedTextField.
NOT_FREE_TEXT = {
    "action", "actor", "actor_label", "assigned_by", "benefit_tag", "category", "channels", "clock",
    "code", "content_type", "decided_by", "document_number", "domain", "ethnicity", "event_state",
    "from_state", "id", "item_name", "key", "kind", "landline", "mobile", "name", "national_code",
    "next_cursor", "notify_channel", "number", "object_id", "object_type", "origin", "path", "phone",
    "pinyin", "prefix", "purpose", "region_name", "region_path", "request_id", "requested_by",
    "resident_name", "return_visit", "returned_from", "role", "role_display", "sha256", "source",
    "standard_name", "state", "state_display", "status", "status_display", "tag", "ticket_no",
    "to_state", "type", "url", "username", "version",
}  # fmt: skip
# Declared with their reason:
NOT_FREE_TEXT |= {
    "decided_at",  # a region's path: the switch that decides a scenario's state there
    "set_at",  # a region's path: the settings version that set a value ("" for the default)
    "label",  # a scenario setting's label, from the scenario's contract
    "platform_versions",  # the platform versions a scenario supports (a version specifier)
    "device",  # the producing device's record ("safety.device:3"), whose false alarms are counted
    "tags",  # the residents' care tag codes that called for a visit, comma-separated
    "office",  # the name of the office whose records a scenario receives (with reference, its key)
    "reference",  # another office's or a weather feed's record number: masking would corrupt it
}
# Structured JSON the platform computes (or, for the audit log, masks when it is written).
NOT_FREE_JSON = {
    "addressed_to", "boundary", "changes", "eligibility", "extra", "missing", "object_ids", "parameters",
}  # fmt: skip
# A scenario's names per language (from its contract) and its typed setting values, which the
# settings routes show exactly as they were set (a masked value saved back would change it).
NOT_FREE_JSON |= {"names", "default", "value", "values"}
# Serializers that are requests, secrets or audited reveals of full values, never free-text output.
NOT_OUTPUTS = {
    "RevealOutput", "PhoneRevealOutput", "TokenPairSerializer", "TotpSetupSerializer",
    "WebsocketTicketOutput", "LoginSerializer", "RefreshSerializer", "PasswordChangeSerializer",
    "PasswordResetCodeSerializer", "PasswordResetSerializer", "BindingCodeSerializer",
    "BindingSerializer", "WeChatLoginSerializer", "TotpConfirmSerializer", "UserCreateSerializer",
    "CorrectionRequestSerializer",
}  # fmt: skip


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def output_serializers():
    from django.urls import get_resolver

    assert get_resolver().url_patterns  # imports every API module
    found = {}
    for cls in _subclasses(serializers.BaseSerializer):
        name = cls.__name__
        if cls.__module__.split(".")[0] in PROJECT and "Input" not in name and name not in NOT_OUTPUTS:
            found[f"{cls.__module__}.{name}"] = cls
    return found


def _fields(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListSerializer | serializers.ListField):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from _fields(field, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", name, field


def _instances():
    for label, cls in sorted(output_serializers().items()):
        with contextlib.suppress(TypeError):  # one that needs arguments is not a plain output
            yield label, cls()


def _masked_fields():
    for label, serializer in _instances():
        for path, _name, field in _fields(serializer):
            if isinstance(field, MaskedTextField | MaskedJSONField | MaskedDictField):
                yield f"{label}.{path}", field


def test_every_plain_text_output_field_is_a_code_or_masked():
    unmasked = []
    for label, serializer in _instances():
        for path, name, field in _fields(serializer):
            if field.write_only:
                continue
            if type(field) is serializers.CharField and name not in NOT_FREE_TEXT:
                unmasked.append(f"{label}.{path}")
            if type(field) in (serializers.DictField, serializers.JSONField) and name not in NOT_FREE_JSON:
                unmasked.append(f"{label}.{path}")
    assert unmasked == [], "free text leaves these outputs unmasked (declare MaskedTextField): " + ", ".join(
        unmasked
    )


MASKED = list(_masked_fields())


def test_the_free_text_fields_are_found():
    labels = {label.rsplit(".", 2)[-2] + "." + label.rsplit(".", 1)[-1] for label, _ in MASKED}
    for expected in (
        "ResidentOutput.note",
        "EventOutput.title",
        "EventOutput.form_data",
        "NoticeOutput.body",
    ):
        assert expected in labels


@pytest.mark.parametrize(("label", "field"), MASKED, ids=[label for label, _ in MASKED])
@settings(max_examples=15, deadline=None)
@given(case=free_text_with_personal_data())
def test_no_masked_output_field_emits_personal_data(label, field, case):
    text, secrets = case
    if isinstance(field, MaskedTextField):
        shown = field.to_representation(text)
    else:
        shown = str(field.to_representation({"answer": text, "list": [text, {"deep": text}]}))
    assert leaked(shown, secrets) == [], (label, text, shown)
