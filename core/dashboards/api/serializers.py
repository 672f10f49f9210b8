from rest_framework import serializers

from core.api.serializers import StrictSerializer
from core.dashboards.selectors import PERIODS


class DashboardQueryInput(StrictSerializer):
    period = serializers.ChoiceField(choices=list(PERIODS), required=False, default="day")


class SeriesQueryInput(StrictSerializer):
    metric = serializers.CharField(max_length=64, required=False)
    by = serializers.ChoiceField(choices=list(PERIODS), required=False, default="day")
