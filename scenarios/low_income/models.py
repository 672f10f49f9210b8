"""Other offices' records about residents, and the flags the rules raise from them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion


class OfficeRecord(Placed):
    """One fact from another office (医保 a large bill, 残联 a new certificate, 人社 an
    unemployment registration, 公安/民政 a death, 应急 a disaster loss, 税务/人社 an income),
    matched to a resident of the register. Placed at the resident's household."""

    class Kind(models.TextChoices):
        MEDICAL_BILL = "medical_bill", _("Large medical bill")
        DISABILITY = "disability", _("New disability certificate")
        UNEMPLOYMENT = "unemployment", _("Unemployment registration")
        DEATH = "death", _("Death")
        DISASTER = "disaster", _("Disaster loss")
        INCOME = "income", _("Income per person per month")

    class Via(models.TextChoices):
        IMPORT = "import", _("Workbook import")
        PUSH = "push", _("Signed push")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    from_work = models.BooleanField(_("income from work"), default=False)
    occurred_on = models.DateField(_("occurred on"))
    office = models.CharField(_("office"), max_length=64)
    reference = models.CharField(_("office's record number"), max_length=64)
    via = models.CharField(_("received by"), max_length=8, choices=Via.choices)

    # What an office reported is a record of what happened where.
    on_region_move = KeepsRegion("an office's record of what happened at a place")

    class Meta:
        verbose_name = _("office record")
        verbose_name_plural = _("office records")
        indexes = [
            path_index("lowinc_record"),
            models.Index(fields=["kind", "id"], name="lowinc_record_kind_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["office", "reference"], name="lowinc_record_unique")]


class RiskFlag(Placed):
    """A household flagged by a rule, naming the rule and the record that caused it, and the
    settings versions it was decided under. One flag per rule and record: running the rules
    again flags nothing twice."""

    class Kind(models.TextChoices):
        RISK = "risk", _("At risk of falling below the standard")
        RECHECK = "recheck", _("Recipient due for a re-check")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    rule = models.CharField(_("rule"), max_length=32)
    record = models.ForeignKey(
        OfficeRecord, verbose_name=_("record"), on_delete=models.PROTECT, related_name="flags"
    )
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2, null=True, blank=True)
    settings_versions = models.JSONField(_("settings versions"), default=list)
    grace_until = models.DateField(_("gradual exit until"), null=True, blank=True)
    followed_up = models.BooleanField(_("event opened or re-check handed over"), default=False)
    event = models.ForeignKey(
        "workflow.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    on_region_move = FollowsRegion(current=Q(state="open"))

    class Meta:
        verbose_name = _("risk flag")
        verbose_name_plural = _("risk flags")
        indexes = [
            path_index("lowinc_flag"),
            models.Index(fields=["id"], name="lowinc_flag_pending_idx", condition=Q(followed_up=False)),
        ]
        constraints = [models.UniqueConstraint(fields=["rule", "record"], name="lowinc_flag_once")]
