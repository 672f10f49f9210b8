"""/api/v1/audit/: the audit administrator reads and exports the log within their subtrees."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination

from core.api.viewsets import ScopedViewSet
from core.audit.export import EXPORT_MAX_ROWS, workbook_bytes
from core.audit.models import AuditEvent
from core.audit.services import audit_codes, audit_record


class AuditEventSerializer(serializers.ModelSerializer):
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


class AuditEventFilter(filters.FilterSet):
    actor = filters.NumberFilter(field_name="actor_id")
    action = filters.CharFilter(method="filter_action")  # an action's former codes match too
    action_prefix = filters.CharFilter(field_name="action", lookup_expr="startswith")
    object_type = filters.CharFilter(field_name="object_type")
    object_id = filters.CharFilter(field_name="object_id")
    since = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_action(self, queryset, name, value):
        return queryset.filter(action__in=audit_codes(value))


class AuditPagination(CursorPagination):
    """Keyset on the id: page N costs what page 1 costs."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


@extend_schema_view(list=extend_schema(tags=["audit"]), retrieve=extend_schema(tags=["audit"]))
class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = AuditEvent.objects.all()
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    pagination_class = AuditPagination
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
