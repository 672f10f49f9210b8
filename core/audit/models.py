from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.paths import depth
from core.regions.placed import path_index
from core.regions.placement import KeepsRegion
from core.regions.scoping import RegionScopedQuerySet, scope_for, under


class AppendOnlyError(Exception):
    """The audit log is append-only: rows are never changed or deleted (retention drops partitions)."""


class AuditEventQuerySet(RegionScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit rows cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit rows cannot be deleted")

    def _raw_delete(self, using):
        raise AppendOnlyError("audit rows cannot be deleted")

    def visible_to(self, user, permission: str | None = "audit.view"):
        """Rows under the subtrees where the user reads the audit log. Rows tied to no place
        (sign-ins, settings) belong to the top: only an audit administrator at a root node sees them."""
        scope = scope_for(user)
        paths = scope.paths_with(permission) if permission else scope.paths
        if not paths:
            return self.none()
        condition = under(paths, self.region_path_field)
        if any(depth(path) == 1 for path in paths):  # "/<id>/": a root of the region tree
            condition |= models.Q(region_path="")
        return self.filter(condition)


class AuditEvent(models.Model):
    """One row of the append-only audit log: who did what, to which object, from where, why.

    A bulk operation is one row naming what it touched (`object_ids`). Personal data in
    `changes` is masked before it gets here. On PostgreSQL the table is partitioned by month and a
    trigger refuses UPDATE and DELETE (core/audit/partitions.py); elsewhere the model refuses them.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # The row outlives the account unchanged (no SET NULL update that the trigger would refuse).
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_ids = models.JSONField(_("objects touched"), default=list, blank=True)
    region_path = models.CharField(_("region path"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    on_region_move = KeepsRegion("append-only: a row records where something happened")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            path_index("audit", name="audit_path_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit rows cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows cannot be deleted")
