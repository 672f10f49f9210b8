"""What every input must be, checked by one function wherever text or numbers come in.

Text: one validator, `validate_text`, for every free-text field of the platform: every string
field of every API input (DRF's CharField and its kinds), every text column of the project's
models (so the admin's forms, ModelSerializers and any `full_clean` refuse it too) and every cell
of a register import (core/imports/rows.py). It refuses control characters: the C0 controls but
tab, line feed and carriage return, DEL, the C1 controls, lone surrogates and the two
non-characters U+FFFE/U+FFFF. One stored vertical tab made openpyxl raise while writing a
workbook, so the whole export of a community answered 500 (issue 13).

Tabs and line breaks are allowed in every text: a note or a description is typed on several
lines (and a browser's textarea sends "\\r\\n"); a one-line field such as a name keeps the
rules of its own validators. Rows stored before this rule are cleaned on their way out:
`clean_text` drops the same characters from every cell an export writes (core/imports/workbook.py,
core/audit/export.py).

Free text at rest: a person's prose (the columns named in FREE_TEXT_COLUMNS: a note, a title, a
description, a ticket's content, a reason, a reply, an address typed by hand…) is stored with ID
numbers and mobiles masked (core.pii.masking.mask_free_text), at the one step every write takes
(the field's `get_prep_value`: save, bulk_create, update, bulk_update, imports included). Every
output masked such a number already, so nobody could read it: stored in full, it was only a
liability in a database dump (docs/privacy.md).

Numbers: every integer an API input takes fits the database's 64-bit integer (PostgreSQL bigint,
SQLite INTEGER); above it a lookup overflows into a 500. Ids are narrower still
(core/api/params.py MAX_ID, IdField, IdFilter).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from core.api.params import MAX_BIGINT
from core.pii.masking import mask_free_text

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
CONTROL_CHARACTERS_MESSAGE = _(
    "The text holds control characters (such as a vertical tab copied from another program); "
    "remove them and submit again."
)
CONTROL_CHARACTERS_CODE = "control_characters"


def has_control_characters(value) -> bool:
    return isinstance(value, str) and CONTROL_CHARACTERS.search(value) is not None


def validate_text(value) -> None:
    """The one check of every free-text input: no control characters (tab and line breaks allowed)."""
    if has_control_characters(value):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code=CONTROL_CHARACTERS_CODE)


def invalid_texts(values: Mapping[str, object]) -> dict[str, str]:
    """{key: message} for every value of `values` that `validate_text` refuses (an import row)."""
    message = str(CONTROL_CHARACTERS_MESSAGE)
    return {key: message for key, value in values.items() if has_control_characters(value)}


def clean_text(value):
    """A string without the characters `validate_text` refuses (for text stored before the rule,
    on its way into a workbook); any other value unchanged."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        return CONTROL_CHARACTERS.sub("", value)
    return value


# The text columns a person types prose into, by name (any model of the project), and by suffix.
FREE_TEXT_COLUMNS = frozenset(
    {
        "note", "title", "description", "content", "comment", "body", "reason", "reply", "summary",
        "detail", "findings", "minutes", "agenda", "answer", "decision", "resolution", "outcome",
        "report", "text", "address", "registered_address",
    }
)  # fmt: skip
FREE_TEXT_SUFFIXES = ("_note", "_comment")


def is_free_text_column(field) -> bool:
    from django.db import models as db

    from core.pii.fields import EncryptedTextField

    return (
        isinstance(field, db.CharField | db.TextField)
        and not isinstance(field, EncryptedTextField)
        and not field.choices
        and (field.name in FREE_TEXT_COLUMNS or field.name.endswith(FREE_TEXT_SUFFIXES))
    )


def _stored_masked(field) -> None:
    """The column's every written value has its ID numbers and mobiles masked."""
    original = field.get_prep_value

    def get_prep_value(value):
        return mask_free_text(original(value))

    get_prep_value.masks_free_text = True
    field.get_prep_value = get_prep_value


# Every integer field of an API input: within a 64-bit column.
DATABASE_INTEGER_VALIDATORS = (MinValueValidator(-MAX_BIGINT - 1), MaxValueValidator(MAX_BIGINT))


def install_input_validators(models=None, project_root: Path | None = None) -> None:
    """Make `validate_text` and the integer bounds the default of every input, once at start-up
    (core.extensions' ready()):

    - DRF: `CharField.default_validators` (every string field of every serializer, EmailField,
      RegexField… included) and `IntegerField.default_validators`;
    - the project's models: every CharField and TextField gets `validate_text` among its default
      validators (an instance attribute: not part of the field's deconstruction, so no migration),
      so ModelForms (the admin), ModelSerializers and `full_clean` refuse control characters;
    - the free-text columns (`is_free_text_column`) store ID numbers and mobiles masked.
    """
    from django.apps import apps
    from django.conf import settings
    from django.db import models as db
    from rest_framework import serializers

    if validate_text not in serializers.CharField.default_validators:
        serializers.CharField.default_validators = [*serializers.CharField.default_validators, validate_text]
    if not all(v in serializers.IntegerField.default_validators for v in DATABASE_INTEGER_VALIDATORS):
        serializers.IntegerField.default_validators = [
            *serializers.IntegerField.default_validators,
            *DATABASE_INTEGER_VALIDATORS,
        ]
    root = Path(project_root or settings.BASE_DIR)
    installed = Path(sys.prefix)
    for config in apps.get_app_configs():
        # Control characters are refused in every app's columns (the admin edits auth's groups
        # too); free text is masked at rest in ours only. `make install` puts the virtualenv
        # inside the checkout: its apps (auth, axes…) are not ours.
        ours = Path(config.path).is_relative_to(root) and not Path(config.path).is_relative_to(installed)
        for model in config.get_models():
            for field in model._meta.local_fields:
                text = isinstance(field, db.CharField | db.TextField)
                if text and validate_text not in field.default_validators:
                    field.default_validators = [*field.default_validators, validate_text]
                    field.__dict__.pop("validators", None)  # a cached_property built before
                if (
                    ours
                    and is_free_text_column(field)
                    and not hasattr(field.get_prep_value, "masks_free_text")
                ):
                    _stored_masked(field)
