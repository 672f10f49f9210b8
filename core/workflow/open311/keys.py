from __future__ import annotations

import hashlib
import secrets

from core.workflow.models import Open311Client


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def client_create(*, name: str, service_user, source: str = "open311") -> tuple[Open311Client, str]:
    """Create a client and return its API key, which is shown once and never stored."""
    key = secrets.token_urlsafe(32)
    client = Open311Client.objects.create(
        name=name, key_hash=hash_key(key), service_user=service_user, source=source
    )
    return client, key


def client_for(key: str | None) -> Open311Client | None:
    if not key or len(key) > 200:
        return None
    return (
        Open311Client.objects.filter(key_hash=hash_key(key), is_active=True)
        .select_related("service_user")
        .first()
    )
