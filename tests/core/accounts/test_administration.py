"""Accounts are created and roles granted only by a role that may, inside its subtree, at its level
or below; the three administrators stay separate; an ended role lists its open work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.accounts import services
from core.accounts.models import RoleAssignment, User
from core.accounts.roles import Role
from core.api.errors import Conflict
from core.audit.models import AuditEvent
from tests.helpers import assert_error
from tests.world import make_resident_record, make_staff, make_user

USERS = "/api/v1/accounts/users/"
ROLES = "/api/v1/accounts/role-assignments/"


def test_secretary_creates_an_account_in_their_community_with_a_temporary_password(world, api_client):
    secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
    api_client.force_authenticate(secretary)
    response = api_client.post(
        USERS, {"username": "wangwu", "display_name": "王五", "region": world.grid_a1.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"]["id"] == world.grid_a1.pk and body["must_change_password"] is True
    created = User.objects.get(username="wangwu")
    assert created.check_password(body["temporary_password"])
    assert response["Cache-Control"].startswith("no-store")
    row = AuditEvent.objects.get(action="accounts.user.create")
    assert (
        row.actor == secretary and row.object_id == str(created.pk) and row.region_path == world.grid_a1.path
    )


def test_an_account_outside_the_subtree_is_refused_like_an_unknown_region(world, api_client):
    secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
    api_client.force_authenticate(secretary)
    outside = api_client.post(USERS, {"username": "x1", "region": world.community_b.pk})
    unknown = api_client.post(USERS, {"username": "x1", "region": 987654})
    out_msg = assert_error(outside, 400, "invalid", ["region"])["fields"]["region"][0]
    unknown_msg = assert_error(unknown, 400, "invalid", ["region"])["fields"]["region"][0]
    assert out_msg.replace(str(world.community_b.pk), "#") == unknown_msg.replace("987654", "#")
    assert not User.objects.filter(username="x1").exists()


def test_a_grid_worker_may_not_create_accounts(world, api_client):
    api_client.force_authenticate(make_staff(Role.GRID_WORKER, world.grid_a1))
    assert_error(
        api_client.post(USERS, {"username": "x2", "region": world.grid_a1.pk}), 403, "permission_denied"
    )


@pytest.mark.parametrize(
    "field,value", [("is_superuser", True), ("is_staff", True), ("roles", [Role.SYSTEM_ADMIN])]
)
def test_mass_assignment_of_a_field_the_caller_may_not_set_is_refused_by_name(
    world, api_client, field, value
):
    api_client.force_authenticate(make_staff(Role.COMMUNITY_SECRETARY, world.community_a))
    response = api_client.post(
        USERS, {"username": "x3", "region": world.grid_a1.pk, field: value}, format="json"
    )
    assert_error(response, 400, "invalid", [field])
    assert not User.objects.filter(username="x3").exists()


def test_weak_passwords_are_refused_with_the_reasons(world, api_client):
    api_client.force_authenticate(make_staff(Role.COMMUNITY_SECRETARY, world.community_a))
    response = api_client.post(
        USERS, {"username": "x4", "region": world.grid_a1.pk, "password": "wuhu-shequ-2026"}
    )
    assert_error(response, 400, "invalid", ["password"])


def test_users_list_shows_only_accounts_in_scope(world, api_client):
    mine = make_user(region=world.grid_a1)
    theirs = make_user(region=world.grid_b1)
    secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
    api_client.force_authenticate(secretary)
    listing = api_client.get(USERS).json()
    ids = {row["id"] for row in listing["results"]}
    assert mine.pk in ids and secretary.pk in ids and theirs.pk not in ids
    assert listing["total"] == len(ids) and listing["next"] is None
    assert_error(api_client.get(f"{USERS}{theirs.pk}/"), 404, "not_found")


def test_users_and_role_grants_are_listed_in_keyset_pages(world, api_client):
    new = {make_user(region=world.grid_a1).pk for _n in range(3)}
    secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
    api_client.force_authenticate(secretary)
    first = page = api_client.get(USERS, {"page_size": 2}).json()
    seen = [row["id"] for row in page["results"]]
    while page["next_cursor"]:
        page = api_client.get(USERS, {"page_size": 2, "cursor": page["next_cursor"]}).json()
        assert len(page["results"]) <= 2
        seen += [row["id"] for row in page["results"]]
    assert len(seen) == len(set(seen)) == first["total"] and new <= set(seen)
    grants = api_client.get(ROLES, {"user": secretary.pk}).json()
    assert [row["user"] for row in grants["results"]] == [secretary.pk] and grants["total"] == 1


# Granting roles -------------------------------------------------------------------------------


def grant(actor, user, role, region, **kwargs):
    return services.role_assignment_grant(actor=actor, user=user, role=role, region=region, **kwargs)


def test_secretary_grants_roles_of_the_community_and_below_only(world):
    secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
    user = make_user(region=world.community_a)
    assert grant(secretary, user, Role.GRID_WORKER, world.grid_a1, is_lead=True).is_lead
    with pytest.raises(ValidationError) as error:
        grant(secretary, user, Role.STREET_STAFF, world.street)
    assert "region" in error.value.message_dict  # the street is above: out of their subtree
    with pytest.raises(ValidationError) as error:
        grant(secretary, user, Role.SYSTEM_ADMIN, world.community_a)
    assert "role" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        grant(secretary, secretary, Role.COMMUNITY_WORKER, world.community_a)
    assert "user" in error.value.message_dict


def test_a_role_is_held_only_at_its_level(world):
    street = make_staff(Role.STREET_STAFF, world.street)
    user = make_user(region=world.community_a)
    with pytest.raises(ValidationError) as error:
        grant(street, user, Role.GRID_WORKER, world.community_a)
    assert "region" in error.value.message_dict


def test_dates_must_make_sense(world):
    street = make_staff(Role.STREET_STAFF, world.street)
    user = make_user(region=world.community_a)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        grant(
            street,
            user,
            Role.COMMUNITY_WORKER,
            world.community_a,
            starts_on=today.replace(year=today.year - 1),
        )
    assert "starts_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        grant(
            street,
            user,
            Role.COMMUNITY_WORKER,
            world.community_a,
            starts_on=today,
            ends_on=today - timedelta(days=1),
        )
    assert "ends_on" in error.value.message_dict


def test_the_three_administrators_never_combine(world):
    security = make_staff(Role.SECURITY_ADMIN, world.city)
    user = make_user(region=world.district)
    grant(security, user, Role.SYSTEM_ADMIN, world.district)
    for other in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        with pytest.raises(ValidationError) as error:
            grant(security, user, other, world.city)
        assert "role" in error.value.message_dict
    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_the_database_refuses_a_second_open_administrator_role(world):
    user = make_user(region=world.city)
    RoleAssignment.objects.create(user=user, role=Role.SYSTEM_ADMIN, region=world.city)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.AUDIT_ADMIN, region=world.city)


def test_grant_and_end_through_the_api_with_open_work_listed(world, api_client):
    from core.registry.models import Transfer

    street = make_staff(Role.STREET_STAFF, world.street)
    lead = world.lead  # the grid's only lead
    assignment = lead.roles.get()
    resident = make_resident_record(world.grid_a1)
    transfer = Transfer.objects.create(
        resident=resident,
        from_region=world.grid_a1,
        from_path=world.grid_a1.path,
        to_region=world.grid_b1,
        to_path=world.grid_b1.path,
        requested_by=lead,
    )
    api_client.force_authenticate(street)
    response = api_client.post(f"{ROLES}{assignment.pk}/end/")
    assert response.status_code == 200, response.content
    kinds = {(item["kind"], item["object_id"]) for item in response.json()["open_work"]}
    assert kinds == {("registry.transfer", str(transfer.pk)), ("registry.grid_lead", str(world.grid_a1.pk))}
    assert not RoleAssignment.objects.current().filter(pk=assignment.pk).exists()
    # The list stays available until the work is done.
    again = api_client.get(f"{ROLES}{assignment.pk}/open-work/").json()["open_work"]
    assert {item["kind"] for item in again} == {"registry.transfer", "registry.grid_lead"}
    row = AuditEvent.objects.get(action="accounts.role.end")
    assert len(row.extra["open_work"]) == 2
    assert_error(api_client.post(f"{ROLES}{assignment.pk}/end/"), 409, "already_ended")


def test_grant_through_the_api(world, api_client):
    secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
    user = make_user(region=world.grid_a1)
    api_client.force_authenticate(secretary)
    response = api_client.post(ROLES, {"user": user.pk, "role": Role.GRID_WORKER, "region": world.grid_a1.pk})
    assert response.status_code == 201, response.content
    assert response.json()["is_current"] is True
    # Another community's grid, and a field the caller may not set, are refused by name.
    assert_error(
        api_client.post(ROLES, {"user": user.pk, "role": Role.GRID_WORKER, "region": world.grid_b1.pk}),
        400,
        "invalid",
        ["region"],
    )
    assert_error(
        api_client.post(
            ROLES,
            {"user": user.pk, "role": Role.GRID_WORKER, "region": world.grid_a1.pk, "granted_by": 1},
        ),
        400,
        "invalid",
        ["granted_by"],
    )


def test_deactivation_revokes_every_token(world, api_client, client):
    from core.accounts.tokens import issue_tokens

    secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    pair = issue_tokens(worker, second_factor=False)
    api_client.force_authenticate(secretary)
    assert api_client.post(f"{USERS}{worker.pk}/deactivate/").status_code == 200
    api_client.force_authenticate(None)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert_error(api_client.get("/api/v1/accounts/me/"), 401, "authentication_failed")
    api_client.credentials()
    assert_error(
        api_client.post("/api/v1/accounts/token/refresh/", {"refresh": pair["refresh"]}),
        401,
        "authentication_failed",
    )


def test_password_reset_by_the_accounts_administrator(world, api_client):
    secretary = make_staff(Role.COMMUNITY_SECRETARY, world.community_a)
    worker = make_staff(Role.COMMUNITY_WORKER, world.community_a)
    other = make_staff(Role.COMMUNITY_WORKER, world.community_b)
    api_client.force_authenticate(secretary)
    temporary = api_client.post(f"{USERS}{worker.pk}/reset-password/").json()["temporary_password"]
    worker.refresh_from_db()
    assert worker.check_password(temporary) and worker.must_change_password
    assert_error(api_client.post(f"{USERS}{other.pk}/reset-password/"), 404, "not_found")


def test_the_same_administrator_role_twice_is_a_conflict(world):
    security = make_staff(Role.SECURITY_ADMIN, world.city)
    user = make_user(region=world.city)
    grant(security, user, Role.AUDIT_ADMIN, world.city)
    with pytest.raises(Conflict):
        grant(security, user, Role.AUDIT_ADMIN, world.district)
