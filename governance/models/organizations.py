"""Community social organizations (社区社会组织) and 公益创投 rounds: call → applications → review by
assigned reviewers → funding within the budget → milestones → final evaluation."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.pii.fields import EncryptedTextField
from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion


class SocialOrganization(Placed):
    class Stage(models.TextChoices):
        INCUBATING = "incubating", _("Being incubated")
        FILED = "filed", _("Filed with the street (备案)")
        REGISTERED = "registered", _("Registered with civil affairs")

    name = models.CharField(_("name"), max_length=200)
    field = models.CharField(_("field of service"), max_length=100)
    stage = models.CharField(_("incubation stage"), max_length=16, choices=Stage.choices)
    # A contact need not be a resident: name and phone are personal data, kept encrypted.
    contact_name = EncryptedTextField(_("contact"))
    contact_name_masked = models.CharField(_("contact"), max_length=50, editable=False)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    contact_phone_masked = models.CharField(_("contact phone"), max_length=20, blank=True)
    party_organization = models.CharField(_("party organization"), max_length=200, blank=True)

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("social organization")
        verbose_name_plural = _("social organizations")
        indexes = [path_index("gov_org")]

    def __str__(self) -> str:
        return self.name


class OrganizationReport(models.Model):
    organization = models.ForeignKey(SocialOrganization, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField()
    activities = models.PositiveIntegerField(default=0)
    beneficiaries = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="gov_org_report_year")]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class VentureRound(Placed):
    class Status(models.TextChoices):
        CALL = "call", _("Call for applications")
        REVIEW = "review", _("Under review")
        FUNDED = "funded", _("Funded")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    budget = models.DecimalField(_("budget"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.CALL)

    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("public-benefit venture round")
        verbose_name_plural = _("public-benefit venture rounds")
        indexes = [path_index("gov_round")]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gt=0), name="gov_round_budget_positive")
        ]

    def __str__(self) -> str:
        return self.title


class VentureApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        FUNDED = "funded", _("Funded")
        DECLINED = "declined", _("Declined")
        EVALUATED = "evaluated", _("Evaluated")

    round = models.ForeignKey(VentureRound, on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey(SocialOrganization, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("project"), max_length=200)
    requested = models.DecimalField(_("requested"), max_digits=12, decimal_places=2)
    granted = models.DecimalField(_("granted"), max_digits=12, decimal_places=2, default=Decimal("0"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    evaluation_score = models.PositiveSmallIntegerField(null=True, blank=True)
    evaluation_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "organization", "title"], name="gov_venture_app_unique"),
            models.CheckConstraint(condition=models.Q(granted__gte=0), name="gov_venture_granted_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class ReviewAssignment(models.Model):
    """A reviewer assigned to an application: they see only these, declare any conflict of
    interest (then score nothing), and score 0–100."""

    application = models.ForeignKey(VentureApplication, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    conflict = models.BooleanField(default=False)
    conflict_note = models.CharField(max_length=200, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="gov_review_once"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(conflict=False, score__lte=100),
                name="gov_review_score_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Milestone(models.Model):
    application = models.ForeignKey(VentureApplication, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    report = models.TextField(blank=True)
    reported_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"
