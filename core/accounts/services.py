"""Account administration: every write about accounts and roles, validated then written atomically
and audited in the same transaction.

Who may do what is data (core/accounts/roles.py): accounts are managed ("accounts.manage") and
roles granted ("accounts.grant", RoleDefinition.granted_by) only inside the actor's own subtree, at its
level or below. The three administrators are never combined in one account.
"""

from __future__ import annotations

import secrets
import string
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts.errors import AccountsError
from core.accounts.models import RoleAssignment, User
from core.accounts.open_work import OpenWorkItem, open_work_for
from core.accounts.roles import Role, admin_roles, is_role, permissions_of, role_grants, role_levels
from core.api.errors import ApplicationError, Conflict, Forbidden, Invalid, field_error, invalid_fields
from core.audit.services import audit_record
from core.pii import masking
from core.pii.crypto import blind_index
from core.pii.validators import validate_mobile
from core.regions.models import Region
from core.regions.scoping import forget_scope, scope_for


def not_found_error(field: str, pk) -> Invalid:
    """The same message DRF gives for an id that does not exist, for one that is out of scope."""
    from rest_framework.relations import PrimaryKeyRelatedField

    message = PrimaryKeyRelatedField.default_error_messages["does_not_exist"].format(pk_value=pk)
    return field_error(field, message)


# Checks --------------------------------------------------------------------------------------


def check_manages(actor, path: str, *, field: str, pk) -> None:
    """The actor manages accounts over `path`; otherwise the object does not exist for them."""
    if not scope_for(actor).covers(path or "\0", "accounts.manage"):
        raise not_found_error(field, pk)


def grantor_assignments(actor, role: str, region: Region) -> list[RoleAssignment]:
    """The actor's current assignments that allow granting `role` at `region`."""
    return [
        held
        for held in RoleAssignment.objects.current().filter(user=actor)
        if "accounts.grant" in permissions_of(held.role)
        and role_grants(held.role, role)
        and region.path.startswith(held.region_path)
    ]


def check_admin_separation(user: User, role: str, starts_on: date, ends_on: date | None) -> None:
    """One account never holds two of the three administrators' roles at overlapping times."""
    admins = admin_roles()
    if role not in admins:
        return
    overlapping = (
        RoleAssignment.objects.filter(user=user, role__in=admins, ended_at__isnull=True)
        .exclude(role=role)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        raise invalid_fields(
            {
                "role": [
                    _(
                        "The system, security and audit administrators are separate duties; "
                        "this account already holds another of them."
                    )
                ]
            }
        )


def generate_temporary_password() -> str:
    alphabet = string.ascii_letters + string.digits + "!#%+-=?@"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(16))
        try:
            validate_password(candidate)
        except ValidationError:
            continue
        if all(
            any(c in group for c in candidate)
            for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits)
        ):
            return candidate


def _mobile_columns(mobile: str) -> dict:
    if not mobile:
        return {"mobile_encrypted": "", "mobile_index": "", "mobile_masked": ""}
    try:
        normalised = validate_mobile(mobile)
    except ValidationError as error:
        raise invalid_fields({"mobile": error.messages}) from None
    return {
        "mobile_encrypted": normalised,
        "mobile_index": blind_index(normalised, kind="mobile"),
        "mobile_masked": masking.mask_phone(normalised),
    }


# Tokens --------------------------------------------------------------------------------------


def user_revoke_tokens(*, user: User) -> None:
    """Sign the user out everywhere: refresh tokens blacklisted, access tokens refused (epoch)."""
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    User.objects.filter(pk=user.pk).update(token_epoch=F("token_epoch") + 1)
    user.refresh_from_db(fields=["token_epoch"])
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


# Accounts ------------------------------------------------------------------------------------


def user_create(
    *,
    actor: User,
    username: str,
    region: Region,
    display_name: str = "",
    email: str = "",
    mobile: str = "",
    password: str | None = None,
    request=None,
) -> tuple[User, str | None]:
    """A staff account administered at `region`. Without a password, a temporary one is made (and
    returned once); the account must change it at first sign-in."""
    check_manages(actor, region.path, field="region", pk=region.pk)
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise field_error(
            "username", _("An account with this username already exists."), code=AccountsError.USERNAME_TAKEN
        )
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        region=region,
        is_staff=True,
        **_mobile_columns(mobile),
    )
    temporary = None
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise invalid_fields({"password": error.messages}) from None
    else:
        password = temporary = generate_temporary_password()
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = temporary is not None
    with transaction.atomic():
        try:
            user.save()
        except IntegrityError:
            raise field_error(
                "username",
                _("An account with this username already exists."),
                code=AccountsError.USERNAME_TAKEN,
            ) from None
        audit_record(
            actor=actor,
            action="accounts.user.create",
            target=user,
            changes={"username": {"old": None, "new": username}, "region": {"old": None, "new": region.pk}},
            request=request,
        )
    return user, temporary


