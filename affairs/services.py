"""Filing an application: validated whole, then written in one transaction with its event (the
dispatch engine gives it the item's deadline, escalation, history and notices), its declared
members, its materials and its first eligibility reading."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from affairs import eligibility, selectors
from affairs.contributions import APPLICATION
from affairs.errors import AffairsError
from affairs.models import Application, ApplicationMember, Benefit, ServiceItem
from core.api.errors import ApplicationError, Conflict, field_error, not_found_in_payload
from core.audit.services import audit_record
from core.registry.models import Household, Resident
from core.workflow.attachments import attachment_add, check_upload
from core.workflow.models import Event
from core.workflow.services import event_report

MAX_MEMBERS = 30
MAX_FILES = 20


def check_item_accepts(item: ServiceItem, channel: str) -> None:
    if not item.is_active:
        raise field_error(
            "item", _("This item does not accept applications now."), code=AffairsError.ITEM_INACTIVE
        )
    if channel == Application.Channel.ONLINE and not item.online:
        raise field_error(
            "item",
            _("This item is handled at the counter only; please apply there."),
            code=AffairsError.NOT_ONLINE,
        )
    if channel == Application.Channel.COUNTER and item.channels == ServiceItem.Channels.ONLINE:
        raise field_error("item", _("This item is handled online only."), code=AffairsError.ONLINE_ONLY)


def check_materials(item: ServiceItem, files: dict[str, list]) -> None:
    """Every mandatory material present, unknown ones refused: all problems named at once."""
    codes = {m.code: m for m in item.materials.all()}
    problems = {}
    for code in files:
        if code not in codes:
            problems[f"materials.{code}"] = [_("This item asks for no such material.")]
    for code, material in codes.items():
        if material.mandatory and not files.get(code):
            problems[f"materials.{code}"] = [_("%(name)s is required.") % {"name": material.name}]
    if sum(len(f) for f in files.values()) > MAX_FILES:
        problems["materials"] = [_("At most 20 files can be attached to an application.")]
    for code, uploads in files.items():
        for upload in uploads:
            try:
                check_upload(upload, field=f"materials.{code}")
            except ApplicationError as refused:
                problems.update(refused.fields)
    if problems:
        raise ApplicationError(
            _("Some materials are missing or unknown."), code=AffairsError.MATERIALS_MISSING, fields=problems
        )


def _members(household: Household, applicant: Resident, declared: list[dict]) -> list[dict]:
    if not declared:
        raise field_error("members", _("Declare the household members and their incomes."))
    if len(declared) > MAX_MEMBERS:
        raise field_error("members", _("Too many members."))
    living = {
        r.pk: r
        for r in Resident.objects.filter(household=household, status=Resident.Status.ACTIVE).only(
            "pk", "name"
        )
    }
    seen = set()
    for index, row in enumerate(declared):
        resident_id = row["resident"]
        if resident_id not in living:
            raise not_found_in_payload(f"members.{index}.resident")
        if resident_id in seen:
            raise field_error(f"members.{index}.resident", _("This member is declared twice."))
        seen.add(resident_id)
    if applicant.pk not in seen:
        raise field_error("members", _("The applicant must be among the declared members."))
    return declared


def _check_named_members(details: dict, declared: set[int]) -> None:
    """A beneficiary or child named in the details is one of the declared members."""
    for key in ("resident", "child"):
        if key in details and details[key] not in declared:
            raise not_found_in_payload(f"details.{key}")


def application_submit(
    *,
    actor,
    item: ServiceItem,
    household: Household,
    applicant: Resident,
    members: list[dict],
    channel: str,
    on_behalf: bool,
    files: dict[str, list],
    financial_assets: Decimal = Decimal(0),
    vehicles: int = 0,
    extra_houses: int = 0,
    details: dict | None = None,
    area: str = Application.Area.URBAN,
    notify_channel: str = "in_app",
    applied_on: date | None = None,
    request=None,
) -> Application:
    """File an application; the household and applicant are already within the caller's scope."""
    check_item_accepts(item, channel)
    if on_behalf and not item.proxy_allowed:
        raise field_error(
            "item", _("This item cannot be applied for on a resident's behalf."), code=AffairsError.NO_PROXY
        )
    if applicant.household_id != household.pk or applicant.status != Resident.Status.ACTIVE:
        raise not_found_in_payload("applicant")
    declared = _members(household, applicant, members)
    cleaned_details = eligibility.clean_details(item, details or {})
    _check_named_members(cleaned_details, {row["resident"] for row in declared})
    check_materials(item, files)
    grid = household.region
    with transaction.atomic():
        # One open application per household and item: the household row serialises filers.
        Household.objects.select_for_update().filter(pk=household.pk).first()
        if Application.objects.open().filter(household=household, item=item).exists():
            raise Conflict(
                _("This household already has an open application for this item."),
                code=AffairsError.ALREADY_OPEN,
            )
        covered = [row["resident"] for row in declared if row.get("covered", True)]
        if (
            item.benefit_tag
            and Benefit.objects.in_force().filter(item=item, resident_id__in=covered).exists()
        ):
            raise Conflict(
                _("A covered member already receives this benefit; it is re-checked, not applied for again."),
                code=AffairsError.BENEFIT_IN_FORCE,
            )
        event, _merged = event_report(
            reporter=actor,
            type_key=APPLICATION.key,
            source=Event.Source.DOMAIN,
            title=item.name[:200],
            house=household.house,
            grid=None if household.house_id else grid,
            sla_working_days=item.time_limit_working_days,
            request=request,
        )
        application = Application.objects.create(
            item=item,
            event=event,
            household=household,
            applicant=applicant,
            region=event.region,
            region_path=event.region_path,
            applied_on=applied_on or timezone.localdate(),
            area=area,
            channel=channel,
            applied_by=actor,
            on_behalf=on_behalf,
            notify_channel=notify_channel,
            financial_assets=financial_assets,
            vehicles=vehicles,
            extra_houses=extra_houses,
            details=cleaned_details,
        )
        ApplicationMember.objects.bulk_create(
            ApplicationMember(
                application=application,
                resident_id=row["resident"],
                covered=row.get("covered", True),
                monthly_income=row.get("monthly_income", Decimal(0)),
                able_to_work=row.get("able_to_work", False),
                seriously_ill=row.get("seriously_ill", False),
                severely_disabled=row.get("severely_disabled", False),
            )
            for row in declared
        )
        for code, uploads in files.items():
            for upload in uploads:
                attachment_add(event=event, upload=upload, actor=actor, label=code, request=request)
        application.eligibility = eligibility.evaluate(application)
        application.save(update_fields=["eligibility"])
        audit_record(
            actor=actor,
            action="affairs.application.submit",
            target=application,
            request=request,
            extra={"item": item.code, "on_behalf": on_behalf, "channel": channel},
        )
    return application


