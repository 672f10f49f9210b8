"""The scope matrix: for every route under /api/v1/, every role, an object in scope (甲社区) and one
in the sibling community (乙社区), the status each role gets follows from data alone:

- 401 without signing in, unless the route is public (a PublicRoute contribution);
- 403 where the role's permissions (core.accounts.roles.permissions_of) lack what the action needs
  (the viewset's action_permissions);
- 404 for an object outside the role's subtree (and a list never shows it);
- 400 for a payload placing a new object outside it;
- success otherwise.

And for every case, whatever the role:

- every refusal (400/401/403/404) has the one error shape {"error": {"code", "message", "fields"?}};
- every list answers a page with the pagination keys (core/api/pagination.py), unless its case
  declares it unpaged (a plain array, one object of figures, a file) and why;
- every successful write leaves exactly one audit row, unless its case declares why not;
- a list's query count does not grow with its length.

Routes come from the URL configuration, so a new endpoint is checked without a new test; one with
no case in a tests/**/scope_cases.py that is not public fails, and so does a resource that does
not subclass ScopedViewSet. What fails a check today is listed in KNOWN_GAPS with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.accounts.public_routes import is_public
from core.accounts.roles import permissions_of, reaches_subtree, role_keys
from core.api.viewsets import ScopedViewSet
from core.audit.models import AuditEvent
from tests.helpers import client_for, error_shape_problem
from tests.scope_matrix.cases import Case, case_files, case_for, discover
from tests.world import World, build_world, make_user

API_PREFIX = "api/v1/"
SUCCESS = {"list": 200, "retrieve": 200, "create": 201, "destroy": 204}
REFUSALS = {400, 401, 403, 404}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
BODILESS = {"HEAD", "OPTIONS"}  # answers without a body: no error shape to check
# The keys of every page (core/api/pagination.py, KeysetPagination.get_paginated_response).
PAGE_KEYS = {"total", "total_is_estimate", "next", "next_cursor", "results"}
# A list is read with this many rows of its resource, then with twice as many and some more.
FEW_ROWS, MORE_ROWS = 2, 7

# What fails a check today: (route name, check) -> why. The checks are "error_shape", "page",
# "audit" and "queries". Each entry is work left; remove it when the route is fixed (the matrix
# then fails on an entry that no longer fails, so the list cannot go stale).
_UNPAGINATED = "answers a plain array, not the platform page (being paginated in issue 10)"
KNOWN_GAPS: dict[tuple[str, str], str] = {
    ("accounts-user-list", "page"): _UNPAGINATED,
    ("accounts-role-assignment-list", "page"): _UNPAGINATED,
    ("accounts-role-assignment-list", "queries"): "one more query per row (85 queries "
    "with 2 of the case's rows, 90 with 7)",
    ("affairs-item-list", "page"): _UNPAGINATED,
    ("import-job-list", "page"): _UNPAGINATED,
    ("audit-event-list", "page"): "its own page: results and next, without total, total_is_estimate "
    "and next_cursor",
    ("notice-list", "page"): "its own catch-up cursor (results, next_cursor) without next and total: "
    "make it the platform page, or declare it unpaged in its case with the reason",
    ("affairs-application-list", "audit"): "a submission writes 4 rows: workflow.event.report, "
    "workflow.attachment.add per material file, affairs.application.submit",
    ("hotline-import-list", "audit"): "an import writes hotline.ticket.receive per ticket and "
    "hotline.ticket.import for the batch",
}

CASE_MODULES = discover()


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


def holder(world: World, role: str):
    """A new account holding `role` where the world's sample holder does, and that node."""
    return world.new_holder(role), world.node_of(role)


def call(client, method: str, url: str, data: dict | None = None, format: str = "json"):
    return getattr(client, method.lower())(url, data or {}, format=format)


def test_the_matrix_covers_routes():
    assert any(route.name.startswith("accounts-") for route in ROUTES)
    assert any(route.name.startswith("audit-") for route in ROUTES)


def test_scope_case_files_are_discovered_without_a_list():
    """Each part's tests/**/scope_cases.py is imported by the matrix, wherever it lives."""
    for module in (
        "tests.core.registry.scope_cases",
        "tests.core.accounts.scope_cases",
        "tests.affairs.scope_cases",
        "tests.affairs.hotline.scope_cases",
    ):
        assert module in CASE_MODULES
    assert case_for("affairs-application-list") is not None
    assert case_for("hotline-ticket-detail") is not None


