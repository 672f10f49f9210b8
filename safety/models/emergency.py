"""Emergency: plans per community with contacts and resources, drills, and incident broadcasts to
everyone of given roles under a region node, with acknowledgement tracking."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.pii.fields import EncryptedTextField
from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion


class EmergencyPlan(Placed):
    """A community's plan (应急预案); contacts are names and phones, kept encrypted."""

    title = models.CharField(_("title"), max_length=200)
    hazard = models.CharField(_("hazard"), max_length=40)
    contacts = EncryptedTextField(_("contacts"), blank=True)
    effective_from = models.DateField(_("effective from"))

    on_region_move = FollowsRegion()

    class Meta:
        indexes = [path_index("safety_plan")]

    def __str__(self) -> str:
        return self.title


class EmergencyResource(Placed):
    """A stock of supplies a plan relies on (sandbags, life jackets …), with its quantity."""

    plan = models.ForeignKey(EmergencyPlan, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("name"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=20)
    location = models.CharField(_("location"), max_length=200, blank=True)

    on_region_move = FollowsRegion()

    class Meta:
        indexes = [path_index("safety_resource")]


class Drill(Placed):
    plan = models.ForeignKey(EmergencyPlan, on_delete=models.PROTECT, related_name="drills")
    held_on = models.DateField(_("held on"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    findings = models.TextField(_("findings"), blank=True)

    on_region_move = KeepsRegion("a drill records where it was held")

    class Meta:
        indexes = [path_index("safety_drill")]


class Incident(Placed):
    """A broadcast to everyone holding the given roles at the region or below it."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    roles = models.JSONField(_("roles"), default=list)
    reminder_minutes = models.PositiveIntegerField(_("reminder after (minutes)"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    remind_at = models.DateTimeField(db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    on_region_move = KeepsRegion("a broadcast records whom it reached")

    class Meta:
        indexes = [path_index("safety_incident")]


class IncidentReceipt(Placed):
    """One addressee of an incident, and when they acknowledged it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    on_region_move = KeepsRegion("a receipt belongs to its broadcast")

    class Meta:
        # Listed by addressee, not by place: the caller's own receipts sit at the incident's node,
        # above their own scope, so the per-region page shape (a path index) does not apply.
        indexes = [models.Index(fields=["user", "id"], name="safety_receipt_user_idx")]
        constraints = [models.UniqueConstraint(fields=["incident", "user"], name="safety_receipt_once")]
