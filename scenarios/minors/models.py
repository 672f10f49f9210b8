from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion


class ChildRecord(Placed):
    """A child the network follows: the register's resident, the category, the next visit."""

    class Category(models.TextChoices):
        IN_DIFFICULTY = "in_difficulty", _("Child in difficulty (困境儿童)")
        ORPHAN = "orphan", _("Orphan (孤儿)")
        UNATTENDED = "unattended", _("De-facto unattended (事实无人抚养儿童)")

    class State(models.TextChoices):
        ACTIVE = "active", _("Followed")
        CLOSED = "closed", _("Left the scenario")

    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("child"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.ACTIVE)
    next_visit_on = models.DateField(_("next visit"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.CharField(_("closing note"), max_length=200, blank=True)
    settings_versions = models.JSONField(_("settings versions"), default=list)

    on_region_move = FollowsRegion(current=Q(state="active"))

    class Meta:
        verbose_name = _("child record")
        verbose_name_plural = _("child records")
        indexes = [path_index("minors_child")]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(state="active"), name="minors_child_once"
            )
        ]


class ChildReport(Placed):
    """A report about a child: abuse or immediate danger (mandatory: police and county at once)
    or a child at risk; routed to the community's 儿童主任 and escalated level by level."""

    class Kind(models.TextChoices):
        ABUSE = "abuse", _("Abuse (侵害)")
        DANGER = "danger", _("Immediate danger")
        AT_RISK = "at_risk", _("Child at risk")

    child = models.ForeignKey(
        ChildRecord, verbose_name=_("child"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    summary = models.CharField(_("summary"), max_length=500)
    level = models.PositiveSmallIntegerField(_("level it waits at"), default=4)
    due_at = models.DateTimeField(_("take up by"))
    taken_at = models.DateTimeField(_("taken up at"), null=True, blank=True)
    event = models.ForeignKey(
        "workflow.Event", verbose_name=_("event"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    settings_versions = models.JSONField(_("settings versions"), default=list)

    on_region_move = FollowsRegion(current=Q(taken_at__isnull=True))

    class Meta:
        verbose_name = _("child report")
        verbose_name_plural = _("child reports")
        indexes = [path_index("minors_report")]
