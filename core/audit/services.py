"""Writing the audit log. Call inside the transaction of the change it records, so that if the
audit row cannot be written the change is not either."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from core.audit.models import AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_ids: Iterable[Any] = (),
    region_path: str = "",
    changes: dict | None = None,
    purpose: str = "",
    request=None,
    extra: dict | None = None,
) -> AuditEvent:
    """Append one audit row. `action` is a stable code such as "registry.resident.reveal"."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        region_path = region_path or getattr(target, "region_path", "") or ""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username() if user else "",
        action=action,
        object_type=object_type,
        object_id=str(target.pk) if target is not None else "",
        object_ids=[str(i) for i in object_ids],
        region_path=region_path,
        changes=changes or {},
        purpose=purpose,
        ip_address=client_ip(request),
        request_id=(request.META.get("HTTP_X_REQUEST_ID", "")[:64] if request is not None else ""),
        extra=extra or {},
    )
