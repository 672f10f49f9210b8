"""Government affairs in the household file (一户一档): applications submitted and decided, and
benefits granted and ended. A TimelineProvider (affairs/contributions.py); four queries a page,
each from where the previous page ended (`until`, core.registry.timeline.TimelineBound)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from affairs.models import Application, Benefit

DECIDED = ("approved", "rejected", "withdrawn")


def _actor(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or user.get_username()


def _application_entries(household_ids: list[int], limit: int, until=None) -> list[dict]:
    rows = Application.objects.filter(household_id__in=household_ids).select_related(
        "item", "applicant", "applied_by", "confirmed_by", "reviewed_by"
    )
    entries = []
    submitted = rows.filter(until.q("applied_on", "created_at") if until else Q())
    for row in submitted.order_by("-applied_on", "-created_at", "-id")[:limit]:
        entries.append(
            {
                "date": row.applied_on,
                "at": row.created_at,
                "kind": "application.submitted",
                "title": row.item.name,
                "resident_id": row.applicant_id,
                "resident_name": row.applicant.name,
                "actor": _actor(row.applied_by),
                "details": {"application": row.pk, "item": row.item.code, "stage": row.stage},
            }
        )
    decided = rows.filter(stage__in=DECIDED, decided_at__isnull=False)
    decided = decided.filter(decided_at__lte=until.at) if until else decided  # its day follows the moment
    for row in decided.order_by("-decided_at", "-id")[:limit]:
        entries.append(
            {
                "date": timezone.localtime(row.decided_at).date(),
                "at": row.decided_at,
                "kind": f"application.{row.stage}",
                "title": f"{row.item.name}: {row.get_stage_display()}",
                "resident_id": row.applicant_id,
                "resident_name": row.applicant.name,
                "actor": _actor(row.confirmed_by or row.reviewed_by),
                "details": {
                    "application": row.pk,
                    "item": row.item.code,
                    "monthly_amount": None if row.monthly_amount is None else str(row.monthly_amount),
                    "one_off_amount": None if row.one_off_amount is None else str(row.one_off_amount),
                },
            }
        )
    return entries


def _benefit_entries(household_ids: list[int], limit: int, until=None) -> list[dict]:
    rows = Benefit.objects.filter(household_id__in=household_ids).select_related("item", "resident")
    entries = []
    granted = rows.filter(until.q("started_on", "created_at") if until else Q())
    for row in granted.order_by("-started_on", "-created_at", "-id")[:limit]:
        entries.append(
            {
                "date": row.started_on,
                "at": row.created_at,
                "kind": "benefit.granted",
                "title": _("%(item)s granted") % {"item": row.item.name},
                "resident_id": row.resident_id,
                "resident_name": row.resident.name,
                "details": {
                    "benefit": row.pk,
                    "item": row.item.code,
                    "monthly_amount": str(row.monthly_amount),
                    "application": row.application_id,
                },
            }
        )
    ended = rows.filter(ended_on__isnull=False).filter(until.q("ended_on") if until else Q())
    for row in ended.order_by("-ended_on", "-id")[:limit]:
        entries.append(
            {
                "date": row.ended_on,
                "kind": "benefit.ended",
                "title": _("%(item)s ended: %(reason)s")
                % {"item": row.item.name, "reason": row.get_end_reason_display()},
                "resident_id": row.resident_id,
                "resident_name": row.resident.name,
                "details": {"benefit": row.pk, "item": row.item.code, "reason": row.end_reason},
            }
        )
    return entries


def affairs_entries(household_ids, *, limit: int, until=None) -> list[dict]:
    ids = list(household_ids)
    return [*_application_entries(ids, limit, until), *_benefit_entries(ids, limit, until)]
