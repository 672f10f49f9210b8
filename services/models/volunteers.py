"""Volunteers, their teams, the service projects filed with the community (备案), sign-ups, and
the one hours ledger every volunteer hour lands in, whichever domain it comes from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.pii.fields import EncryptedTextField
from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion


class Volunteer(Placed):
    """A volunteer registered at a community (or grid): a resident of the register when they are
    one (name and phone then come from the register), else a name and mobile of their own."""

    resident = models.ForeignKey(
        "registry.Resident",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Only for a volunteer who is not in the register (personal data: encrypted, shown masked).
    name_encrypted = EncryptedTextField(_("name"), blank=True, default="")
    mobile_encrypted = EncryptedTextField(_("mobile"), blank=True, default="")
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    joined_on = models.DateField(_("joined on"))
    active = models.BooleanField(_("active"), default=True)

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        indexes = [path_index("svc_volunteer")]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(resident__isnull=False),
                name="svc_volunteer_one_per_resident",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(user__isnull=False), name="svc_volunteer_one_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"volunteer #{self.pk}"


class Team(Placed):
    """A volunteer team, of an organization (a social organization, a company, a party branch)."""

    name = models.CharField(_("name"), max_length=100)
    organization = models.CharField(_("organization"), max_length=100, blank=True)
    members = models.ManyToManyField(Volunteer, verbose_name=_("members"), blank=True, related_name="teams")

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        indexes = [path_index("svc_team")]

    def __str__(self) -> str:
        return self.name


class ServiceProject(Placed):
    """A volunteer service project filed with the community (备案): place, time and cap."""

    title = models.CharField(_("title"), max_length=200)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    cap = models.PositiveIntegerField(_("places"))
    filed_on = models.DateField(_("filed on"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        indexes = [path_index("svc_project")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="svc_project_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Signup(models.Model):
    """A volunteer signed up for a project; check-in and check-out give the hours served."""

    project = models.ForeignKey(ServiceProject, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups")
    signed_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["project", "volunteer"], name="svc_signup_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.volunteer_id}"


class HoursEntry(Placed):
    """One line of the hours ledger: hours a volunteer served, from a check-out here or handed
    over by another domain (core.extensions.handoffs, kind service_hours). `key` makes each
    source count once however often it is delivered."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="hours"
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    served_on = models.DateField(_("served on"))
    activity = models.CharField(_("activity"), max_length=200)
    source = models.CharField(_("source"), max_length=200)
    source_domain = models.CharField(_("source domain"), max_length=40)
    key = models.CharField(_("idempotency key"), max_length=220, unique=True)

    on_region_move = KeepsRegion("a ledger line records where the service was counted")

    class Meta:
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours ledger")
        indexes = [
            path_index("svc_hours"),
            models.Index(fields=["volunteer", "served_on"], name="svc_hours_volunteer_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="svc_hours_in_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}: {self.hours}"


class TimeBank(Placed):
    """A time bank (时间银行) a community (or one of its grids) runs: its volunteers' hours served
    from `starts_on` are a balance they may draw on for services later. The nearest bank at or
    above a volunteer's place keeps their balance."""

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("counts hours from"))

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("time bank")
        verbose_name_plural = _("time banks")
        indexes = [path_index("svc_time_bank")]

    def __str__(self) -> str:
        return self.name


class TimeBankWithdrawal(models.Model):
    """Hours a volunteer drew from their time-bank balance (for a service they received)."""

    bank = models.ForeignKey(TimeBank, on_delete=models.PROTECT, related_name="withdrawals")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="withdrawals")
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    note = models.CharField(_("note"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("time-bank withdrawal")
        verbose_name_plural = _("time-bank withdrawals")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="svc_withdrawal_positive")]

    def __str__(self) -> str:
        return f"{self.volunteer_id}: -{self.hours}"
