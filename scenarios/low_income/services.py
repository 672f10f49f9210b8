"""Writes of the low-income scenario: other offices' records in (workbook or signed push), the
rules run over all of them, what follows a new flag (an event, a re-check hand-off), closing one."""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.api.errors import Conflict, field_error, invalid_fields
from core.audit.services import audit_record
from core.extensions import handoffs
from core.extensions.scenario_api import require_enabled
from core.extensions.scenarios import scenario_settings_at
from core.outbox.services import enqueue_task
from core.regions.scoping import scope_for
from core.registry.identity import document_index
from core.registry.models import Resident
from core.workflow.models import Event
from core.workflow.services import event_report
from scenarios.low_income.errors import LowIncomeError
from scenarios.low_income.models import OfficeRecord, RiskFlag
from scenarios.low_income.rules import SCENARIO, run_rules

logger = logging.getLogger(__name__)
DISCOVERY = "low_income.active_discovery"
FOLLOW_UP_BATCH = 200


@dataclass
class RecordsOutcome:
    added: int = 0
    known: int = 0
    errors: list[dict] = field(default_factory=list)


def _clean(row: dict) -> dict:
    """One record's fields, checked; raises ValueError naming what is wrong."""
    kind = str(row.get("kind") or "").strip()
    if kind not in OfficeRecord.Kind.values:
        raise ValueError(_("kind must be one of %(kinds)s") % {"kinds": ", ".join(OfficeRecord.Kind.values)})
    number = str(row.get("id_number") or "").strip().upper()
    if not number:
        raise ValueError(_("id_number is required"))
    reference = str(row.get("reference") or "").strip()
    if not reference or len(reference) > 64:
        raise ValueError(_("reference (the office's record number) is required, at most 64 characters"))
    amount = row.get("amount")
    if amount in (None, ""):
        amount = None
    else:
        try:
            amount = Decimal(str(amount))
        except InvalidOperation:
            raise ValueError(_("amount is a number")) from None
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
            raise ValueError(_("amount is a number")) from None
    if (
        kind in (OfficeRecord.Kind.MEDICAL_BILL, OfficeRecord.Kind.DISASTER, OfficeRecord.Kind.INCOME)
        and amount is None
    ):
        raise ValueError(_("amount is required for this kind"))
    occurred = row.get("occurred_on")
    try:
        occurred = occurred if isinstance(occurred, date) else date.fromisoformat(str(occurred or "")[:10])
    except ValueError:
        raise ValueError(_("occurred_on is a date (YYYY-MM-DD)")) from None
    from_work = row.get("from_work") in (True, "true", "1", 1, "是")
    return {
        "kind": kind,
        "id_number": number,
        "reference": reference,
        "amount": amount,
        "occurred_on": occurred,
        "from_work": from_work,
    }


