"""What the printable forms receive: one dict per application, read in a fixed number of queries.

approval.docx: item, number, applied_on, printed_on, address, applicant_name (in full: printing is
audited), applicant_id_number (masked), area, channel, on_behalf, members (name, monthly_income,
able_to_work, seriously_ill, severely_disabled, covered), financial_assets, vehicles, extra_houses,
standard, per_capita_income, amount, eligible, reasons, steps (step, actor, date, note), stage,
decision, decided_on, decision_note.
notice.docx: the same, plus notice ("supplement", "rejected", "approved" or "acceptance"),
missing (material names), monthly_amount, one_off_amount, starts_on, time_limit, office.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from affairs.models import Application, AssistanceStandard
from affairs.models.applications import Stage
from affairs.stages import OPEN_STAGES
from core.regions.models import Region
from core.regions.paths import id_at

DASH = "—"
# The event's transitions, named as the form prints them.
STEP_NAMES = {
    "report": gettext_lazy("Application filed"),
    "affairs.intake": gettext_lazy("Intake"),
    "affairs.investigate": gettext_lazy("Home investigation"),
    "affairs.review": gettext_lazy("Review"),
    "affairs.end_publicity": gettext_lazy("End of publicity"),
    "affairs.confirm": gettext_lazy("Confirmation"),
    "affairs.reject": gettext_lazy("Rejection"),
    "affairs.return": gettext_lazy("Returned for missing materials"),
    "affairs.supplement": gettext_lazy("Materials supplied"),
    "affairs.withdraw": gettext_lazy("Withdrawal"),
}


def _yes_no(value) -> str:
    return _("Yes") if value else _("No")


def _person(user) -> str:
    if user is None:
        return DASH
    return user.display_name or user.get_full_name() or user.get_username()


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else DASH


def _standard(reading: dict) -> str:
    summary = reading.get("standard") or {}
    if not summary:
        return DASH
    kind = summary.get("kind", "")
    label = AssistanceStandard.Kind(kind).label if kind in AssistanceStandard.Kind.values else kind
    return _("%(kind)s: %(amount)s yuan a month, in force from %(date)s") % {
        "kind": label,
        "amount": summary.get("amount", DASH),
        "date": summary.get("effective_from", DASH),
    }


def notice_kind(application: Application) -> str:
    if application.stage in OPEN_STAGES and application.missing:
        return "supplement"
    if application.stage == Stage.REJECTED:
        return "rejected"
    if application.stage == Stage.APPROVED:
        return "approved"
    return "acceptance"


def _missing_names(application: Application) -> list[str]:
    names = dict(application.item.materials.values_list("code", "name"))
    return [names.get(entry, entry) for entry in application.missing]


def _office(application: Application, kind: str) -> str:
    item = application.item
    level = item.confirm_level if kind in {"approved", "rejected"} else item.receive_level
    office = Region.objects.filter(pk=id_at(application.region_path, level), level=level)
    return office.values_list("name", flat=True).first() or ""


def _address(application: Application) -> str:
    household = application.household
    if household.house_id:
        return household.house.address
    return household.registered_address or DASH


def form_context(application: Application) -> dict:
    application = (
        Application.objects.select_related("item", "household__house", "applicant", "event")
        .prefetch_related("members__resident", "event__transitions__actor")
        .get(pk=application.pk)
    )
    reading = application.eligibility or {}
    amount = application.monthly_amount or reading.get("monthly_amount")
    one_off = application.one_off_amount or reading.get("one_off_amount")
    first_benefit = application.benefits.order_by("started_on").values_list("started_on", flat=True).first()
    kind = notice_kind(application)
    return {
        "notice": kind,
        "number": str(application.pk),
        "item": application.item.name,
        "applied_on": application.applied_on.isoformat(),
        "printed_on": timezone.localdate().isoformat(),
        "address": _address(application),
        "applicant_name": application.applicant.name,
        "applicant_id_number": application.applicant.document_number_masked or DASH,
        "area": application.get_area_display(),
        "channel": application.get_channel_display(),
        "on_behalf": application.on_behalf,
        "members": [
            {
                "name": member.resident.name,
                "monthly_income": str(member.monthly_income),
                "able_to_work": _yes_no(member.able_to_work),
                "seriously_ill": _yes_no(member.seriously_ill),
                "severely_disabled": _yes_no(member.severely_disabled),
                "covered": _yes_no(member.covered),
            }
            for member in application.members.all()
        ],
        "financial_assets": str(application.financial_assets),
        "vehicles": application.vehicles,
        "extra_houses": application.extra_houses,
        "standard": _standard(reading),
        "per_capita_income": reading.get("per_capita_income") or DASH,
        "amount": str(amount or one_off or DASH),
        "eligible": DASH if "eligible" not in reading else _yes_no(reading["eligible"]),
        "reasons": "；".join(str(r) for r in reading.get("reasons") or []) or DASH,
        "steps": [
            {
                "step": str(STEP_NAMES.get(row.action, row.action)),
                "actor": _person(row.actor),
                "date": _day(row.created_at),
                "note": row.note,
            }
            for row in sorted(application.event.transitions.all(), key=lambda t: (t.created_at, t.pk))
        ],
        "stage": application.get_stage_display(),
        "decision": application.get_stage_display() if application.decided_at else DASH,
        "decided_on": _day(application.decided_at),
        "decision_note": application.decision_note or DASH,
        "missing": _missing_names(application),
        "monthly_amount": str(amount) if amount else "",
        "one_off_amount": str(one_off) if one_off else "",
        "starts_on": (first_benefit.isoformat() if first_benefit else _day(application.decided_at)),
        "time_limit": application.item.time_limit_working_days,
        "office": _office(application, kind),
    }
