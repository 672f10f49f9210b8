"""Filters of the audit log (/api/v1/audit/): who, what action, which object, when."""

from __future__ import annotations

from django_filters import rest_framework as filters

from core.api.filters import IdFilter
from core.audit.models import AuditEvent
from core.audit.services import audit_codes


class AuditEventFilter(filters.FilterSet):
    actor = IdFilter(field_name="actor_id")
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
