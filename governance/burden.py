"""社区减负 (三减两规范): the register of what upstream offices ask communities to report, each
field mapped to platform data (a register column or a declared dashboard metric, never another
domain's models), so a report is generated as an .xlsx instead of typed again. A form asking
for the same fields for the same period as another is flagged as its duplicate."""

from __future__ import annotations

import io

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from core.api.errors import field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.extensions.registry import registry
from core.regions.models import Region
from core.regions.paths import region_in_scope
from core.registry.contributions import ADULT_AGE
from core.registry.models import House, Household, Resident
from core.registry.tags import age_q
from governance.contributions import MANAGE
from governance.models import FormField, FormReport, UpstreamForm

_LIVING = Q(status=Resident.Status.ACTIVE)

# The register columns a form may name: key → (label, model, the rows counted). Counted under
# the community's path, living residents only.
REGISTER_COLUMNS = {
    "residents": (gettext_lazy("Residents living here"), Resident, _LIVING),
    "residents_registered": (
        gettext_lazy("Registered (户籍) residents"),
        Resident,
        _LIVING & Q(residence_type=Resident.ResidenceType.REGISTERED),
    ),
    "residents_floating": (
        gettext_lazy("Floating residents"),
        Resident,
        _LIVING & Q(residence_type=Resident.ResidenceType.FLOATING),
    ),
    "residents_male": (gettext_lazy("Male residents"), Resident, _LIVING & Q(sex=Resident.Sex.MALE)),
    "residents_female": (gettext_lazy("Female residents"), Resident, _LIVING & Q(sex=Resident.Sex.FEMALE)),
    "households": (gettext_lazy("Households"), Household, Q()),
    "houses": (gettext_lazy("Houses"), House, Q()),
}
AGE_COLUMNS = {"residents_60_plus": 60, "residents_80_plus": 80, "residents_adult": ADULT_AGE}


def _check_source(source: str, key: str) -> None:
    known = (
        key in REGISTER_COLUMNS or key in AGE_COLUMNS
        if source == FormField.Source.REGISTER
        else registry.has("dashboard_metrics", key)
    )
    if not known:
        from governance.errors import GovernanceError

        raise field_error(
            "fields",
            _("No register column or metric %(key)s.") % {"key": key},
            code=GovernanceError.UNKNOWN_SOURCE,
        )


def _signature(fields: list[dict]) -> list[tuple[str, str]]:
    return sorted((f["source"], f["key"]) for f in fields)


def form_register(
    *, actor, office: str, name: str, frequency: str, period: str, fields: list[dict], request=None
) -> UpstreamForm:
    """Register an upstream form with its fields mapped; flag it when another form asks for the
    same fields for the same period."""
    if not fields:
        raise field_error("fields", _("A form has at least one field."))
    for field in fields:
        _check_source(field["source"], field["key"])
    wanted = _signature(fields)
    duplicate = None
    for other in UpstreamForm.objects.filter(period=period).prefetch_related("fields"):
        if _signature([{"source": f.source, "key": f.key} for f in other.fields.all()]) == wanted:
            duplicate = other
            break
    with transaction.atomic():
        form = UpstreamForm.objects.create(
            office=office, name=name, frequency=frequency, period=period, duplicate_of=duplicate
        )
        FormField.objects.bulk_create(
            FormField(form=form, position=i, label=f["label"], source=f["source"], key=f["key"])
            for i, f in enumerate(fields, 1)
        )
        audit_record(
            actor=actor,
            action="governance.burden.form",
            target=form,
            changes=created(name=name, period=period, duplicate_of=duplicate.pk if duplicate else None),
            request=request,
        )
    return form


def field_value(field: FormField, community: Region):
    if field.source == FormField.Source.METRIC:
        metric = registry.get("dashboard_metrics", field.key)
        return import_string(metric.compute)(community)
    if field.key in AGE_COLUMNS:
        adults = age_q(min_age=AGE_COLUMNS[field.key], today=timezone.localdate())
        return Resident.objects.under(community.path).filter(_LIVING & adults).count()
    _label, model, rows = REGISTER_COLUMNS[field.key]
    return model.objects.under(community.path).filter(rows).count()


def report_generate(*, actor, form: UpstreamForm, community: int, request=None) -> tuple[FormReport, bytes]:
    """Compute every field for the community and write the .xlsx (one sheet: label, value)."""
    region = region_in_scope(actor, community, MANAGE, levels=(Region.Level.COMMUNITY,))
    if region is None:
        raise not_found_in_payload("community")
    fields = list(form.fields.all())
    values = {str(f.position): field_value(f, region) for f in fields}
    with transaction.atomic():
        report = FormReport.objects.create(
            form=form,
            region=region,
            region_path=region.path,
            values=values,
            fields_generated=len(fields),
            generated_by=actor,
        )
        audit_record(
            actor=actor,
            action="governance.burden.generate",
            target=report,
            changes=created(form=form.pk),
            request=request,
        )
    return report, workbook_of(form, region, fields, values)


def workbook_of(form: UpstreamForm, region: Region, fields, values: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "report"
    sheet.append([form.name, form.office, form.period, region.name])
    sheet.append([_("Item"), _("Value")])
    for field in fields:
        value = values[str(field.position)]
        sheet.append([field.label, float(value) if not isinstance(value, int) else value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def generated_counts(region: Region) -> dict:
    """Per community under the node: forms and fields generated instead of typed."""
    rows = (
        FormReport.objects.under(region.path)
        .values("region_id")
        .annotate(forms=Count("id"), fields=Sum("fields_generated"))
        .order_by("region_id")
    )
    return {row["region_id"]: {"forms": row["forms"], "fields": row["fields"]} for row in rows}
