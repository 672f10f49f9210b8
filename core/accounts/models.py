from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.accounts.roles import Role


class User(AbstractUser):
    """A person who signs in: staff of any level, or a resident bound to their record."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self, on=None):
        """Assignments in force on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class RoleAssignment(models.Model):
    """A role held by a user at a node of the region tree, for a period."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        indexes = [models.Index(fields=["user", "ends_on"]), models.Index(fields=["region", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region}"

    def save(self, *args, **kwargs) -> None:
        self.region_path = self.region.path
        super().save(*args, **kwargs)


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
        constraints = [models.UniqueConstraint(fields=["user", "resident"], name="binding_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.resident_id}"
