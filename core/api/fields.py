"""Output fields for free text: whatever a person typed leaves the API with ID numbers and mobiles
masked (core.pii.masking.mask_free_text, the same rule as the audit log, notices and exports).

Every output field that carries free text (a note, a title, a description, a reason, a comment,
a reply, an address typed by hand, a form's answers) is declared with one of these; the full
value comes only from a reveal endpoint. tests/core/api/test_free_text_masking.py checks that
no Output serializer emits a plain CharField that is not on its short list of codes and names.
"""

from __future__ import annotations

from rest_framework import serializers

from core.pii.masking import mask_free_text, mask_free_text_in


class MaskedTextField(serializers.CharField):
    """A read-only string output with ID numbers and mobiles masked."""

    context_free = True  # converts the value alone: a fast list may compile it (core/api/fast_output.py)

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return mask_free_text(super().to_representation(value))


class MaskedJSONField(serializers.JSONField):
    """A read-only JSON output (a form's answers) with every string inside masked."""

    context_free = True  # converts the value alone: a fast list may compile it (core/api/fast_output.py)

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return mask_free_text_in(super().to_representation(value))


class MaskedDictField(serializers.DictField):
    """A read-only object output with every string inside masked."""

    context_free = True  # converts the value alone: a fast list may compile it (core/api/fast_output.py)

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return mask_free_text_in(super().to_representation(value))
