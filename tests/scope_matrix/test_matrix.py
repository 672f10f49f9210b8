"""The scope matrix: for every route under /api/v1/, every role, an object in scope (甲社区) and one
in the sibling community (乙社区), the status each role gets follows from data alone:

- 401 without signing in, unless the route is public (a PublicRoute contribution);
- 403 where the role's permissions (declared Permission contributions naming it) lack what the
  action needs (the viewset's action_permissions);
- 404 for an object outside the role's subtree (and a list never shows it);
- 400 for a payload placing a new object outside it;
- success otherwise.

Roles come from the registry (every declared RoleDefinition, held as low as its levels allow) and
routes from the URL configuration, so a new role or endpoint is checked without a new test; one with
no case in tests/scope_matrix/cases.py that is not public fails, and so does a resource that does
not subclass ScopedViewSet.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from core.accounts.public_routes import is_public
from core.accounts.roles import permissions_of, reaches_subtree, role_keys, role_levels
from core.api.viewsets import ScopedViewSet
from core.regions.models import Region
from tests.scope_matrix.cases import Case, case_for
from tests.scope_matrix.world import World, build_world, make_resident_user, make_staff, make_user

API_PREFIX = "api/v1/"
SUCCESS = {"list": 200, "retrieve": 200, "create": 201, "destroy": 204}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: object

    @property
    def methods(self) -> dict[str, str | None]:
        """HTTP method → viewset action (None for a plain APIView)."""
        actions = getattr(self.callback, "actions", None)
        if actions:
            return {method.upper(): action for method, action in actions.items()}
        view_class = getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)
        methods = [
            m for m in ("get", "post", "put", "patch", "delete") if view_class and hasattr(view_class, m)
        ]
        return {m.upper(): None for m in methods}

    @property
    def view_class(self):
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def is_detail(self) -> bool:
        return "(?P<" in self.pattern or "<" in self.pattern


def api_routes() -> list[Route]:
    found: dict[str, Route] = {}

    def walk(resolver, prefix: str) -> None:
        for entry in resolver.url_patterns:
            pattern = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, pattern)
            elif isinstance(entry, URLPattern) and pattern.startswith(API_PREFIX) and entry.name:
                found.setdefault(entry.name, Route(entry.name, pattern, entry.callback))

    walk(get_resolver(), "")
    return sorted(found.values(), key=lambda route: route.name)


ROUTES = api_routes()

# The matrix's world node at each level of the tree, in 甲社区's branch.
LEVEL_NODES = {
    Region.Level.CITY: "city",
    Region.Level.DISTRICT: "district",
    Region.Level.STREET: "street",
    Region.Level.COMMUNITY: "community_a",
    Region.Level.GRID: "grid_a1",
}


def holder(world: World, role: str):
    """A holder of the role, held as low as its levels allow in 甲社区's branch."""
    node = getattr(world, LEVEL_NODES[max(role_levels(role))])
    if not reaches_subtree(role):
        return make_resident_user(node), node
    return make_staff(role, node), node


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.raise_request_exception = False
    return client


def call(client, method: str, url: str, data: dict | None = None, format: str = "json"):
    return getattr(client, method.lower())(url, data or {}, format=format)


