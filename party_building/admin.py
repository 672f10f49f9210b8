"""Admin pages of party building: organizations, members, meetings and pioneer posts read within
scope; every change goes through the services (the API), where the rules and the audit are."""

from __future__ import annotations

from django.contrib import admin

from core.scoped_admin import ReadOnlyScopedAdmin
from party_building.contributions import VIEW
from party_building.models import Meeting, Member, Organization, PioneerPost


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "name", "kind", "setting", "founded_on", "term_ends_on", "dissolved_on")
    list_filter = ("kind", "setting")


@admin.register(Member)
class MemberAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "organization", "kind", "joined_on", "full_on", "status")
    list_filter = ("kind", "status", "education")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "organization", "kind", "period_start", "due_on", "held_on", "status")
    list_filter = ("kind", "status")
    exclude = ("agenda", "minutes")


@admin.register(PioneerPost)
class PioneerPostAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "name", "kind", "ended_on")
    list_filter = ("kind",)
