"""Channel-layer group names: one per user, one per (region, role)."""

from __future__ import annotations


def user_group(user_id: int) -> str:
    return f"notices.user.{user_id}"


def role_group(region_id: int, role: str) -> str:
    return f"notices.region.{region_id}.{role}"
