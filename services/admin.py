"""Admin pages of community services: rows are read within scope and changed only through the
services (the API), since meals, settlements, hours and retrofits are records decisions and
payments depend on. The catalogues (home services, the directory) are the bureau's: superusers."""

from __future__ import annotations

from django.contrib import admin

from core.accounts.admin_access import SuperuserOnlyAdminMixin
from core.scoped_admin import ReadOnlyScopedAdmin
from services.models import (
    DirectoryEntry,
    HomeOrder,
    HomeService,
    HoursEntry,
    MealPoint,
    MealRecord,
    MealSettlement,
    Retrofit,
    Room,
    SocialCase,
    Volunteer,
)

VIEW = "services.view"


@admin.register(HomeService)
class HomeServiceAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "min_minutes", "price", "subsidy")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # orders refer to it


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "active")


@admin.register(MealPoint)
class MealPointAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "name", "kind", "operator", "capacity", "price")


@admin.register(MealRecord)
class MealRecordAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "point", "served_on", "period", "government_share", "elder_pays", "settled_in")
    list_filter = ("period", "method")
    exclude = ("resident",)


@admin.register(MealSettlement)
class MealSettlementAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "point", "month", "status", "meals", "government_total", "closed_at")
    list_filter = ("status",)


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "resident", "joined_on", "active")
    exclude = ("name_encrypted", "mobile_encrypted")


@admin.register(HoursEntry)
class HoursEntryAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "volunteer", "hours", "served_on", "source_domain")
    list_filter = ("source_domain",)


@admin.register(Retrofit)
class RetrofitAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "household", "stage", "total_cost", "subsidy", "subsidized_on")
    list_filter = ("stage",)


@admin.register(Room)
class RoomAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "name", "capacity", "opens_at", "closes_at")


@admin.register(HomeOrder)
class HomeOrderAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "service", "provider", "status", "subsidy")
    exclude = ("resident",)


@admin.register(SocialCase)
class SocialCaseAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "station", "status", "opened_on")

    def get_queryset(self, request):
        # Cases about minors stay with the roles that may see them (the API's rule).
        return super().get_queryset(request).filter(involves_minor=False)