def records_add(
    *, actor, office: str, rows: list[dict], via: str, permission: str | None = None, request=None
) -> RecordsOutcome:
    """Add other offices' records, each matched to a resident by ID number (the blind index).
    A record already received (same office and record number) is skipped, so a file or a push
    sent twice adds nothing twice. A record of a resident at a place where the scenario is not
    enabled, or (with `permission`) outside the actor's scope for it, is refused for that row
    (the same message for both, and for an unknown ID number). One audit row for the batch;
    a batch whose every row is refused is refused whole (400 with the rows' errors)."""
    scope = scope_for(actor) if permission else None
    outcome = RecordsOutcome()
    office = (office or "").strip()[:64]
    if not office:
        raise field_error(
            "office", _("Name the office the records come from."), code=LowIncomeError.BAD_RECORD
        )
    with transaction.atomic():
        added_ids = []
        for number, row in enumerate(rows, start=1):
            try:
                values = _clean(row)
            except ValueError as error:
                outcome.errors.append({"row": number, "message": str(error)})
                continue
            resident = (
                Resident.objects.filter(document_number_index=document_index("id_card", values["id_number"]))
                .select_related("household")
                .first()
            )
            if resident is None or (scope is not None and not scope.covers(resident.region_path, permission)):
                outcome.errors.append({"row": number, "message": _("No resident with this ID number.")})
                continue
            if not scenario_enabled_here(resident.region_path):
                outcome.errors.append(
                    {"row": number, "message": _("The scenario is not enabled at this resident's place.")}
                )
                continue
            if OfficeRecord.objects.filter(office=office, reference=values["reference"]).exists():
                outcome.known += 1
                continue
            try:
                with transaction.atomic():
                    record = OfficeRecord.objects.create(
                        kind=values["kind"],
                        resident=resident,
                        household=resident.household,
                        amount=values["amount"],
                        from_work=values["from_work"],
                        occurred_on=values["occurred_on"],
                        office=office,
                        reference=values["reference"],
                        via=via,
                        region_id=resident.region_id,
                        region_path=resident.region_path,
                    )
            except IntegrityError:  # the same record sent at the same time
                outcome.known += 1
                continue
            added_ids.append(record.pk)
            outcome.added += 1
        audit_record(
            actor=actor,
            action=f"low_income.record.{via}",
            object_type="low_income.officerecord",
            object_ids=added_ids,
            extra={
                "office": office,
                "added": outcome.added,
                "known": outcome.known,
                "errors": len(outcome.errors),
            },
            request=request,
        )
        if outcome.errors and not (outcome.added or outcome.known):
            raise invalid_fields(
                {f"rows.{error['row']}": error["message"] for error in outcome.errors},
                code=LowIncomeError.BAD_RECORD,
            )
        if added_ids:
            enqueue_task("low_income.run_rules", args=[], idempotency_key=f"low_income:rules:{added_ids[-1]}")
    return outcome


# Headers of an office's workbook (Chinese as offices send them, or the field names).
HEADERS = {
    "种类": "kind",
    "身份证号": "id_number",
    "公民身份号码": "id_number",
    "记录编号": "reference",
    "金额": "amount",
    "发生日期": "occurred_on",
    "来自工作": "from_work",
}
KINDS_IN_CHINESE = {
    "大额医疗支出": "medical_bill",
    "新办残疾证": "disability",
    "失业登记": "unemployment",
    "死亡": "death",
    "受灾": "disaster",
    "收入": "income",
}
MAX_IMPORT_ROWS = 5000


def records_import(*, actor, office: str, upload, request=None) -> RecordsOutcome:
    """An office's .xlsx (the first sheet, headers in its first row), through records_add. The
    upload is checked like the register's imports (size, a real workbook, no macros)."""
    from openpyxl import load_workbook

    from core.imports import workbook

    workbook.check_size(upload.size)
    try:
        archive = zipfile.ZipFile(upload)
        if workbook.unpacked_too_large(archive) or any(
            n.lower().endswith("vbaproject.bin") for n in archive.namelist()
        ):
            raise zipfile.BadZipFile
        upload.seek(0)
        book = load_workbook(upload, read_only=True, data_only=True)
        rows_iter = book.worksheets[0].iter_rows(values_only=True)
        header = [HEADERS.get(workbook.cell_text(h), workbook.cell_text(h)) for h in next(rows_iter, ())]
        rows = []
        for values in rows_iter:
            if not any(v not in (None, "") for v in values):
                continue
            row = {key: value for key, value in zip(header, values, strict=False) if key}
            for key in ("id_number", "reference", "kind"):
                row[key] = workbook.cell_text(row.get(key))
            row["kind"] = KINDS_IN_CHINESE.get(row["kind"], row["kind"])
            rows.append(row)
            if len(rows) > MAX_IMPORT_ROWS:
                raise field_error(
                    "file", _("At most 5000 rows at once: split the file."), code=LowIncomeError.BAD_RECORD
                )
        book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise field_error(
            "file", _("The file is not an Excel workbook (.xlsx)."), code=LowIncomeError.BAD_RECORD
        ) from None
    if not rows:
        raise field_error("file", _("The workbook has no rows to import."), code=LowIncomeError.BAD_RECORD)
    return records_add(
        actor=actor,
        office=office,
        rows=rows,
        via=OfficeRecord.Via.IMPORT,
        permission="low_income.import_records",
        request=request,
    )


def scenario_enabled_here(region_path: str) -> bool:
    from core.extensions.scenarios import scenario_enabled_at

    return scenario_enabled_at(SCENARIO, region_path)


