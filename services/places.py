"""Where a new row of community services goes: a region the caller's scope covers."""

from __future__ import annotations

from core.api.errors import not_found_in_payload
from core.regions.paths import region_in_scope


def region_for(actor, region_id, permission: str, *, field: str = "region"):
    """The region with this id, covered by the caller's `permission`; 400 as if absent otherwise."""
    region = region_in_scope(actor, region_id, permission)
    if region is None:
        raise not_found_in_payload(field)
    return region


def in_scope(actor, rows, row_id, permission: str, *, field: str):
    """The row of `rows` (a placed model's queryset) with this id the caller may use; 400 as if
    absent otherwise."""
    found = rows.visible_to(actor, permission).filter(pk=row_id).first() if row_id is not None else None
    if found is None:
        raise not_found_in_payload(field)
    return found
