"""Public routes are declared (PublicRoute contributions); everything else needs a signed-in caller."""

from __future__ import annotations

import json

from rest_framework.permissions import AllowAny

from core.accounts.public_routes import is_public, public_routes
from core.accounts.roles import Role
from tests.helpers import assert_error
from tests.scope_matrix.test_matrix import ROUTES
from tests.world import make_staff


def _allows_anyone(route) -> bool:
    view_class = route.view_class
    classes = getattr(view_class, "permission_classes", None) or []
    return any(cls is AllowAny or (isinstance(cls, type) and issubclass(cls, AllowAny)) for cls in classes)


def test_every_view_open_to_anyone_is_declared_public():
    declared = public_routes()
    undeclared = [route.name for route in ROUTES if _allows_anyone(route) and route.name not in declared]
    assert undeclared == [], f"AllowAny views not declared public (PublicRoute): {undeclared}"


def test_the_declared_public_routes_exist():
    from django.urls import get_resolver

    def names(resolver) -> set[str]:
        found = set()
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                found |= names(pattern)
            elif pattern.name:
                found.add(pattern.name)
        return found

    missing = set(public_routes()) - names(get_resolver())
    assert not missing, f"public routes not in the URL configuration: {sorted(missing)}"


def test_is_public_is_per_method():
    assert is_public("accounts-token", "POST")
    assert not is_public("accounts-token", "GET")
    assert not is_public("accounts-me", "GET")


def test_the_default_permission_stays_is_authenticated(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == [
        "rest_framework.permissions.IsAuthenticated"
    ]


def test_an_oversized_payload_is_413_and_changes_nothing(world, api_client, settings):
    from core.accounts.models import User

    secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
    api_client.force_authenticate(secretary)
    before = User.objects.count()
    filler = "x" * (3 * 1024 * 1024)
    body = json.dumps({"username": "big", "region": world.grid_a1.pk, "display_name": filler})
    response = api_client.post("/api/v1/accounts/users/", body, content_type="application/json")
    assert_error(response, 413, "payload_too_large")
    assert User.objects.count() == before


def test_malformed_json_is_400_in_the_error_shape(world, api_client):
    api_client.force_authenticate(make_staff(Role.COMMUNITY_SECRETARY, world.community_a))
    response = api_client.post("/api/v1/accounts/users/", "{not json", content_type="application/json")
    assert_error(response, 400, "malformed_request")


def test_migrations_create_no_accounts(db):
    """No default accounts: a fresh (production) database has none until someone creates them."""
    from core.accounts.models import User

    assert User.objects.count() == 0


def test_me_shows_roles_scope_and_setup(world, api_client):
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    api_client.force_authenticate(worker)
    body = api_client.get("/api/v1/accounts/me/").json()
    assert [role["role"] for role in body["roles"]] == [Role.COMMUNITY_WORKER]
    assert body["scope"]["paths"] == [world.community_a.path]
    assert "registry.reveal" in body["scope"]["permissions"]
    assert body["two_factor"] == {"required": False, "enrolled": False}
