"""Roles, permissions and public routes are contributions: an app declares them, core reads them,
and a name nobody declared stops start-up (or, known only at call time, is refused then)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from core.accounts import services
from core.accounts.checks import declaration_problems, raise_on_declaration_problems
from core.accounts.models import RoleAssignment
from core.accounts.public_routes import is_public
from core.accounts.roles import Role, permissions_of, role_choices, role_grants, role_keys
from core.extensions import EventType, Permission, RoleDefinition
from core.extensions.registry import Registry, registry
from core.regions.models import Region
from core.regions.scoping import scope_for
from core.registry.models import Resident
from tests.helpers import assert_error
from tests.world import make_staff, make_user

ROLES = "/api/v1/accounts/role-assignments/"
ROOT = Path(__file__).resolve().parents[3]

# A domain's role (儿童主任), declared by a test app the way a domain declares it in its
# contributions.py: held at a community, granted by the community secretary, reading the register.
CHILDREN_DIRECTOR = RoleDefinition(
    key="tests.children_director",
    label="Children's director",
    levels=frozenset({Region.Level.COMMUNITY}),
    staff=True,
    granted_by=(Role.COMMUNITY_SECRETARY,),
    permissions=("registry.view",),
)
VISIT_CHILDREN = Permission(
    key="tests.visit_children", label="Visit children", roles=(CHILDREN_DIRECTOR.key,)
)


def test_core_declares_its_base_roles_under_its_app_label():
    core_roles = [key for key in role_keys() if registry.owner("roles", key) == "accounts"]
    assert sorted(core_roles) == sorted(
        value for name, value in vars(Role).items() if name.isupper() and isinstance(value, str)
    )
    assert all(key.startswith("accounts.") for key in core_roles)
    assert (Role.GRID_WORKER, "网格员") in [(key, str(label)) for key, label in role_choices()]


def test_each_app_declares_its_own_permissions_and_public_routes():
    assert registry.owner("permissions", "workflow.report") == "workflow"
    assert registry.owner("permissions", "affairs.configure") == "affairs"
    assert registry.owner("permissions", "hotline.approve_bounce") == "hotline"
    assert registry.owner("public_routes", "hotline.push") == "hotline"
    assert "affairs.configure" in permissions_of(Role.DISTRICT_STAFF)
    assert "affairs.configure" not in permissions_of(Role.STREET_STAFF)
    assert is_public("hotline-push", "POST") and not is_public("hotline-push", "GET")
    assert is_public("healthz", "GET") and is_public("open311-requests", "POST")


def test_who_grants_what_follows_the_declarations():
    assert role_grants(Role.COMMUNITY_SECRETARY, Role.GRID_WORKER)
    assert role_grants(Role.STREET_STAFF, Role.STREET_STAFF)
    assert not role_grants(Role.STREET_STAFF, Role.DISTRICT_STAFF)
    assert not role_grants(Role.COMMUNITY_SECRETARY, Role.SYSTEM_ADMIN)
    # The security administrator grants every role, a domain's too.
    with registry.temporarily("tests", CHILDREN_DIRECTOR):
        assert role_grants(Role.SECURITY_ADMIN, CHILDREN_DIRECTOR.key)


def test_a_domain_role_plugs_in_without_touching_core(world, api_client):
    with registry.temporarily("tests", CHILDREN_DIRECTOR, VISIT_CHILDREN):
        secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
        director = make_user(region=world.community_a)
        api_client.force_authenticate(secretary)
        body = {"user": director.pk, "role": CHILDREN_DIRECTOR.key, "region": world.community_a.pk}
        response = api_client.post(ROLES, body)
        assert response.status_code == 201, response.content
        assert response.json()["role_display"] == "Children's director"
        scope = scope_for(director)
        assert scope.paths_with("tests.visit_children") == (world.community_a.path,)
        assert scope.paths_with("registry.view") == (world.community_a.path,)
        assert not scope.has("registry.change")
        # Street staff are not among its grantors, although they grant the community's own roles.
        street = make_staff(Role.STREET_STAFF, world.street)
        with pytest.raises(ValidationError) as refused:
            services.role_assignment_grant(
                actor=street,
                user=make_user(region=world.community_a),
                role=CHILDREN_DIRECTOR.key,
                region=world.community_a,
            )
        assert "role" in refused.value.message_dict


def test_a_role_no_app_declares_is_refused(world, api_client):
    secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
    user = make_user(region=world.grid_a1)
    api_client.force_authenticate(secretary)
    response = api_client.post(ROLES, {"user": user.pk, "role": "accounts.mayor", "region": world.grid_a1.pk})
    assert_error(response, 400, "invalid", ["role"])
    # The old key (before roles became declarations) is no role either.
    response = api_client.post(ROLES, {"user": user.pk, "role": "grid_worker", "region": world.grid_a1.pk})
    assert_error(response, 400, "invalid", ["role"])
    with pytest.raises(ValidationError) as refused:
        RoleAssignment(user=user, role="accounts.mayor", region=world.grid_a1).full_clean()
    assert "role" in refused.value.message_dict


def test_an_undeclared_permission_is_refused_at_call_time(world):
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    scope = scope_for(worker)
    assert scope.covers(world.grid_a1.path, "registry.view")
    for call in (
        lambda: scope.paths_with("registry.veiw"),
        lambda: scope.has("registry.veiw"),
        lambda: scope.covers(world.grid_a1.path, "registry.veiw"),
        lambda: Resident.objects.visible_to(worker, "registry.veiw"),
    ):
        with pytest.raises(ImproperlyConfigured, match=r"'registry\.veiw' is not declared"):
            call()


def test_the_platform_as_shipped_names_only_declared_permissions():
    assert declaration_problems() == []


def test_a_typo_in_a_views_permission_stops_start_up_naming_it(settings):
    settings.ROOT_URLCONF = "tests.core.accounts.typo_urls"
    problems = declaration_problems()
    assert len(problems) == 1 and "'registry.veiw'" in problems[0] and "TypoViewSet" in problems[0]
    with pytest.raises(SystemCheckError, match=r"registry\.veiw"):
        call_command("check")
    with pytest.raises(ImproperlyConfigured, match=r"registry\.veiw"):
        raise_on_declaration_problems()  # what the ASGI and WSGI start and the test run call


@pytest.mark.parametrize(
    "command",
    [["-c", "import config.asgi"], ["manage.py", "check"]],
    ids=["asgi", "manage-check"],
)
def test_the_asgi_start_and_manage_check_stop_on_a_typo(command):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.core.accounts.typo_settings"}
    result = subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "'registry.veiw'" in result.stderr


def test_role_mappings_naming_undeclared_names_stop_start_up():
    fresh = Registry()
    fresh.add("accounts", RoleDefinition(key="accounts.clerk", levels=frozenset({Region.Level.GRID})))
    fresh.add("tests", Permission(key="tests.read", roles=("accounts.clerk", "tests.nobody")))
    fresh.add(
        "tests",
        RoleDefinition(
            key="tests.helper",
            levels=frozenset({Region.Level.GRID}),
            permissions=("tests.read", "tests.wirte"),
            granted_by=("tests.boss",),
        ),
    )
    fresh.add(
        "tests", EventType(key="tests.visit", domain="tests", sla_working_days=1, handler_role="tests.mayor")
    )
    problems = "\n".join(fresh.reference_problems())
    for name in ("'tests.nobody'", "'tests.wirte'", "'tests.boss'", "'tests.mayor'"):
        assert name in problems
    assert "role 'accounts.clerk'" not in problems  # declared: not a problem
    # In the running platform, such a mapping fails the system check that stops start-up.
    helper = RoleDefinition(
        key="tests.helper", levels=frozenset({Region.Level.GRID}), permissions=("tests.wirte",)
    )
    with registry.temporarily("tests", helper), pytest.raises(SystemCheckError, match=r"tests\.wirte"):
        call_command("check")
