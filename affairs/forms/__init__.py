"""Printable forms of an application (.docx): the 审批表 (approval form) and the 告知书 (notice
to the applicant: 一次性告知书, 不予批准告知书, 批准通知书 or 受理通知书 by its stage).

Templates are Word documents with docxtpl tags (affairs/forms/make_templates.py makes the built-in
ones); AFFAIRS_FORM_TEMPLATES_DIR names a folder whose approval.docx / notice.docx replace them.
The forms show the applicant's and members' names in full, so every print is audited.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings

from affairs.models import Application
from core.audit.services import audit_record

KINDS = ("approval", "notice")
BUILT_IN = Path(__file__).resolve().parent / "templates"


def template_path(kind: str) -> Path:
    """The deployment's own template if its folder holds one, else the built-in one."""
    folder = getattr(settings, "AFFAIRS_FORM_TEMPLATES_DIR", "")
    if folder and (Path(folder) / f"{kind}.docx").is_file():
        return Path(folder) / f"{kind}.docx"
    return BUILT_IN / f"{kind}.docx"


def render(application: Application, kind: str, *, actor, request=None) -> bytes:
    """The form as .docx bytes, and an audit row `affairs.application.print`."""
    from docxtpl import DocxTemplate

    from affairs.forms.context import form_context

    if kind not in KINDS:
        raise ValueError(f"unknown form {kind!r}: one of {', '.join(KINDS)}")
    context = form_context(application)
    document = DocxTemplate(str(template_path(kind)))
    # autoescape: what residents typed (notes, names) cannot break the document's XML.
    document.render(context, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    audit_record(
        actor=actor,
        action="affairs.application.print",
        target=application,
        request=request,
        extra={"form": kind, "notice": context["notice"] if kind == "notice" else ""},
    )
    return buffer.getvalue()
