"""Filters of the hotline ticket list."""

from __future__ import annotations

import django_filters

from affairs.hotline.models import HotlineTicket
from affairs.hotline.selectors import overdue_q


class TicketFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=HotlineTicket.Status.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    ticket_no = django_filters.CharFilter()

    class Meta:
        model = HotlineTicket
        fields = ["status", "ticket_no"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
