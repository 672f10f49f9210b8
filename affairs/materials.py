"""Materials of an application: files on its event (private storage, scoped and audited
download), labelled with the item's material code, or "investigation" for the photos of the
home investigation."""

from __future__ import annotations

from django.utils.translation import gettext as _

from affairs.actors import acts_at_level, is_applicant_side
from affairs.errors import AffairsError
from affairs.models import Application
from affairs.stages import FINAL_STAGES
from core.api.errors import Conflict, Forbidden, field_error
from core.workflow.attachments import attachment_add

INVESTIGATION = "investigation"


def material_add(*, application: Application, code: str, upload, actor, request=None):
    if application.stage in FINAL_STAGES:
        raise Conflict(
            _("This application is closed; nothing can be added to it."), code=AffairsError.APPLICATION_CLOSED
        )
    staff = acts_at_level(actor, application.region_path, application.item.receive_level) or any(
        acts_at_level(actor, application.region_path, level)
        for level in {application.item.review_level, application.item.confirm_level}
    )
    if code == INVESTIGATION:
        if not staff:
            raise Forbidden(_("Only the staff handling it add investigation photos."))
    elif not application.item.materials.filter(code=code).exists():
        raise field_error("material", _("This item asks for no such material."))
    elif not (staff or is_applicant_side(actor, application)):
        raise Forbidden(_("Your role may not add materials to this application."))
    return attachment_add(event=application.event, upload=upload, actor=actor, label=code, request=request)
