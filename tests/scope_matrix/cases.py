"""What the scope matrix needs to know about each route family.

A case says how to make an object of the resource in a given community (and, for routes that
create, a valid payload placing the new object there). Everything else, which statuses each role
must get, comes from the URL configuration, the viewset's `action_permissions` and
core/accounts/roles.PERMISSIONS. Register a case under a URL name, or under a router basename,
which covers every route of that viewset ("accounts-user" covers accounts-user-list,
accounts-user-detail, accounts-user-deactivate…).

Each part keeps its cases next to its tests, in a `scope_cases.py` (tests/core/registry/
scope_cases.py, tests/affairs/scope_cases.py, …): `discover()` imports every such file under
tests/, so there is no list to extend. A route under /api/v1/ with no case that is not in
core/accounts/public_routes.py fails tests/scope_matrix/test_matrix.py.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.world import World

TESTS = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    # (world, community) -> an object of the resource placed in that community (or its grid).
    make: Callable[[World, Any], Any] | None = None
    # (world, community) -> a valid payload for "create" placing the new object in that community.
    payload: Callable[[World, Any], dict] | None = None
    # (world, community, obj) -> a valid payload for "update"/"partial_update" and custom write actions.
    update_payload: Callable[[World, Any, Any], dict] | None = None
    # The object's attribute holding its region path (what scope is decided on).
    path_attribute: str = "region_path"
    # (obj) -> URL kwargs of a detail route.
    url_kwargs: Callable[[Any], dict] = field(default=lambda obj: {"pk": obj.pk})
    # (obj, resident_record) -> whether a resident may see it as their own.
    is_own: Callable[[Any, Any], bool] = field(default=lambda obj, resident: False)
    # Routes about the caller's own account: every signed-in role reaches them.
    personal: bool = False
    # (world, user) -> an object addressed to that person (a notice): its addressee reaches it,
    # anyone else gets 404, whatever their role.
    addressed_to: Callable[[World, Any], Any] | None = None
    # Success status per action where it is not the usual one (list/retrieve 200, create 201, destroy 204).
    success: dict[str, int] = field(default_factory=dict)
    # How payloads are sent ("multipart" for uploads).
    format: str = "json"
    # (world, community) -> the node a create payload places the object at (its grid by default).
    placed_at: Callable[[World, Any], Any] = field(default=lambda world, community: world.grid_of(community))
    # A catalogue with no place (the service items): everyone holding the permission reaches every
    # row, so no object is out of scope.
    unscoped: bool = False
    # Why this route's list deliberately answers something else than a page (a plain array, one
    # object of figures, a workbook); empty: it answers a page (core/api/pagination.py).
    unpaged: str = ""
    # Why a successful write of this route leaves no audit row, per action (empty: exactly one).
    unaudited: dict[str, str] = field(default_factory=dict)


CASES: dict[str, Case] = {}


def register(*keys: str, case: Case) -> None:
    for key in keys:
        if key in CASES:
            raise ValueError(f"scope matrix case {key!r} registered twice")
        CASES[key] = case


def case_for(url_name: str) -> Case | None:
    if url_name in CASES:
        return CASES[url_name]
    prefixes = [key for key in CASES if url_name.startswith(key + "-")]
    return CASES[max(prefixes, key=len)] if prefixes else None


def case_files(root: Path = TESTS) -> list[Path]:
    """Every scope_cases.py under `root` (tests/), at any depth."""
    return sorted(root.rglob("scope_cases.py"))


def discover() -> list[str]:
    """Import every scope-case file under tests/ (each registers its cases); their module names."""
    modules = []
    for path in case_files():
        module = ".".join(("tests", *path.relative_to(TESTS).with_suffix("").parts))
        importlib.import_module(module)
        modules.append(module)
    return modules
