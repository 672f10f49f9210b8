"""Known PII keys for every test here, independent of the project's settings."""

import pytest

from core.pii.crypto import generate_key

ACTIVE_KEY = generate_key()
INDEX_KEY = generate_key()


@pytest.fixture(autouse=True)
def pii_keys(settings):
    settings.PII_KEY = ACTIVE_KEY
    settings.PII_PREVIOUS_KEYS = []
    settings.PII_INDEX_KEY = INDEX_KEY
    return settings
