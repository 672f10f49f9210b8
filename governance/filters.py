"""One FilterSet per list of co-governance."""

from __future__ import annotations

import django_filters

from governance.models import Election, SocialOrganization, Survey, Topic, VentureRound


class TopicFilter(django_filters.FilterSet):
    class Meta:
        model = Topic
        fields = ["status", "region"]


class SurveyFilter(django_filters.FilterSet):
    class Meta:
        model = Survey
        fields = ["status", "region"]


class OrganizationFilter(django_filters.FilterSet):
    class Meta:
        model = SocialOrganization
        fields = ["stage", "region"]


class RoundFilter(django_filters.FilterSet):
    class Meta:
        model = VentureRound
        fields = ["status", "region"]


class ElectionFilter(django_filters.FilterSet):
    class Meta:
        model = Election
        fields = ["status", "term_year"]
