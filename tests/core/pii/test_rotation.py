"""Key rotation re-encrypts stored personal data, and values stay readable throughout."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from core.pii.crypto import generate_key, needs_rotation
from core.regions.models import Region
from core.registry.models import Resident


def raw_tokens() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT document_number_encrypted FROM registry_resident ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_rotation_moves_every_value_to_the_new_key_and_a_second_run_does_nothing(settings):
    grid = Region.objects.create(name="网格", level=Region.Level.GRID)
    old_key = settings.PII_KEY
    for number in ("340202199001011234", "340202198002023456"):
        Resident.objects.create(
            region=grid, region_path=grid.path, name="张三", document_number_encrypted=number
        )

    settings.PII_KEY, settings.PII_PREVIOUS_KEYS = generate_key(), [old_key]
    assert all(needs_rotation(token) for token in raw_tokens())
    output = io.StringIO()
    call_command("rotate_pii_key", stdout=output, stderr=io.StringIO())
    assert "registry_resident.document_number_encrypted: 2" in output.getvalue()
    assert not any(needs_rotation(token) for token in raw_tokens())

    settings.PII_PREVIOUS_KEYS = []  # the old key is gone: everything still reads
    numbers = sorted(Resident.objects.values_list("document_number_encrypted", flat=True))
    assert numbers == ["340202198002023456", "340202199001011234"]
    again = io.StringIO()
    call_command("rotate_pii_key", stdout=again, stderr=io.StringIO())
    assert "Re-encrypted 0 values." in again.getvalue()