def user_deactivate(*, actor: User, user: User, request=None) -> list[OpenWorkItem]:
    """The account can no longer sign in; every token is revoked. Returns its open work."""
    if user.pk == actor.pk:
        raise ApplicationError(
            _("You cannot deactivate your own account."), code=AccountsError.SELF_DEACTIVATION
        )
    check_manages(actor, user.region_path, field="user", pk=user.pk)
    if not user.is_active:
        raise Conflict(_("The account is already deactivated."), code=AccountsError.ALREADY_INACTIVE)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        user_revoke_tokens(user=user)
        work = [item for held in user.roles.current() for item in open_work_for(held)]
        audit_record(
            actor=actor,
            action="accounts.user.deactivate",
            target=user,
            changes={"is_active": {"old": True, "new": False}},
            extra={"open_work": [item.as_dict() for item in work]},
            request=request,
        )
    return work


def user_reset_password(*, actor: User, user: User, request=None) -> str:
    """By the account's administrator: a temporary password, to be changed at the next sign-in."""
    if user.pk == actor.pk:
        raise ApplicationError(
            _("Change your own password with your current one."), code=AccountsError.SELF_RESET
        )
    check_manages(actor, user.region_path, field="user", pk=user.pk)
    temporary = generate_temporary_password()
    with transaction.atomic():
        user.set_password(temporary)
        user.must_change_password = True
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        user_revoke_tokens(user=user)
        audit_record(actor=actor, action="accounts.user.reset_password", target=user, request=request)
    return temporary


def user_set_password(*, user: User, new_password: str, actor: User | None = None, request=None) -> None:
    """Set a password the user chose (after checking it), signing out every other session."""
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise invalid_fields({"new_password": error.messages}) from None
    if user.check_password(new_password):
        raise invalid_fields({"new_password": [_("Choose a password different from the current one.")]})
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        user_revoke_tokens(user=user)
        audit_record(
            actor=actor or user, action="accounts.user.change_password", target=user, request=request
        )


def user_change_password(*, user: User, old_password: str, new_password: str, request=None) -> None:
    if not user.check_password(old_password or ""):
        raise field_error(
            "old_password", _("The current password is not correct."), code=AccountsError.WRONG_PASSWORD
        )
    user_set_password(user=user, new_password=new_password, request=request)


# Roles ---------------------------------------------------------------------------------------


def role_assignment_grant(
    *,
    actor: User,
    user: User,
    role: str,
    region: Region,
    is_lead: bool = False,
    starts_on: date | None = None,
    ends_on: date | None = None,
    request=None,
) -> RoleAssignment:
    today = timezone.localdate()
    starts_on = starts_on or today
    if not scope_for(actor).covers(region.path, "accounts.grant"):
        raise not_found_error("region", region.pk)
    if not scope_for(actor).covers(user.region_path or "\0", "accounts.view"):
        raise not_found_error("user", user.pk)
    errors: dict[str, list[str]] = {}
    if not is_role(role):
        errors["role"] = [_("Unknown role.")]
    elif not grantor_assignments(actor, role, region):
        errors["role"] = [_("You may not grant this role here.")]
    elif region.level not in role_levels(role):
        errors["region"] = [_("This role is not held at this level of the region tree.")]
    if user.pk == actor.pk:
        errors["user"] = [_("You cannot grant a role to yourself.")]
    elif not user.is_active:
        errors["user"] = [_("The account is deactivated.")]
    if is_lead and role != Role.GRID_WORKER:
        errors["is_lead"] = [_("Only a grid worker can be a grid's lead.")]
    if starts_on < today:
        errors["starts_on"] = [_("A role cannot start in the past.")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("A role cannot end before it starts.")]
    if errors:
        raise invalid_fields(errors)
    check_admin_separation(user, role, starts_on, ends_on)
    with transaction.atomic():
        try:
            with transaction.atomic():
                assignment = RoleAssignment.objects.create(
                    user=user,
                    role=role,
                    region=region,
                    is_lead=is_lead,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    granted_by=actor,
                )
        except IntegrityError:
            raise Conflict(
                _("This account already holds an administrator role."), code=AccountsError.ADMIN_ROLE_CONFLICT
            ) from None
        audit_record(
            actor=actor,
            action="accounts.role.grant",
            target=assignment,
            changes={
                "user": {"old": None, "new": user.pk},
                "role": {"old": None, "new": role},
                "region": {"old": None, "new": region.pk},
                "starts_on": {"old": None, "new": str(starts_on)},
                "ends_on": {"old": None, "new": str(ends_on) if ends_on else None},
            },
            request=request,
        )
    forget_scope(user)
    return assignment


def role_assignment_end(*, actor: User, assignment: RoleAssignment, request=None) -> list[OpenWorkItem]:
    """End a role at once. Returns the open work it leaves, to be reassigned (also recorded)."""
    if assignment.ended_at is not None:
        raise Conflict(_("This role has already ended."), code=AccountsError.ALREADY_ENDED)
    if not grantor_assignments(actor, assignment.role, assignment.region):
        raise Forbidden(_("You may not end this role."))
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        old_ends_on = assignment.ends_on
        assignment.ended_at = now
        assignment.ended_by = actor
        if assignment.ends_on is None or assignment.ends_on > today:
            assignment.ends_on = max(today, assignment.starts_on)
        assignment.save(update_fields=["ended_at", "ended_by", "ends_on"])
        work = open_work_for(assignment)
        audit_record(
            actor=actor,
            action="accounts.role.end",
            target=assignment,
            changes={
                "ends_on": {"old": str(old_ends_on) if old_ends_on else None, "new": str(assignment.ends_on)}
            },
            extra={"open_work": [item.as_dict() for item in work]},
            request=request,
        )
    forget_scope(assignment.user)
    return work