def test_a_scope_case_file_anywhere_is_found(tmp_path):
    (tmp_path / "newdomain" / "reports").mkdir(parents=True)
    (tmp_path / "newdomain" / "reports" / "scope_cases.py").write_text("")
    (tmp_path / "newdomain" / "cases.py").write_text("")
    assert case_files(tmp_path) == [tmp_path / "newdomain" / "reports" / "scope_cases.py"]


def test_a_route_without_a_case_has_none():
    """What test_route fails on: a name no scope-case file registered finds no case."""
    assert case_for("newdomain-widget-list") is None


def test_known_gaps_name_routes_and_checks_that_exist():
    names = {route.name for route in ROUTES}
    for name, check in KNOWN_GAPS:
        assert name in names, f"KNOWN_GAPS names {name}, which is no route"
        assert check in GAP_CHECKS, f"KNOWN_GAPS names the check {check!r}; the checks are {GAP_CHECKS}"


class Problems:
    """What a route got wrong. Scope problems always fail; the other checks' problems fail unless
    KNOWN_GAPS lists the route and check, and a listed gap that no longer shows fails too."""

    def __init__(self, route: Route, case: Case):
        self.route, self.case = route, case
        self.found: dict[str, list[str]] = {}

    def add(self, check: str, message: str) -> None:
        self.found.setdefault(check, []).append(message)

    def observe(self, who: str, method: str, action: str | None, url: str, response, audit_rows_before: int):
        """The checks every response is held to, whatever its status was expected to be."""
        status = response.status_code
        where = f"{who} {method} {url}"
        if status in REFUSALS and method not in BODILESS:
            problem = error_shape_problem(response)
            if problem:
                self.add("error_shape", f"{where}: {status} {problem}")
        if action == "list" and method == "GET" and status == 200 and not self.case.unpaged:
            body = response.json()
            missing = PAGE_KEYS - set(body) if isinstance(body, dict) else PAGE_KEYS
            if missing:
                self.add("page", f"{where}: a list without the page keys {sorted(missing)}")
        if method in WRITES and status < 300 and not self._unaudited(method, action):
            written = AuditEvent.objects.count() - audit_rows_before
            if written != 1:
                actions = list(AuditEvent.objects.order_by("-pk").values_list("action", flat=True)[:written])
                self.add("audit", f"{where}: {status} left {written} audit rows {actions[::-1]}, expected 1")

    def _unaudited(self, method: str, action: str | None) -> str:
        reasons = self.case.unaudited
        return reasons.get(action or "", "") or reasons.get(method, "") or reasons.get("*", "")

    def report(self) -> list[str]:
        lines = []
        for check, messages in self.found.items():
            if (self.route.name, check) in KNOWN_GAPS:
                continue
            label = "" if check == "scope" else f"[{check}] "
            lines += [label + message for message in messages]
        for name, check in KNOWN_GAPS:
            if name == self.route.name and check not in self.found:
                lines.append(f"KNOWN_GAPS lists ({name!r}, {check!r}) but the route passes it now: remove it")
        return lines


GAP_CHECKS = ("error_shape", "page", "audit", "queries")


def requested(problems: Problems, who: str, client, method: str, action, url: str, data=None, format="json"):
    before = AuditEvent.objects.count()
    response = call(client, method, url, data, format)
    problems.observe(who, method, action, url, response, before)
    return response


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_route(route: Route, db):
    public = {method for method in route.methods if is_public(route.name, method)}
    if public == set(route.methods):
        return  # public by design: answered without signing in
    case = case_for(route.name)
    assert case is not None, (
        f"{route.name} ({route.pattern}) has no case in a tests/**/scope_cases.py and is not "
        "declared public (a PublicRoute contribution): every API route is scoped or public."
    )
    world = build_world()
    problems = Problems(route, case)
    for method, action in route.methods.items():
        if method in public:
            continue
        url = _url(route, case, world)
        response = requested(problems, "anonymous", client_for(None), method, action, url)
        if response.status_code != 401:
            problems.add("scope", f"anonymous {method} {url}: {response.status_code}, expected 401")
    if case.personal:
        _check_personal(route, world, public, problems)
    elif case.addressed_to:
        _check_addressed(route, case, world, public, problems)
    else:
        assert route.view_class and issubclass(route.view_class, ScopedViewSet), (
            f"{route.name}: a resource must subclass core.api.viewsets.ScopedViewSet"
        )
        _check_resource(route, case, world, public, problems)
        _check_list_queries(route, case, world, public, problems)
    report = problems.report()
    assert not report, "\n".join(report)


