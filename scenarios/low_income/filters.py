import django_filters

from scenarios.low_income.models import OfficeRecord, RiskFlag


class RiskFlagFilter(django_filters.FilterSet):
    class Meta:
        model = RiskFlag
        fields = ("rule", "kind", "state")


class OfficeRecordFilter(django_filters.FilterSet):
    class Meta:
        model = OfficeRecord
        fields = ("kind", "office")
