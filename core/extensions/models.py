"""What the extension contract keeps: hand-offs between domains on their way to a consumer, and
where each scenario is enabled."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet


class Handoff(models.Model):
    """One hand-off from a producing domain to the app that takes its kind (core.extensions.handoffs).

    Kept pending while nobody takes it; the payload names records by id (no document numbers or
    phones). Delivered rows are deleted after a while (core.retention).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    # "<kind>:<producer's key>": the same key sent twice keeps the first hand-off.
    idempotency_key = models.CharField(_("idempotency key"), max_length=220, unique=True)
    payload = models.JSONField(_("payload"), default=dict)
    region_path = models.CharField(_("region path"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    consumer = models.CharField(_("taken by"), max_length=200, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = RegionScopedQuerySet.as_manager()
    # A pending hand-off goes where its place goes; a delivered one records where it happened.
    on_region_move = FollowsRegion(current=Q(status="pending"), paths=(("region_path", None),))

    class Meta:
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        indexes = [
            models.Index(fields=["id"], name="handoff_pending_idx", condition=Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key}"


class ScenarioEnablement(models.Model):
    """A scenario switched on (or explicitly off) at a node of the region tree, for its subtree.

    The nearest row at or above a place decides: a scenario enabled for a street and disabled for
    one of its communities runs everywhere in the street but there. Changed only through
    core.extensions.scenarios.scenario_set_enabled (audited).
    """

    scenario_key = models.CharField(_("scenario"), max_length=64)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(_("region path"), max_length=255, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = RegionScopedQuerySet.as_manager()
    # The switch belongs to its node: it moves with it.
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("scenario enablement")
        verbose_name_plural = _("scenario enablements")
        indexes = [
            models.Index(
                fields=["region_path"], name="scenario_enable_path_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["scenario_key", "region"], name="scenario_enablement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_key} @ {self.region_path}: {'on' if self.enabled else 'off'}"


class ScenarioSettings(models.Model):
    """One dated version of a scenario's settings at a node of the region tree: the values set
    there (the others are inherited from above, or the scenario's defaults). Never edited: a
    change adds a version valid from its time, and every flag or task a scenario makes records
    the versions it was decided under (core.extensions.scenarios.scenario_settings_at)."""

    scenario_key = models.CharField(_("scenario"), max_length=64)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(_("region path"), max_length=255, editable=False)
    values = models.JSONField(_("values"), default=dict)
    valid_from = models.DateTimeField(_("valid from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()
    # Settings belong to their node: they move with it.
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("scenario settings version")
        verbose_name_plural = _("scenario settings versions")
        indexes = [
            models.Index(
                fields=["scenario_key", "region_path", "valid_from"],
                name="scenario_settings_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "timestamptz_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_key} @ {self.region_path} from {self.valid_from:%Y-%m-%d %H:%M}"
