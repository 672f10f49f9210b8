from scenarios.low_income.models import OfficeRecord, RiskFlag


def flags_visible_to(user):
    return RiskFlag.objects.visible_to(user, "low_income.view").select_related("record", "event")


def records_visible_to(user):
    return OfficeRecord.objects.visible_to(user, "low_income.view")
