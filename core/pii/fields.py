"""Model fields that keep personal data encrypted in the database."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import FieldError
from django.db import models

from core.pii.crypto import decrypt, encrypt

# The only lookup that means the same on ciphertext as on plaintext.
ALLOWED_LOOKUPS = frozenset({"isnull"})


class EncryptedTextField(models.TextField):
    """Text stored as an AES-GCM token (see core.pii.crypto); Python sees plaintext.

    None and "" are stored as they are, so "missing" stays distinguishable without
    decrypting. Ciphertext is randomised, so filtering on it could never match:
    every lookup except ``isnull`` raises FieldError. For exact-match search keep
    a blind index column (``CharField(max_length=64, db_index=True)``) filled with
    ``core.pii.crypto.blind_index``.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ALLOWED_LOOKUPS:
            raise self._unsupported_query(lookup_name)
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        raise self._unsupported_query(lookup_name)

    def _unsupported_query(self, lookup_name: str) -> FieldError:
        return FieldError(
            f"{self.__class__.__name__} '{self.name}' is encrypted and cannot be queried "
            f"with '{lookup_name}'; only 'isnull' works. Filter on its blind index column "
            "instead (core.pii.crypto.blind_index)."
        )

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_not_unique()]

    def _check_not_unique(self) -> list[checks.CheckMessage]:
        # Random nonces make equal values differ, so uniqueness could never hold.
        if not (self.unique or self.primary_key):
            return []
        return [
            checks.Error(
                f"{self.__class__.__name__} cannot be unique or a primary key.",
                hint="Put the unique constraint on the blind index column instead.",
                obj=self,
                id="pii.E001",
            )
        ]