def rules_run(*, actor=None, request=None) -> dict[str, int]:
    """Run every rule over all records (set-based), then follow up the new flags. Safe to run
    any number of times: a flag exists once per rule and record."""
    with transaction.atomic():
        flagged = run_rules()
        audit_record(actor=actor, action="low_income.rules.run", extra={"flagged": flagged}, request=request)
    flags_follow_up()
    return flagged


def flags_follow_up() -> int:
    """Open an active-discovery event for each new at-risk flag (for the household's grid
    workers) and hand each new re-check flag to the affairs domain; each once."""
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                RiskFlag.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(followed_up=False)
                .select_related("record", "household__house", "household__region", "resident", "region")
                .order_by("id")[:FOLLOW_UP_BATCH]
            )
            if not batch:
                return done
            for flag in batch:
                if flag.kind == RiskFlag.Kind.RISK:
                    flag.event = _open_discovery(flag)
                else:
                    flag.grace_until = _grace_until(flag)
                    _hand_over_recheck(flag)
                flag.followed_up = True
            RiskFlag.objects.bulk_update(batch, ["event", "grace_until", "followed_up", "updated_at"])
            done += len(batch)


def _describe(flag: RiskFlag) -> str:
    record = flag.record
    return _("Rule %(rule)s on %(office)s record %(reference)s (%(kind)s, %(day)s%(amount)s).") % {
        "rule": flag.rule,
        "office": record.office,
        "reference": record.reference,
        "kind": record.get_kind_display(),
        "day": record.occurred_on.isoformat(),
        "amount": f", {record.amount}" if record.amount is not None else "",
    }


def _open_discovery(flag: RiskFlag) -> Event:
    settings = scenario_settings_at(SCENARIO, flag.region_path)
    household = flag.household
    grid = flag.region if household is None or household.house_id is None else None
    event, _merged = event_report(
        reporter=None,
        type_key=DISCOVERY,
        source=Event.Source.SCENARIO,
        title=_("Active discovery: a household may fall below the standard"),
        description=_describe(flag),
        house=household.house if household is not None and household.house_id else None,
        grid=grid,
        priority=settings["discovery_priority"],
        external_ref=f"low_income:flag:{flag.pk}",
    )
    return event


def _grace_until(flag: RiskFlag) -> date | None:
    """渐退期: a recipient whose income rose from work keeps the benefit for the configured months
    (民发〔2021〕57号 art. 29); a rise from elsewhere, or a death, has none."""
    record = flag.record
    if record.kind != OfficeRecord.Kind.INCOME or not record.from_work:
        return None
    months = scenario_settings_at(SCENARIO, flag.region_path)["gradual_exit_months"]
    return add_months(record.occurred_on, months) if months else None


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 Jan + 1 → 28/29 Feb)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _hand_over_recheck(flag: RiskFlag) -> None:
    record = flag.record
    handoffs.send(
        handoffs.BENEFIT_RECHECK,
        handoffs.BenefitRecheck(
            region_path=flag.region_path,
            household_id=flag.household_id or 0,
            resident_id=flag.resident_id,
            reason="died" if record.kind == OfficeRecord.Kind.DEATH else "income_above_standard",
            occurred_on=record.occurred_on,
            source=f"low_income.flag:{flag.pk}",
            grace_until=flag.grace_until,
        ),
        idempotency_key=f"low_income:flag:{flag.pk}",
    )


def flag_close(*, actor, flag: RiskFlag, note: str, request=None) -> RiskFlag:
    """Close a flag once the household was visited (the event records the visit itself)."""
    if not (note or "").strip():
        raise field_error("note", _("Say what was found."))
    require_enabled(SCENARIO, flag.region_path)
    with transaction.atomic():
        flag = RiskFlag.objects.select_for_update().get(pk=flag.pk)
        if flag.state != RiskFlag.State.OPEN:
            raise Conflict(_("This flag is closed already."), code=LowIncomeError.FLAG_CLOSED)
        flag.state = RiskFlag.State.CLOSED
        flag.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="low_income.flag.close",
            target=flag,
            changes={"state": {"old": "open", "new": "closed"}},
            extra={"note": note[:200]},
            request=request,
        )
    return flag
