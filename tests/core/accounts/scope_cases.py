"""Scope-matrix cases of the accounts routes (found by tests/scope_matrix/cases.py)."""

from __future__ import annotations

import itertools
from typing import Any

from core.accounts.models import RoleAssignment
from core.accounts.roles import Role
from tests.scope_matrix.cases import Case, register
from tests.world import World, make_user

_serial = itertools.count(1)

# accounts -------------------------------------------------------------------------------------


def _account_in(world: World, community) -> Any:
    return make_user(region=world.grid_of(community))


def _assignment_in(world: World, community) -> RoleAssignment:
    grid = world.grid_of(community)
    return RoleAssignment.objects.create(user=make_user(region=grid), role=Role.GRID_WORKER, region=grid)


register(
    "accounts-user",
    case=Case(
        make=_account_in,
        payload=lambda world, community: {
            "username": f"new{next(_serial)}",
            "region": world.grid_of(community).pk,
        },
    ),
)
register(
    "accounts-role-assignment",
    case=Case(
        make=_assignment_in,
        payload=lambda world, community: {
            "user": make_user(region=world.grid_of(community)).pk,
            "role": Role.GRID_WORKER,
            "region": world.grid_of(community).pk,
        },
    ),
)
register(
    "accounts-me",
    "accounts-today",
    "accounts-logout",
    "accounts-password-change",
    "accounts-totp-setup",
    "accounts-totp-confirm",
    "accounts-correction",
    case=Case(personal=True),
)
