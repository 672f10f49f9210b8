from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.accounts.roles import SEPARATED_ADMIN_ROLES, is_role, role_label
from core.pii.fields import EncryptedTextField
from core.regions.placed import path_index
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet, scope_for, under


def validate_role(value: str) -> None:
    """A role some app declares (RoleDefinition); roles are contributions, not fixed choices."""
    if not is_role(value):
        raise ValidationError(_("%(role)s is not a role."), code="invalid_role", params={"role": value})


class UserQuerySet(RegionScopedQuerySet):
    def visible_to(self, user, permission: str | None = "accounts.view"):
        """Accounts administered under the caller's subtrees (where a role grants `permission`)."""
        scope = scope_for(user)
        paths = scope.paths_with(permission) if permission else scope.paths
        return self.filter(under(paths, self.region_path_field)) if paths else self.none()


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in: staff of any level, or a resident bound to their record."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    # The node whose administrators manage this account (create, deactivate, reset its password).
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("administered at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_path = models.CharField(_("region path"), max_length=255, blank=True, default="", editable=False)
    # For one-time codes (password reset) to staff; a resident's come from their record.
    mobile_encrypted = EncryptedTextField(_("mobile"), blank=True, default="")
    mobile_index = models.CharField(max_length=64, blank=True, default="", editable=False, db_index=True)
    mobile_masked = models.CharField(_("mobile"), max_length=20, blank=True, editable=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Bumped on logout, deactivation and password change: access tokens carrying an older value
    # stop working at once instead of living out their 15 minutes.
    token_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    # An account stays administered at its node wherever the node sits.
    on_region_move = FollowsRegion()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            path_index("user", name="user_path_id_idx"),
        ]

    def save(self, *args, **kwargs) -> None:
        self.region_path = self.region.path if self.region_id else ""
        super().save(*args, **kwargs)


class RoleAssignmentQuerySet(RegionScopedQuerySet):
    def current(self, on=None):
        """Assignments in force on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on, ended_at__isnull=True
        )

    def not_ended(self, on=None):
        """Assignments in force now or starting later."""
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), ended_at__isnull=True)

    def visible_to(self, user, permission: str | None = "accounts.view"):
        scope = scope_for(user)
        paths = scope.paths_with(permission) if permission else scope.paths
        return self.filter(under(paths, self.region_path_field)) if paths else self.none()


class RoleAssignment(models.Model):
    """A role held by a user at a node of the region tree, for a period."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles")
    # A declared role's key (core.accounts.roles); validated against the registry, no fixed choices.
    role = models.CharField(_("role"), max_length=64, validators=[validate_role])
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    # Copied from the region so that scope checks need no join; kept current when the tree moves.
    region_path = models.CharField(_("region path"), max_length=255, editable=False)
    is_lead = models.BooleanField(_("lead"), default=False, help_text=_("The lead grid worker of a grid."))
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, verbose_name=_("granted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the role is ended by someone (effective at once); `ends_on` alone is a planned end.
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        User, verbose_name=_("ended by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    # A role in force follows its node; an ended one keeps the place where it was held.
    on_region_move = FollowsRegion(current="current")

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        indexes = [
            models.Index(fields=["user", "ends_on"]),
            models.Index(fields=["region", "role"]),
            path_index("role", name="role_path_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_ends_after_start",
            ),
            # Separation of duties, enforced by the database too: one account holds at most one
            # open-ended administrator role (services also refuse overlapping dated ones).
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role__in=sorted(SEPARATED_ADMIN_ROLES))
                & Q(ends_on__isnull=True)
                & Q(ended_at__isnull=True),
                name="role_one_open_admin_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role_display} · {self.region}"

    def save(self, *args, **kwargs) -> None:
        self.region_path = self.region.path
        super().save(*args, **kwargs)

    @property
    def role_display(self) -> str:
        return str(role_label(self.role))


class ResidentBinding(models.Model):
    """A resident's account bound to their record in the register (by ID number and a one-time code)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="resident_links"
    )
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.CASCADE, related_name="bindings"
    )
    method = models.CharField(_("bound by"), max_length=16, default="sms")
    bound_at = models.DateTimeField(_("bound at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resident binding")
        verbose_name_plural = _("resident bindings")
        constraints = [
            models.UniqueConstraint(fields=["user", "resident"], name="binding_unique"),
            # A resident record has at most one account bound to it.
            models.UniqueConstraint(fields=["resident"], name="binding_one_account_per_resident"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.resident_id}"


class ExternalIdentity(models.Model):
    """An identity at an outside provider (a WeChat openid) bound once to one account."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="external_identities"
    )
    provider = models.CharField(_("provider"), max_length=32)
    subject = models.CharField(_("subject"), max_length=128)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="identity_unique_subject"),
            models.UniqueConstraint(fields=["provider", "user"], name="identity_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.user_id}"


class OneTimeCode(models.Model):
    """A one-time code sent by SMS. Only its keyed hash is kept; the phone only as a blind index."""

    class Purpose(models.TextChoices):
        BINDING = "binding", _("Bind a resident record")
        PASSWORD_RESET = "password_reset", _("Reset a password")

    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    phone_index = models.CharField(max_length=64, db_index=True)
    # What the code unlocks: a resident id (binding) or a user id (password reset).
    target_id = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["ip_address", "created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