def _url(route: Route, case: Case, world: World, obj=None) -> str:
    if not route.is_detail:
        return reverse(route.name)
    if obj is None and case.addressed_to:
        obj = case.addressed_to(world, make_user(region=world.grid_a1))
    elif obj is None:
        obj = case.make(world, world.community_a)
    return reverse(route.name, kwargs=case.url_kwargs(obj))


def _client(user):
    return client_for(user, raise_request_exception=False)


def _check_personal(route: Route, world: World, public: set[str], problems: Problems) -> None:
    for role in role_keys():
        for method, action in route.methods.items():
            if method in public:
                continue
            user, _node = holder(world, role)
            response = requested(problems, role, _client(user), method, action, reverse(route.name))
            if response.status_code in (401, 403, 404) or response.status_code >= 500:
                problems.add(
                    "scope", f"{role} {method} {route.name}: {response.status_code} on their own account"
                )


def _check_addressed(route: Route, case: Case, world: World, public: set[str], problems: Problems) -> None:
    for role in role_keys():
        for method, action in route.methods.items():
            if method in public:
                continue
            user, _node = holder(world, role)
            other, _other_node = holder(world, role)
            for addressee, expected_ok in ((user, True), (other, False)):
                obj = case.addressed_to(world, addressee)
                url = reverse(route.name, kwargs=case.url_kwargs(obj))
                response = requested(problems, role, _client(user), method, action, url)
                ok = response.status_code < 300
                if ok != expected_ok or (not ok and response.status_code != 404):
                    whose = "their own" if expected_ok else "someone else's"
                    problems.add("scope", f"{role} {method} {route.name} on {whose}: {response.status_code}")


def _expected(route: Route, action: str, role: str, node, case: Case, obj, resident) -> int:
    needed = route.view_class().permission_for(action) or ()
    if not set(needed) & permissions_of(role):
        return 403
    if obj is not None and not case.unscoped:
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


def _check_resource(route: Route, case: Case, world: World, public: set[str], problems: Problems) -> None:
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
                            problems.add("scope", f"{route.name}: the case gives no payload for create")
                            continue
                        data = case.payload(world, community)
                expected = _expected(route, action, role, node, case, obj, resident)
                placed = case.placed_at(world, community)
                if action == "create" and expected == 201 and not placed.path.startswith(node.path):
                    expected = 400  # a payload placing the object outside the caller's subtree
                response = requested(problems, role, _client(user), method, action, url, data, case.format)
                where = "in scope" if community == world.community_a else "in the sibling community"
                if response.status_code != expected:
                    problems.add(
                        "scope",
                        f"{role} {method} {url} ({action}, object {where}): {response.status_code}, "
                        f"expected {expected}: {response.content[:200]!r}",
                    )
                elif action == "list" and expected == 200 and method == "GET" and case.make is not None:
                    listed = case.make(world, community)
                    ids = _ids(call(_client(user), "GET", url))
                    visible = (
                        case.unscoped
                        or (not reaches_subtree(role) and case.is_own(listed, resident))
                        or (
                            reaches_subtree(role)
                            and getattr(listed, case.path_attribute).startswith(node.path)
                        )
                    )
                    if (listed.pk in ids) != visible:
                        problems.add(
                            "scope",
                            f"{role} lists {route.name}: object {where} {'missing' if visible else 'shown'}",
                        )


def _check_list_queries(route: Route, case: Case, world: World, public: set[str], problems: Problems) -> None:
    """The list costs as many queries with FEW_ROWS rows as with MORE_ROWS, read by the widest
    staff role that may list it (the world's sample holder)."""
    if route.methods.get("GET") != "list" or "GET" in public or case.make is None:
        return
    readers = [
        role
        for role in reversed(role_keys())
        if reaches_subtree(role)
        and _expected(route, "list", role, world.node_of(role), case, None, None) == 200
    ]
    if not readers:
        return
    reader = world.sample(readers[0])
    url = reverse(route.name)
    counts = []
    made = 0
    for rows in (FEW_ROWS, MORE_ROWS):
        while made < rows:
            case.make(world, world.community_a)
            made += 1
        call(_client(reader), "GET", url)  # warm the caches a first request fills
        with CaptureQueriesContext(connection) as queries:
            response = call(_client(reader), "GET", url)
        if response.status_code != 200:
            problems.add("scope", f"{readers[0]} GET {url} with {rows} rows: {response.status_code}")
            return
        counts.append(len(queries))
    if counts[0] != counts[1]:
        problems.add(
            "queries",
            f"{readers[0]} GET {url}: {counts[0]} queries with {FEW_ROWS} more rows, "
            f"{counts[1]} with {MORE_ROWS}",
        )
