"""Encryption at rest for personal data, with key rotation and a blind index.

Settings, read at every call so ``override_settings`` works:

* ``PII_KEY`` - active key (urlsafe base64 of 32 bytes), used for all new ciphertext.
* ``PII_PREVIOUS_KEYS`` - older keys, only used to decrypt until data is re-encrypted.
* ``PII_INDEX_KEY`` - secret of the keyed hash used for exact-match lookups.

Token format: ``v1:<key id>:<base64url(nonce + AES-256-GCM ciphertext)>``. The key id
(first 8 hex chars of SHA-256 of the raw key) lets ``decrypt`` pick the right key
without trial decryption, and the ``v1:<key id>`` header is authenticated as
associated data so it cannot be swapped. Nothing here logs or echoes values.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT_VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_ID_CHARS = 8


class PIIError(Exception):
    """Base class of the errors raised by :mod:`core.pii.crypto`."""


class PIIKeyError(PIIError, ImproperlyConfigured):
    """A key setting is missing or malformed, or no configured key can decrypt a token."""


class PIITokenError(PIIError, ValueError):
    """A value is not a well-formed token, or it fails authentication (tampered)."""


@dataclass(frozen=True)
class _Key:
    key_id: str
    aead: AESGCM


def _b64decode(text: str) -> bytes:
    # Strict (validate=True): urlsafe_b64decode silently drops stray characters.
    return base64.b64decode(text.encode("ascii"), altchars=b"-_", validate=True)


def _key_id(raw_key: bytes) -> str:
    return hashlib.sha256(raw_key).hexdigest()[:KEY_ID_CHARS]


@lru_cache(maxsize=32)
def _load_key(encoded_key: str, setting_name: str) -> _Key:
    # Cached by the key string itself, so a changed setting simply loads another entry.
    try:
        raw_key = _b64decode(encoded_key)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw_key = b""
    if len(raw_key) != KEY_BYTES:
        # The message names the setting, never the key.
        raise PIIKeyError(
            f"settings.{setting_name} must be urlsafe base64 of {KEY_BYTES} bytes; "
            "create one with core.pii.crypto.generate_key()."
        )
    return _Key(key_id=_key_id(raw_key), aead=AESGCM(raw_key))


def _active_key() -> _Key:
    encoded_key = getattr(settings, "PII_KEY", None)
    if not isinstance(encoded_key, str) or not encoded_key:
        raise PIIKeyError("settings.PII_KEY is not set; personal data cannot be encrypted.")
    return _load_key(encoded_key, "PII_KEY")


def _previous_keys() -> list[_Key]:
    encoded_keys = getattr(settings, "PII_PREVIOUS_KEYS", None) or []
    # A bare string would be iterated character by character.
    if isinstance(encoded_keys, str) or not all(isinstance(k, str) for k in encoded_keys):
        raise PIIKeyError("settings.PII_PREVIOUS_KEYS must be a list of key strings.")
    return [_load_key(encoded_key, "PII_PREVIOUS_KEYS") for encoded_key in encoded_keys]


def _header(key_id: str) -> str:
    return f"{FORMAT_VERSION}:{key_id}"


def _parse_token(token: str) -> tuple[str, bytes]:
    """Split a token into (key id, nonce + ciphertext) or raise PIITokenError."""
    if not isinstance(token, str):
        raise PIITokenError("PII token must be a string.")
    parts = token.split(":")
    if len(parts) != 3 or parts[0] != FORMAT_VERSION or len(parts[1]) != KEY_ID_CHARS:
        raise PIITokenError(f"Value is not a {FORMAT_VERSION} PII token.")
    try:
        payload = _b64decode(parts[2])
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise PIITokenError("PII token payload is not valid base64.") from None
    if len(payload) < NONCE_BYTES + TAG_BYTES:
        raise PIITokenError("PII token payload is too short.")
    return parts[1], payload


def generate_key() -> str:
    """A new random key suitable for PII_KEY or PII_INDEX_KEY."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def encrypt(plaintext: str) -> str:
    """Encrypt text with the active key; every call uses a fresh random nonce."""
    if not isinstance(plaintext, str):
        raise TypeError("encrypt() expects a str.")
    key = _active_key()
    nonce = secrets.token_bytes(NONCE_BYTES)
    header = _header(key.key_id)
    ciphertext = key.aead.encrypt(nonce, plaintext.encode("utf-8"), header.encode("ascii"))
    payload = base64.urlsafe_b64encode(nonce + ciphertext).decode("ascii")
    return f"{header}:{payload}"


def decrypt(token: str) -> str:
    """Decrypt a token made by :func:`encrypt` with the active or a previous key."""
    key_id, payload = _parse_token(token)
    candidates = [key for key in (_active_key(), *_previous_keys()) if key.key_id == key_id]
    if not candidates:
        raise PIIKeyError(
            f"No configured PII key has id {key_id}; add the key that encrypted this "
            "value to settings.PII_PREVIOUS_KEYS."
        )
    nonce, ciphertext = payload[:NONCE_BYTES], payload[NONCE_BYTES:]
    # Several candidates only on a (very unlikely) 32-bit key id collision.
    for key in candidates:
        try:
            plaintext = key.aead.decrypt(nonce, ciphertext, _header(key_id).encode("ascii"))
        except InvalidTag:
            continue
        return plaintext.decode("utf-8")
    raise PIITokenError("PII token failed authentication: it was altered or is corrupt.")


def needs_rotation(token: str) -> bool:
    """True when the token was encrypted with a key other than the active PII_KEY."""
    key_id, _payload = _parse_token(token)
    return key_id != _active_key().key_id


def _index_key() -> bytes:
    index_key = getattr(settings, "PII_INDEX_KEY", None)
    if not isinstance(index_key, str) or not index_key:
        raise PIIKeyError("settings.PII_INDEX_KEY is not set; blind indexes cannot be computed.")
    return index_key.encode("utf-8")


def blind_index(value: str, *, kind: str) -> str:
    """Hex HMAC-SHA256 of ``kind + "\\x00" + value`` under PII_INDEX_KEY.

    Equal inputs give equal digests, so a plain indexed column allows exact lookups
    without storing the value. ``kind`` (e.g. "id_number", "phone") keeps equal
    strings of different kinds apart. Callers must normalise ``value`` first
    (e.g. with validate_id_number) or equal values will not match.
    """
    if not isinstance(value, str):
        raise TypeError("blind_index() expects a str value.")
    if not kind or "\x00" in kind:
        raise ValueError("kind must be a non-empty string without NUL characters.")
    message = f"{kind}\x00{value}".encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()


def index_for(kind: str, value: str) -> str:
    """Same as :func:`blind_index`, with kind first."""
    return blind_index(value, kind=kind)
