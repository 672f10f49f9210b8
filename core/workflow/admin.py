from __future__ import annotations

from datetime import date

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.accounts.admin_access import SuperuserOnlyAdminMixin
from core.scoped_admin import MaskedFreeTextAdmin
from core.workflow.calendar import WorkCalendar
from core.workflow.models import CalendarDay, DutyShift, Event, EventTransition, Open311Client
from core.workflow.open311.keys import hash_key


def years_without_holiday_data(today: date | None = None) -> list[int]:
    """This year and next, where neither the package nor an official row gives the schedule:
    their holidays are estimated (local rows alone do not end the estimate)."""
    today = today or timezone.localdate()
    calendar = WorkCalendar.load(today, today)
    return [year for year in (today.year, today.year + 1) if not calendar.has_official_schedule(year)]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "kind", "note")
    list_filter = ("is_workday", "kind")
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        for year in years_without_holiday_data():
            self.message_user(
                request,
                _(
                    "There is no official holiday schedule for %(year)s: deadlines count the statutory "
                    "holidays estimated from the rules, without the swapped working weekends, until the "
                    "State Council's schedule is entered here as official rows."
                )
                % {"year": year},
                level=messages.WARNING,
            )
        return super().changelist_view(request, extra_context)


@admin.register(DutyShift)
class DutyShiftAdmin(MaskedFreeTextAdmin, admin.ModelAdmin):
    """Read-only: shifts are added and ended through the roster API (validated and audited)."""

    list_display = ("region", "user", "starts_at", "ends_at", "ended_at")
    list_filter = ("region__level",)
    readonly_fields = [f.name for f in DutyShift._meta.fields]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("region", "user")
        return queryset if request.user.is_superuser else queryset.visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionInline(MaskedFreeTextAdmin, admin.TabularInline):
    model = EventTransition
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_state", "to_state", "actor", "note", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(MaskedFreeTextAdmin, admin.ModelAdmin):
    """Read-only: events change only through their state machine (the API)."""

    list_display = ("id", "title", "type", "state", "priority", "assignee", "deadline", "escalation_level")
    list_filter = ("state", "type", "domain", "priority")
    search_fields = ("title",)
    inlines = [TransitionInline]
    readonly_fields = [f.name for f in Event._meta.fields]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Open311Client)
class Open311ClientAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "service_user", "community", "source", "is_active", "created_at")
    fields = ("name", "service_user", "community", "source", "is_active", "key_hash")
    readonly_fields = ("key_hash",)
    autocomplete_fields = ("community",)

    def save_model(self, request, obj, form, change):
        if not change:
            from secrets import token_urlsafe

            key = token_urlsafe(32)
            obj.key_hash = hash_key(key)
            self.message_user(
                request,
                _("API key (shown once, store it now): %(key)s") % {"key": key},
                level=messages.WARNING,
            )
        super().save_model(request, obj, form, change)
