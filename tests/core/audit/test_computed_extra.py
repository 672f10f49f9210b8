"""The audit log masks personal data in what it records, but not the checksums it computes."""

from __future__ import annotations

import pytest

from core.audit.models import AuditEvent
from core.audit.services import audit_record

pytestmark = pytest.mark.django_db

# A file's sha256 whose digits happen to read like a mobile (13358015408).
DIGEST = "eda678407a7a6f42b5e13358015408f4a6f3b" + "0a" * 13 + "1"


def test_a_checksum_is_kept_whole_and_typed_text_beside_it_is_masked():
    event = audit_record(
        actor=None,
        action="registry.import",
        object_ids=[1],
        extra={"sha256": DIGEST, "file_name": "居民13812345678.xlsx"},
    )
    stored = AuditEvent.objects.get(pk=event.pk).extra
    assert stored["sha256"] == DIGEST
    assert stored["file_name"] == "居民138****5678.xlsx"
