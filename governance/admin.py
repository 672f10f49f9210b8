"""Admin pages of co-governance: topics, surveys, organizations, rounds and elections read within
scope, changed only through their services (the API). Ballots and participations have no page:
nobody, staff included, reads a ballot before the close, and after it the tally is the API's."""

from __future__ import annotations

from django.contrib import admin

from core.scoped_admin import ReadOnlyScopedAdmin
from governance.contributions import VIEW
from governance.models import CoBuildingUnit, Election, SocialOrganization, Survey, Topic, VentureRound


@admin.register(Topic)
class TopicAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "title", "status", "electorate", "threshold", "vote_closes_at", "outcome")
    list_filter = ("status", "outcome")
    # The counts exist only after the close; before it they are empty on the row itself.
    exclude = ("body",)


@admin.register(Survey)
class SurveyAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "title", "status", "anonymous")


@admin.register(SocialOrganization)
class SocialOrganizationAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "name", "field", "stage")
    exclude = ("contact_name", "contact_phone")


@admin.register(VentureRound)
class VentureRoundAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "title", "budget", "status")


@admin.register(Election)
class ElectionAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "term_year", "law", "method", "voting_day", "status")


@admin.register(CoBuildingUnit)
class CoBuildingUnitAdmin(ReadOnlyScopedAdmin):
    view_permission = VIEW
    list_display = ("id", "name", "kind", "agreement_on")
