"""Who hears about an application's step: the applicant through the channel they chose, and the
staff of the level whose turn it is now. Notices go through core.notices."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from affairs.models.applications import Stage
from affairs.stages import STAGE_LEVEL
from core.accounts.roles import Role
from core.regions.models import Region
from core.regions.paths import id_at

# The roles that act at each level of an application's path.
LEVEL_ROLES = {
    Region.Level.COMMUNITY: (Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY),
    Region.Level.STREET: (Role.STREET_STAFF,),
    Region.Level.DISTRICT: (Role.DISTRICT_STAFF,),
}


def link(application) -> dict:
    return {
        "type": "affairs.application",
        "id": application.pk,
        "url": f"/api/v1/affairs/applications/{application.pk}/",
    }


def _notify(**kwargs):
    from core.notices.services import notify

    kwargs["title"] = str(kwargs["title"])[:200]
    return notify(**kwargs)


def applicant_users(application):
    """The accounts of the applicant's side: whoever filed it if a resident, and the accounts
    bound to the applicant."""
    from core.accounts.models import ResidentBinding, User

    bound = ResidentBinding.objects.filter(resident_id=application.applicant_id).values("user_id")
    users = User.objects.filter(pk__in=bound, is_active=True)
    if application.applied_by_id and not application.on_behalf:
        users = users | User.objects.filter(pk=application.applied_by_id, is_active=True)
    return users.distinct()


def step_title(application, action: str) -> str:
    if action == "return":
        return str(_("%(item)s: more materials are needed") % {"item": application.item.name})
    stage = application.get_stage_display()
    return str(_("%(item)s: %(stage)s") % {"item": application.item.name, "stage": stage})


def step_taken(application, *, action: str, actor, stage_changed: bool) -> None:
    title = step_title(application, action)
    body = "、".join(str(m) for m in application.missing) if action == "return" else application.decision_note
    accounts = applicant_users(application)
    for user in accounts.exclude(pk=getattr(actor, "pk", None)):
        _notify(
            kind="affairs.application",
            title=title,
            body=body[:500],
            user=user,
            link=link(application),
            channels=[application.notify_channel],
        )
    if application.on_behalf:
        _tell_filer(application, title=title, body=body, actor=actor, applicant_has_account=accounts.exists())
    # The staff whose turn it is: the stage moved to their level, or the materials they awaited came.
    if application.stage in STAGE_LEVEL and (stage_changed or action == "supplement"):
        _tell_level(application)


def _tell_filer(application, *, title, body, actor, applicant_has_account: bool) -> None:
    """代办: the worker who filed it hears of each step (to tell the resident); an applicant
    without an account who chose SMS gets a notice addressed to their record, which core.notices
    sends to the mobile in it."""
    if application.applied_by_id and application.applied_by_id != getattr(actor, "pk", None):
        _notify(
            kind="affairs.application",
            title=title,
            body=body[:500],
            user=application.applied_by,
            link=link(application),
        )
    if not applicant_has_account and application.notify_channel == "sms":
        # To the record itself: core.notices reaches it at the record's mobile by SMS.
        _notify(
            kind="affairs.application",
            title=title,
            body=body[:500],
            resident=application.applicant,
            link=link(application),
            channels=["sms"],
        )


def _tell_level(application) -> None:
    if application.stage == Stage.PUBLICITY:
        return
    level = getattr(application.item, STAGE_LEVEL[application.stage])
    region = Region.objects.filter(pk=id_at(application.region_path, level), level=level).first()
    if region is None:
        return
    title = _("Application waiting for you: %(item)s") % {"item": application.item.name}
    for role in LEVEL_ROLES.get(level, ()):
        _notify(
            kind="affairs.application_turn",
            title=title,
            body="",
            region=region,
            role=role,
            link=link(application),
        )
