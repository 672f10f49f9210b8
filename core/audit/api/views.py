"""/api/v1/audit/: the audit administrator reads and exports the log within their subtrees."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from core.api.pagination import KeysetPagination
from core.api.viewsets import ScopedViewSet
from core.audit.export import EXPORT_MAX_ROWS, workbook_bytes
from core.audit.filters import AuditEventFilter
from core.audit.models import AuditEvent
from core.audit.services import audit_record


class AuditEventOutput(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_ids",
            "region_path",
            "changes",
            "purpose",
            "ip_address",
            "request_id",
            "extra",
        ]
        read_only_fields = fields


class AuditPagination(KeysetPagination):
    """The platform's keyset pages, larger: an audit reader scans many rows."""

    page_size = 50
    max_page_size = 500


@extend_schema_view(list=extend_schema(tags=["audit"]), retrieve=extend_schema(tags=["audit"]))
class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = AuditEvent.objects.all()
    serializer_class = AuditEventOutput
    filterset_class = AuditEventFilter
    pagination_class = AuditPagination
    default_ordering = "-id"
    # Rows hold masked values only, but who looked at whom is itself sensitive.
    carries_personal_data = True
    action_permissions = {
        "list": ("audit.view",),
        "retrieve": ("audit.view",),
        "export": ("audit.export",),
    }

    @extend_schema(tags=["audit"], responses={(200, "application/octet-stream"): bytes})
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The filtered rows as .xlsx (at most EXPORT_MAX_ROWS); the export is itself audited."""
        rows = self.filter_queryset(self.get_queryset()).order_by("-id")[:EXPORT_MAX_ROWS]
        rows = list(rows)
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action="audit.log.export",
                object_type="audit.auditevent",
                object_ids=[row.pk for row in rows],
                region_path=_common_path(self.scope.paths_with("audit.export")),
                request=request,
                extra={"filters": dict(request.query_params.items()), "rows": len(rows)},
            )
            content = workbook_bytes(rows)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
        return response


def _common_path(paths: tuple[str, ...]) -> str:
    """Where an export is recorded: the caller's single subtree, or none if they span several."""
    return paths[0] if len(paths) == 1 else ""
