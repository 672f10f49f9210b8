"""A certificate of volunteer hours (志愿服务时长证明) as a printable workbook: the volunteer, the
hours by source and each line of the ledger. Printing it is audited (it shows the full name)."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.audit.services import audit_record
from services.models import Volunteer
from services.selectors import volunteer_hours, volunteer_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def certificate_print(*, actor, volunteer: Volunteer, request=None) -> bytes:
    figures = volunteer_hours(volunteer)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Certificate")[:31]
    sheet.append([_("Certificate of volunteer service hours")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Volunteer"), volunteer_name(volunteer, masked=False)])
    sheet.append([_("Total hours"), float(figures["total"])])
    for source, hours in sorted(figures["by_source"].items()):
        sheet.append([_("Hours from %(source)s") % {"source": source}, float(hours)])
    sheet.append([_("Issued on"), timezone.localdate().isoformat()])
    sheet.append([])
    sheet.append([_("Date"), _("Activity"), _("Hours"), _("Source")])
    for entry in figures["entries"]:
        sheet.append([entry.served_on.isoformat(), entry.activity, float(entry.hours), entry.source_domain])
    out = BytesIO()
    book.save(out)
    audit_record(
        actor=actor,
        action="services.certificate.print",
        target=volunteer,
        extra={"hours": str(figures["total"])},
        request=request,
    )
    return out.getvalue()
