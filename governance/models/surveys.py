"""Surveys (民意调查): questions, an audience by region and tags, anonymous or named, one answer
per person (a database constraint on a key derived from the person, kept even when anonymous)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion
from core.regions.scoping import RegionScopedQuerySet


class SurveyQuerySet(RegionScopedQuerySet):
    def visible_to_resident(self, resident_ids):
        """A resident sees the surveys addressed to the region they live in (or above it)."""
        from core.regions.paths import ancestor_paths
        from core.registry.models import Resident

        paths = set()
        for path in Resident.objects.filter(pk__in=resident_ids).values_list("region_path", flat=True):
            paths.update(ancestor_paths(path))
        return self.filter(region_path__in=paths) if paths else self.none()


class Survey(Placed):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    # Tag keys (core.registry tags); empty: everyone living in the region.
    audience_tags = models.JSONField(_("audience tags"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = SurveyQuerySet.as_manager()
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [path_index("gov_survey")]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        SCALE = "scale", _("Scale")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    options = models.JSONField(default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="gov_survey_question_position")
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class SurveyResponse(models.Model):
    """One person's answers. `respondent_key` is a keyed hash of survey and resident (so an
    anonymous response names nobody, yet a second one is refused by the database); `resident`
    is kept only for a named survey. The region is the respondent's grid, for results by region."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    respondent_key = models.CharField(max_length=64)
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=255)

    on_region_move = KeepsRegion("where the respondent lived when answering")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent_key"], name="gov_survey_answer_once")
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    # Option indexes (single, multiple), a number (scale) or text.
    value = models.JSONField()

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"
