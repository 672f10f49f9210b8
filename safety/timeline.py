"""Community safety in the household file (一户一档): inspections of the household's house,
device alarms there, and care contacts with its members. A TimelineProvider; three queries."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from safety.models import Alarm, CareContact, Finding


def safety_entries(household_ids: list[int], *, limit: int) -> list[dict]:
    from core.registry.models import Household

    houses = list(Household.objects.filter(pk__in=household_ids).values_list("house_id", flat=True))
    entries = []
    for row in (
        Finding.objects.filter(round__house_id__in=houses).select_related("item").order_by("-id")[:limit]
    ):
        entries.append(
            {
                "date": timezone.localdate(row.created_at),
                "at": row.created_at,
                "kind": "safety.hazard",
                "title": _("Hazard found: %(item)s") % {"item": row.item.text},
                "details": {"finding": row.pk, "severity": row.severity, "status": row.status},
            }
        )
    for row in Alarm.objects.filter(house_id__in=houses).order_by("-last_at")[:limit]:
        entries.append(
            {
                "date": timezone.localdate(row.first_at),
                "at": row.first_at,
                "kind": "safety.alarm",
                "title": _("Device alarm: %(kind)s") % {"kind": row.kind},
                "details": {"alarm": row.pk, "count": row.count, "event": row.event_id},
            }
        )
    contacts = CareContact.objects.filter(recipient__resident__household_id__in=household_ids).order_by("-id")
    for row in contacts.select_related("recipient")[:limit]:
        entries.append(
            {
                "date": timezone.localdate(row.contacted_at),
                "at": row.contacted_at,
                "kind": "safety.care_contact",
                "title": _("Care contact"),
                "resident_id": row.recipient.resident_id,
                "details": {"contact": row.pk, "way": row.way},
            }
        )
    return entries
