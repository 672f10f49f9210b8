from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion


class CareCase(Placed):
    """One care signal taken over from the safety domain (a device alarm, a missed contact) and
    the response to it, step by step until it is closed."""

    class Step(models.TextChoices):
        CALL = "call", _("Call by the grid worker")
        VISIT = "visit", _("Visit")
        CONTACT = "contact", _("Emergency contact and community")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        HELPED = "helped", _("Helped")
        FINE = "fine", _("Found well")
        FALSE_ALARM = "false_alarm", _("False alarm")

    handoff_key = models.CharField(_("hand-off"), max_length=220, unique=True)
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    signal = models.CharField(_("signal"), max_length=32)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=200)
    device = models.CharField(_("device"), max_length=200, blank=True, db_index=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    step = models.CharField(_("step"), max_length=8, choices=Step.choices, default=Step.CALL)
    step_due_at = models.DateTimeField(_("step due at"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    settings_versions = models.JSONField(_("settings versions"), default=list)

    on_region_move = FollowsRegion(current=Q(state="open"))

    class Meta:
        verbose_name = _("care case")
        verbose_name_plural = _("care cases")
        indexes = [
            path_index("eldalone_case"),
            models.Index(fields=["step_due_at"], name="eldalone_case_due_idx", condition=Q(state="open")),
        ]


class CareStep(models.Model):
    """A step of a case: an event of its own, with its own short deadline."""

    case = models.ForeignKey(CareCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=8, choices=CareCase.Step.choices)
    event = models.ForeignKey(
        "workflow.Event", verbose_name=_("event"), on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("due at"))

    class Meta:
        verbose_name = _("care step")
        verbose_name_plural = _("care steps")
        constraints = [models.UniqueConstraint(fields=["case", "step"], name="eldalone_step_once")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.step}"
