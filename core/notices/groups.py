"""Channel-layer group names: one per user, one per (region, role)."""

from __future__ import annotations


def user_group(user_id: int) -> str:
    return f"notices.user.{user_id}"


def role_group(region_id: int, role: str) -> str:
    return f"notices.region.{region_id}.{role}"


def region_ids_on_path(path: str) -> list[int]:
    """ "/1/2/3/" → [1, 2, 3]: a member joins the group of its region and of every region above,
    so one message to the street's group reaches everyone holding the role under the street."""
    return [int(part) for part in path.split("/") if part]
