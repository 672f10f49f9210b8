import django_filters
from django.utils import timezone

from core.api.filters import IdFilter
from core.regions.models import Region
from core.workflow.models import DutyShift, Event
from core.workflow.states import FINAL_STATES, State


class EventFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=State.choices)
    type = django_filters.CharFilter()
    domain = django_filters.CharFilter()
    priority = django_filters.ChoiceFilter(choices=Event.Priority.choices)
    region = IdFilter(method="filter_region", label="region subtree")
    mine = django_filters.BooleanFilter(method="filter_mine", label="assigned to me")
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Event
        fields = ["state", "type", "domain", "priority"]

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(pk=value).only("path").first()
        return queryset.filter(region_path__startswith=region.path) if region else queryset.none()

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(assignee=user) if value else queryset.exclude(assignee=user)

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.filter(deadline__lt=timezone.now()).exclude(
            state__in=[*FINAL_STATES, State.RESOLVED]
        )
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class DutyShiftFilter(django_filters.FilterSet):
    region = IdFilter(field_name="region_id", label="community or street")
    user = IdFilter(field_name="user_id")
    on_duty_at = django_filters.IsoDateTimeFilter(method="filter_on_duty_at", label="on duty at this time")
    ends_after = django_filters.IsoDateTimeFilter(field_name="ends_at", lookup_expr="gt")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = DutyShift
        fields = ["region", "user"]

    def filter_on_duty_at(self, queryset, name, value):
        return queryset.on_duty_at(value)
