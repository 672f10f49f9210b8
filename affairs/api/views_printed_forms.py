"""GET /api/v1/affairs/applications/{id}/forms/{approval|notice}/: the printable form as .docx.

A mixin for ApplicationViewSet: the application comes from `self.get_object()` (scoped: out of
scope is 404), the permission key is "forms" in the viewset's action_permissions.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action

from affairs import forms
from core.api.viewsets import mark_no_store

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Who may print: staff who see the application, and the applicant's side (the notice is theirs).
FORMS_PERMISSION = {"forms": ("affairs.view", "affairs.view_own")}


class ApplicationFormsMixin:
    @extend_schema(
        tags=["affairs"],
        responses={(200, DOCX): OpenApiResponse(description="the form as a Word document")},
    )
    @action(detail=True, methods=["get"], url_path=r"forms/(?P<kind>approval|notice)", url_name="forms")
    def forms(self, request, pk=None, kind=None):
        """The 审批表 (approval) or the 告知书 (notice, by the application's stage); audited."""
        application = self.get_object()
        content = forms.render(application, kind, actor=request.user, request=request)
        response = HttpResponse(content, content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="application-{application.pk}-{kind}.docx"'
        response["X-Content-Type-Options"] = "nosniff"
        return mark_no_store(response)