def application_file(
    *,
    actor,
    item: str,
    household: int,
    applicant: int,
    members: list[dict],
    files: dict[str, list],
    channel: str | None = None,
    request=None,
    **particulars,
) -> Application:
    """File an application named by ids, as the API receives it: the item by its code, the
    household as the caller may apply for it (a worker's in scope, 代办; or a resident's own) and
    the applicant among its members; residents apply online, counter applications are filed by
    workers. `particulars`: the other fields of application_submit."""
    found = ServiceItem.objects.prefetch_related("materials").filter(code=item).first()
    if found is None:
        raise not_found_in_payload("item")
    home, on_behalf = selectors.household_to_apply_for(actor, household)
    person = Resident.objects.filter(pk=applicant, household=home).first()
    if person is None:
        raise not_found_in_payload("applicant")
    channel = channel or (Application.Channel.COUNTER if on_behalf else Application.Channel.ONLINE)
    if not on_behalf and channel != Application.Channel.ONLINE:
        raise field_error("channel", _("Residents apply online; counter applications are filed by workers."))
    return application_submit(
        actor=actor,
        item=found,
        household=home,
        applicant=person,
        members=[dict(row) for row in members],
        channel=channel,
        on_behalf=on_behalf,
        files=files,
        request=request,
        **particulars,
    )
