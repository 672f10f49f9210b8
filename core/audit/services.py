"""Writing the audit log. Call inside the transaction of the change it records, so that if the
audit row cannot be written the change is not either (and the request fails).

`changes` has one shape, for every action: {"field": {"old": value, "new": value}}, the fields
that changed. A creation has "old" None for each field it set (`created(...)` builds it), a
removal "new" None; an action that changes no field of the target (a reveal, an export, a
routing) passes no changes and says what it did in `extra`. A related row's field is named with
its prefix ("resident.house_id"). `audit_record` refuses any other shape.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from core.audit.logging import scrub_value
from core.audit.models import AuditEvent
from core.extensions.contributions import AuditAction
from core.extensions.registry import registry

# Actions that read personal data in full: they must state why.
PERSONAL_DATA_READ_SUFFIXES = (".reveal", ".export_unmasked", ".download_unmasked")
_MASK = "***"


def client_ip(request) -> str | None:
    """The client's address, for the audit log, the lockout (AXES_CLIENT_IP_CALLABLE) and the
    one-time codes' allowance: the peer, unless the peer is one of settings.TRUSTED_PROXIES (empty
    by default), whose X-Forwarded-For then names the client (the nearest address that is not a
    trusted proxy). uvicorn's --forwarded-allow-ips is set from the same TRUSTED_PROXIES, so a
    forged header from any other peer, loopback included, is never believed."""
    if request is None:
        return None
    peer = request.META.get("REMOTE_ADDR") or None
    if peer is None or not _trusted_proxy(peer):
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_ip(hop):
            break
        if not _trusted_proxy(hop):
            return hop
    return peer


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _trusted_proxy(address: str) -> bool:
    from django.conf import settings

    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for proxy in settings.TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def changed_fields(
    old: Mapping[str, Any], new: Mapping[str, Any], *, personal: Iterable[str] = ()
) -> dict[str, dict[str, Any]]:
    """{"field": {"old": …, "new": …}} for the fields that differ; personal fields masked entirely,
    and ID numbers or mobiles inside any other value masked too."""
    personal = set(personal)
    changes: dict[str, dict[str, Any]] = {}
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if name in personal:
            changes[name] = {"old": _MASK if before else before, "new": _MASK if after else after}
        else:
            changes[name] = {"old": _jsonable(before), "new": _jsonable(after)}
    return changes


def created(**values: Any) -> dict[str, dict[str, Any]]:
    """The changes of a creation: every field set, from None."""
    return {name: {"old": None, "new": value} for name, value in values.items()}


def checked_changes(changes: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """`changes` if it has the one shape ({"field": {"old": …, "new": …}}), else ValueError."""
    changes = dict(changes or {})
    wrong = [
        name
        for name, change in changes.items()
        if not isinstance(change, dict) or set(change) != {"old", "new"}
    ]
    if wrong:
        raise ValueError(f'audit changes must be {{"field": {{"old": …, "new": …}}}}; not so for {wrong}')
    return changes


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


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
    """Append one audit row. `action` is a stable code such as "registry.resident.reveal",
    declared by its app (an AuditAction contribution); an undeclared code is refused.

    A bulk operation is one row: pass every id it touched in `object_ids`. `changes` has the one
    shape of the module's docstring. Personal data in
    `changes` and `extra` is masked here whatever the caller passed; a read of personal data
    (an action ending in .reveal or .export_unmasked) must give its purpose.
    """
    audit_action_declared(action)
    purpose = (purpose or "").strip()
    if action.endswith(PERSONAL_DATA_READ_SUFFIXES) and not purpose:
        raise ValueError(f"audit action {action!r} reads personal data and must state its purpose")
    if target is not None:
        object_type = object_type or target._meta.label_lower
        region_path = region_path or getattr(target, "region_path", "") or ""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username()[:150] if user else "",
        action=action,
        object_type=object_type[:64],
        object_id=str(target.pk) if target is not None else "",
        object_ids=[str(i) for i in object_ids],
        region_path=region_path[:255],
        changes=scrub_value(_jsonable(checked_changes(changes))),
        purpose=scrub_value(purpose)[:255],
        ip_address=client_ip(request),
        request_id=(request.META.get("HTTP_X_REQUEST_ID", "")[:64] if request is not None else ""),
        extra=_scrubbed_extra(_jsonable(extra or {})),
    )


# Values the platform computes, never typed by a person: kept whole. A sha256's hex digits read
# like a mobile about one time in fifty, and a masked checksum no longer identifies its file.
COMPUTED_EXTRA_KEYS = frozenset({"sha256"})


def _scrubbed_extra(extra: dict) -> dict:
    return {key: value if key in COMPUTED_EXTRA_KEYS else scrub_value(value) for key, value in extra.items()}


def audit_action_declared(code: str) -> AuditAction:
    try:
        return registry.get(AuditAction.kind, code)
    except KeyError:
        raise ValueError(
            f"audit action {code!r} is not declared by any app (AuditAction contribution)"
        ) from None


def audit_codes(code: str) -> list[str]:
    """The codes rows of this action were written with: its own and, if declared, its former ones."""
    try:
        return [code, *registry.get(AuditAction.kind, code).formerly]
    except KeyError:
        return [code]
