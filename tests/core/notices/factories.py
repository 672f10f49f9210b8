"""Regions and users for the notices tests (the e2e tests use them too)."""

from __future__ import annotations

from core.accounts.models import RoleAssignment, User
from core.regions.models import Region


def make_user(username: str, role: str | None = None, region: Region | None = None, **assignment) -> User:
    user = User.objects.create_user(username=username, password=None)  # no hashing: fast
    if role:
        RoleAssignment.objects.create(user=user, role=role, region=region, **assignment)
    return user


def make_region(level: int, name: str, parent: Region | None = None) -> Region:
    region = Region.objects.create(level=level, name=name, parent=parent)
    region.refresh_from_db()
    return region
