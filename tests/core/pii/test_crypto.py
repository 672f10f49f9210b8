import re

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from core.pii import crypto
from core.pii.crypto import (
    PIIKeyError,
    PIITokenError,
    blind_index,
    decrypt,
    encrypt,
    generate_key,
    index_for,
    needs_rotation,
)

OLD_KEY = generate_key()
NEW_KEY = generate_key()
TOKEN_RE = re.compile(r"v1:[0-9a-f]{8}:[A-Za-z0-9_=-]+")


@given(st.text())
def test_encrypt_decrypt_round_trips_any_text(plaintext):
    token = encrypt(plaintext)
    assert TOKEN_RE.fullmatch(token)
    assert decrypt(token) == plaintext


def test_same_plaintext_encrypts_differently_each_time():
    assert encrypt("340202199001011234") != encrypt("340202199001011234")


def test_token_does_not_contain_plaintext():
    assert "13812345678" not in encrypt("13812345678")


@given(st.text())
def test_decrypt_after_rotation_and_needs_rotation(plaintext):
    with override_settings(PII_KEY=OLD_KEY, PII_PREVIOUS_KEYS=[]):
        old_token = encrypt(plaintext)
        assert not needs_rotation(old_token)
    with override_settings(PII_KEY=NEW_KEY, PII_PREVIOUS_KEYS=[OLD_KEY]):
        assert decrypt(old_token) == plaintext
        assert needs_rotation(old_token)
        new_token = encrypt(decrypt(old_token))
        assert not needs_rotation(new_token)
        assert decrypt(new_token) == plaintext


def test_decrypt_without_the_old_key_raises_key_error_without_leaking_it(settings):
    settings.PII_KEY = OLD_KEY
    token = encrypt("张三丰")
    settings.PII_KEY = NEW_KEY
    with pytest.raises(PIIKeyError, match="PII_PREVIOUS_KEYS") as excinfo:
        decrypt(token)
    assert OLD_KEY not in str(excinfo.value)
    assert NEW_KEY not in str(excinfo.value)


def test_tampered_ciphertext_is_rejected():
    token = encrypt("13812345678")
    header, payload = token.rsplit(":", 1)
    flipped = payload[:20] + ("A" if payload[20] != "A" else "B") + payload[21:]
    with pytest.raises(PIITokenError):
        decrypt(f"{header}:{flipped}")


def test_header_is_authenticated(settings):
    # Relabelling a token with another configured key's id must not decrypt.
    settings.PII_PREVIOUS_KEYS = [OLD_KEY]
    token = encrypt("13812345678")
    _version, _key_id, payload = token.split(":")
    with override_settings(PII_KEY=OLD_KEY, PII_PREVIOUS_KEYS=[]):
        old_key_id = encrypt("x").split(":")[1]
    with pytest.raises(PIITokenError):
        decrypt(f"v1:{old_key_id}:{payload}")


@pytest.mark.parametrize(
    "token",
    [
        "",
        "plain text",
        "v2:abcdef12:AAAA",
        "v1:abc:AAAA",
        "v1:abcdef12:not base64!",
        "v1:abcdef12:AAAA",
        "v1:abcdef12:AAAA:extra",
        None,
    ],
)
def test_malformed_tokens_are_rejected(token):
    with pytest.raises(PIITokenError):
        decrypt(token)


@pytest.mark.parametrize("bad_key", ["", None, "too-short", generate_key()[:-8], "é" * 44])
def test_bad_active_key_raises_key_error(settings, bad_key):
    settings.PII_KEY = bad_key
    with pytest.raises(PIIKeyError):
        encrypt("x")


def test_previous_keys_must_be_a_list(settings):
    settings.PII_PREVIOUS_KEYS = OLD_KEY
    token = encrypt("x")
    with pytest.raises(PIIKeyError):
        decrypt(token)


def test_missing_settings_raise_key_error(settings):
    del settings.PII_KEY
    del settings.PII_INDEX_KEY
    with pytest.raises(PIIKeyError):
        encrypt("x")
    with pytest.raises(PIIKeyError):
        blind_index("x", kind="phone")


def test_encrypt_rejects_non_text():
    with pytest.raises(TypeError):
        encrypt(b"bytes")


def test_generate_key_gives_distinct_32_byte_keys():
    first, second = generate_key(), generate_key()
    assert first != second
    assert len(crypto._b64decode(first)) == 32


# --- Blind index ---------------------------------------------------------------------


@given(st.text(), st.sampled_from(["id_number", "phone", "name"]))
def test_blind_index_is_stable_hex_sha256(value, kind):
    digest = blind_index(value, kind=kind)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert blind_index(value, kind=kind) == digest
    assert index_for(kind, value) == digest


@given(st.text())
def test_blind_index_differs_by_kind(value):
    assert blind_index(value, kind="id_number") != blind_index(value, kind="phone")


@given(st.text())
def test_blind_index_differs_by_key(value):
    with override_settings(PII_INDEX_KEY=OLD_KEY):
        under_old_key = blind_index(value, kind="phone")
    with override_settings(PII_INDEX_KEY=NEW_KEY):
        assert blind_index(value, kind="phone") != under_old_key


def test_blind_index_separates_kind_from_value():
    assert blind_index("b", kind="a") != blind_index("", kind="ab")


@pytest.mark.parametrize("kind", ["", "id\x00number"])
def test_blind_index_rejects_ambiguous_kind(kind):
    with pytest.raises(ValueError):
        blind_index("x", kind=kind)
