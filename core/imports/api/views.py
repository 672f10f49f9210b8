from __future__ import annotations

import tempfile

from django.db import transaction
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api.errors import Forbidden, NotFound
from core.api.viewsets import ScopedViewSet, mark_no_store
from core.audit.services import audit_record
from core.imports import workbook
from core.imports.api import serializers as s
from core.imports.exports import export_residents
from core.imports.models import ImportJob
from core.imports.services import import_job_create
from core.regions.scoping import scope_for
from core.registry.api.search import IDENTITY_PARAMETERS_NOT_IN_QUERY, refuse_identity_in_query
from core.registry.models import Resident

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REVEAL = "registry.reveal"
XLSX_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="An .xlsx workbook")


def xlsx_response(handle, filename: str) -> FileResponse:
    # Register rows: never kept in a browser's or a proxy's cache.
    return mark_no_store(FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX))


@extend_schema_view(
    list=extend_schema(tags=["registry"], summary="Register imports in my area"),
    retrieve=extend_schema(tags=["registry"], summary="One import: status, progress and counts"),
)
class ImportJobViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    """Upload a register workbook, follow its import, download the template and the error report."""

    queryset = ImportJob.objects.select_related("region")
    serializer_class = s.ImportJobOutput
    action_permissions = {"*": ("registry.import",)}
    carries_personal_data = True
    filter_backends = []
    parser_classes = [MultiPartParser, FormParser]  # an upload; the other actions take no body

    # The latest imports first: what a worker follows; older ones on the next pages.
    default_ordering = "-id"

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=["registry"],
        summary="Upload a register workbook to import",
        request={"multipart/form-data": s.ImportUploadInput},
        responses={201: s.ImportJobOutput},
    )
    def create(self, request):
        upload = s.ImportUploadInput(data=request.data)
        upload.is_valid(raise_exception=True)
        job = import_job_create(
            user=request.user,
            region_id=upload.validated_data["region"],
            upload=upload.validated_data["file"],
            mode=upload.validated_data["mode"],
            language=translation.get_language() or "",
        )
        return Response(s.ImportJobOutput(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["registry"], summary="The import template (.xlsx)", responses={200: XLSX_RESPONSE})
    @action(detail=False, methods=["get"])
    def template(self, request):
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response streams it, then closes it
        workbook.write_template(handle)
        handle.seek(0)
        return xlsx_response(handle, "居民信息导入模板.xlsx")

    @extend_schema(
        tags=["registry"], summary="The rows that were not imported, with why", responses={200: XLSX_RESPONSE}
    )
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        job = self.get_object()
        if not job.report:
            raise NotFound(_("This import has no error report."))
        # The report repeats the uploaded rows, full ID numbers and phones included.
        if job.created_by_id != request.user.pk and not scope_for(request.user).covers(
            job.region_path, REVEAL
        ):
            raise Forbidden(
                _("Only the uploader or someone who may reveal personal data here can download this report.")
            )
        with transaction.atomic():
            handle = job.report.open("rb")
            audit_record(actor=request.user, action="registry.import.report", target=job, request=request)
        return xlsx_response(handle, f"导入错误报告-{job.pk}.xlsx")


class ResidentExportViewSet(ScopedViewSet):
    """The resident list, filtered as in the register, as an .xlsx file (masked unless asked)."""

    queryset = Resident.objects.all()
    action_permissions = {"list": ("registry.export",)}
    carries_personal_data = True

    @property
    def filterset_class(self):
        # The register's own list filters, so an export is exactly the list a worker is looking at.
        from core.registry.filters import ResidentFilter

        return ResidentFilter

    def get_queryset(self):
        return Resident.objects.visible_to(self.request.user, "registry.export")

    @extend_schema(
        tags=["registry"],
        summary="Export the filtered resident list (.xlsx)",
        parameters=[s.ResidentExportQueryInput, *IDENTITY_PARAMETERS_NOT_IN_QUERY],
        responses={200: XLSX_RESPONSE},
    )
    def list(self, request):
        refuse_identity_in_query(request.query_params)  # an ID number or phone: not in an address
        query = s.ResidentExportQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        handle = export_residents(
            user=request.user,
            queryset=self.filter_queryset(self.get_queryset()),
            unmasked=query.validated_data["unmasked"],
            purpose=query.validated_data.get("purpose", ""),
            request=request,
        )
        return xlsx_response(handle, f"居民名单-{timezone.localdate():%Y%m%d}.xlsx")
