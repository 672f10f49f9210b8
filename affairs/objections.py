"""Objections to an application during its publicity (公示): raised by a resident of the
community online, or recorded by staff from a letter or a visit; each is settled (upheld or not)
before the publicity can end (affairs.steps checks it). An upheld objection leaves only rejection.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from affairs import announce
from affairs.actors import acts_at_level
from affairs.errors import AffairsError
from affairs.models import Application, Objection
from affairs.models.applications import Stage
from affairs.stages import STAGE_LEVEL
from affairs.steps import forbidden
from core.api.errors import Conflict, field_error
from core.audit.services import audit_record
from core.notices.services import notify
from core.regions.models import Region
from core.regions.paths import id_at

MAX_CONTENT = 2000


def _clean_text(field: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, _("This field may not be blank."))
    if len(value) > MAX_CONTENT:
        raise field_error(field, _("Write at most 2000 characters."))
    return value


def objection_raise(
    application: Application,
    *,
    content: str,
    received_on: date | None = None,
    actor,
    one_open_per_person: bool = False,
    request=None,
) -> Objection:
    """Record an objection to an application in publicity (409 `not_in_publicity` otherwise)."""
    content = _clean_text("content", content)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise field_error("received_on", _("This date is in the future."))
    with transaction.atomic():
        # The application's row serialises objections with the step that ends the publicity.
        application = (
            Application.objects.select_for_update(of=("self",)).select_related("item").get(pk=application.pk)
        )
        if application.stage != Stage.PUBLICITY:
            raise Conflict(
                _("Objections are received only while the application is publicly posted."),
                code=AffairsError.NOT_IN_PUBLICITY,
            )
        if (
            one_open_per_person
            and application.objections.filter(recorded_by=actor, upheld__isnull=True).exists()
        ):
            raise Conflict(
                _("Your objection to this application is being looked into."),
                code=AffairsError.OBJECTION_PENDING,
            )
        objection = Objection.objects.create(
            application=application, content=content, received_on=received_on, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="affairs.objection.raise",
            target=application,
            request=request,
            extra={"objection": objection.pk},
        )
        _tell_reviewers(application)
    return objection


def check_reviewing_level(actor, application: Application) -> None:
    """Recording and settling objections is the business of the level that reviewed the
    application (where the publicity is held): 403 for anyone else."""
    if not acts_at_level(actor, application.region_path, application.item.review_level):
        raise forbidden()


def objection_settle(
    objection: Objection, *, upheld: bool, resolution: str, actor, request=None
) -> Objection:
    """Settle an objection once (409 `objection_settled` if it already was)."""
    resolution = _clean_text("resolution", resolution)
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("application").get(pk=objection.pk)
        if objection.upheld is not None:
            raise Conflict(_("This objection has already been settled."), code=AffairsError.OBJECTION_SETTLED)
        objection.upheld, objection.resolution, objection.resolved_by = bool(upheld), resolution, actor
        objection.save(update_fields=["upheld", "resolution", "resolved_by"])
        audit_record(
            actor=actor,
            action="affairs.objection.settle",
            target=objection.application,
            request=request,
            extra={"objection": objection.pk, "upheld": objection.upheld},
        )
    return objection


def _tell_reviewers(application: Application) -> None:
    """The staff of the level running the publicity must settle the objection before it ends."""
    level = getattr(application.item, STAGE_LEVEL[Stage.PUBLICITY])
    region = Region.objects.filter(pk=id_at(application.region_path, level), level=level).first()
    if region is None:
        return
    title = _("Objection to settle: %(item)s") % {"item": application.item.name}
    for role in announce.LEVEL_ROLES.get(level, ()):
        notify(
            kind="affairs.application_turn",
            title=title[:200],
            body="",
            region=region,
            role=role,
            link=announce.link(application),
        )
