"""Test data for eligibility and benefits: applications built directly (ORM) on an event opened
the way the application service opens it, standards, and residents of a given age."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from affairs.models import Application, ApplicationMember, AssistanceStandard, ServiceItem
from core.registry.identity import identity_columns
from core.registry.models import Household, Resident
from core.workflow.services import event_report
from tests.world import id_number


def person(household: Household, name: str, birth: date | None, **fields) -> Resident:
    if birth:
        identity = {"document_type": "id_card", **identity_columns("id_card", id_number(birth))}
    else:
        identity = {"document_type": "none", **identity_columns("none", "")}
    return Resident.objects.create(
        region=household.region,
        region_path=household.region_path,
        house=household.house,
        household=household,
        name=name,
        **identity,
        **fields,
    )


def standard(kind: str, amount, *, since: date, region=None, area: str = "any", until=None, **parameters):
    """A standard; parameters default to the built-in default's for that kind."""
    default = AssistanceStandard.objects.filter(region=None, kind=kind).order_by("effective_from").first()
    return AssistanceStandard.objects.create(
        kind=kind,
        amount=Decimal(str(amount)),
        region=region,
        region_path=region.path if region else "",
        area=area,
        effective_from=since,
        effective_to=until,
        parameters={**(default.parameters if default else {}), **parameters},
    )


def application(
    household: Household,
    item_code: str,
    *,
    applied_on: date,
    members=(),
    applicant: Resident | None = None,
    details: dict | None = None,
    area: str = "urban",
    **fields,
) -> Application:
    """An application of `household`; members are (resident, monthly income) or
    (resident, income, {flags}) tuples. An earlier open application of the household for the
    item is marked withdrawn first (one may be open at a time; tests compare several readings)."""
    item = ServiceItem.objects.get(code=item_code)
    Application.objects.open().filter(household=household, item=item).update(stage="withdrawn")
    event, _merged = event_report(
        reporter=None,
        type_key="affairs.application",
        source="domain",
        title=item.name,
        house=household.house,
        grid=None if household.house_id else household.region,
        sla_working_days=20,
    )
    created = Application.objects.create(
        item=item,
        event=event,
        household=household,
        applicant=applicant or household.householder,
        region=event.region,
        region_path=event.region_path,
        applied_on=applied_on,
        area=area,
        channel=Application.Channel.COUNTER,
        details=details or {},
        **fields,
    )
    for row in members:
        resident, income, flags = (*row, {}) if len(row) == 2 else row
        ApplicationMember.objects.create(
            application=created, resident=resident, monthly_income=Decimal(str(income)), **flags
        )
    return created