def test_the_matrix_covers_routes():
    assert any(route.name.startswith("accounts-") for route in ROUTES)
    assert any(route.name.startswith("audit-") for route in ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_route(route: Route, db):
    public = {method for method in route.methods if is_public(route.name, method)}
    if public == set(route.methods):
        return  # public by design: answered without signing in
    case = case_for(route.name)
    assert case is not None, (
        f"{route.name} ({route.pattern}) has no case in tests/scope_matrix/cases.py and is not "
        "declared public (a PublicRoute contribution): every API route is either scoped (with a case) "
        "or public."
    )
    world = build_world()
    problems: list[str] = []
    for method in set(route.methods) - public:
        url = _url(route, case, world)
        response = call(APIClient(), method, url)
        if response.status_code != 401:
            problems.append(f"anonymous {method} {url}: {response.status_code}, expected 401")
    if case.personal:
        problems += _check_personal(route, world, public)
    elif case.addressed_to:
        problems += _check_addressed(route, case, world, public)
    else:
        assert route.view_class and issubclass(route.view_class, ScopedViewSet), (
            f"{route.name}: a resource must subclass core.api.viewsets.ScopedViewSet"
        )
        problems += _check_resource(route, case, world, public)
    assert not problems, "\n".join(problems)


def _url(route: Route, case: Case, world: World, obj=None) -> str:
    if not route.is_detail:
        return reverse(route.name)
    if obj is None and case.addressed_to:
        obj = case.addressed_to(world, make_user(region=world.grid_a1))
    elif obj is None:
        obj = case.make(world, world.community_a)
    return reverse(route.name, kwargs=case.url_kwargs(obj))


def _check_personal(route: Route, world: World, public: set[str]) -> list[str]:
    problems = []
    for role in role_keys():
        for method in set(route.methods) - public:
            user, _node = holder(world, role)
            response = call(client_for(user), method, reverse(route.name))
            if response.status_code in (401, 403, 404) or response.status_code >= 500:
                problems.append(f"{role} {method} {route.name}: {response.status_code} on their own account")
    return problems


def _check_addressed(route: Route, case: Case, world: World, public: set[str]) -> list[str]:
    problems = []
    for role in role_keys():
        for method in set(route.methods) - public:
            user, _node = holder(world, role)
            other, _other_node = holder(world, role)
            for addressee, expected_ok in ((user, True), (other, False)):
                obj = case.addressed_to(world, addressee)
                response = call(client_for(user), method, reverse(route.name, kwargs=case.url_kwargs(obj)))
                ok = response.status_code < 300
                if ok != expected_ok or (not ok and response.status_code != 404):
                    whose = "their own" if expected_ok else "someone else's"
                    problems.append(f"{role} {method} {route.name} on {whose}: {response.status_code}")
    return problems


def _expected(route: Route, action: str, role: str, node, case: Case, obj, resident) -> int:
    needed = route.view_class().permission_for(action) or ()
    if not set(needed) & permissions_of(role):
        return 403
    if obj is not None and not getattr(case, "unscoped", False):
        path = getattr(obj, case.path_attribute)
        own = not reaches_subtree(role) and case.is_own(obj, resident)
        if not (own or (reaches_subtree(role) and path.startswith(node.path))):
            return 404
    expected = case.success.get(action, SUCCESS.get(action, 200))
    # Per role where the domain decides past the permission (e.g. only the reviewing level).
    return expected.get(role, expected["*"]) if isinstance(expected, dict) else expected


def _ids(response) -> set:
    body = response.json()
    rows = body.get("results", body) if isinstance(body, dict) else body
    return {row.get("id") for row in rows if isinstance(row, dict)}


def _check_resource(route: Route, case: Case, world: World, public: set[str]) -> list[str]:
    problems = []
    for role in role_keys():
        for method, action in route.methods.items():
            if method in public:
                continue
            for community in (world.community_a, world.community_b):
                user, node = holder(world, role)
                resident = getattr(user, "resident_record", None)
                obj, data = None, None
                if route.is_detail:
                    obj = case.make(world, community)
                    url = reverse(route.name, kwargs=case.url_kwargs(obj))
                    if method in ("PUT", "PATCH", "POST") and case.update_payload:
                        data = case.update_payload(world, community, obj)
                else:
                    url = reverse(route.name)
                    if action == "create":
                        if case.payload is None:
                            problems.append(f"{route.name}: the case gives no payload for create")
                            continue
                        data = case.payload(world, community)
                expected = _expected(route, action, role, node, case, obj, resident)
                placed = case.placed_at(world, community)
                if action == "create" and expected == 201 and not placed.path.startswith(node.path):
                    expected = 400  # a payload placing the object outside the caller's subtree
                response = call(client_for(user), method, url, data, case.format)
                where = "in scope" if community == world.community_a else "in the sibling community"
                if response.status_code != expected:
                    problems.append(
                        f"{role} {method} {url} ({action}, object {where}): {response.status_code}, "
                        f"expected {expected}: {response.content[:200]!r}"
                    )
                elif action == "list" and expected == 200 and method == "GET" and case.make is not None:
                    listed = case.make(world, community)
                    ids = _ids(call(client_for(user), "GET", url))
                    visible = (
                        getattr(case, "unscoped", False)
                        or (not reaches_subtree(role) and case.is_own(listed, resident))
                        or (
                            reaches_subtree(role)
                            and getattr(listed, case.path_attribute).startswith(node.path)
                        )
                    )
                    if (listed.pk in ids) != visible:
                        problems.append(
                            f"{role} lists {route.name}: object {where} {'missing' if visible else 'shown'}"
                        )
    return problems
