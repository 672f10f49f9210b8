"""When a household member dies or moves out (core.registry.signals.resident_left, sent inside
the register's transaction): the person's own benefits end as of that date, and one
`affairs.benefit_review` event opens for each household that had benefits in force, since the
household's size (and so its per-capita income) changed.

The review counts the leaver's own benefits too: payments made after the date may need to be
recovered even when nothing else remains in force. Idempotent per household, person, reason and
date (`external_ref`), so a repeated signal opens nothing new."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.dispatch import receiver
from django.utils.translation import gettext as _

from affairs.benefits import benefit_end
from affairs.models import Benefit
from core.registry.minors import resident_shown_name
from core.registry.models import Household, Resident
from core.registry.signals import resident_left
from core.workflow.models import Event
from core.workflow.services import event_report

REVIEW = "affairs.benefit_review"


def review_ref(household_id: int, resident_id: int, reason: str, on: date) -> str:
    return f"review:{household_id}:{resident_id}:{reason}:{on.isoformat()}"


@receiver(resident_left, sender=Resident, dispatch_uid="affairs-benefits-on-resident-left")
def on_resident_left(sender, *, resident, household, reason: str, on: date, actor, **kwargs) -> None:
    benefits_after_leaving(resident=resident, household=household, reason=reason, on=on, actor=actor)


def benefits_after_leaving(*, resident, household, reason: str, on: date, actor) -> list[Event]:
    in_force = Benefit.objects.filter(ended_on__isnull=True)
    scope = Q(resident=resident) | (Q(household=household) if household is not None else Q(pk__in=[]))
    household_ids = set(in_force.filter(scope).values_list("household_id", flat=True))
    if not household_ids:
        return []
    items = {
        hid: sorted(set(in_force.filter(household_id=hid).values_list("item__name", flat=True)))
        for hid in household_ids
    }
    end_reason = Benefit.EndReason.DIED if reason == "died" else Benefit.EndReason.MOVED_OUT
    for benefit in in_force.filter(resident=resident):
        benefit_end(benefit, reason=end_reason, actor=actor, on=on)
    opened = []
    for place in Household.objects.filter(pk__in=household_ids).select_related("house", "region"):
        ref = review_ref(place.pk, resident.pk, reason, on)
        if Event.objects.filter(type=REVIEW, external_ref=ref).exists():
            continue
        opened.append(_open_review(place, resident, reason, on, items[place.pk], ref, actor))
    return opened


def _open_review(place: Household, resident, reason: str, on: date, items: list[str], ref: str, actor):
    if reason == "died":
        title = _("Benefit review: a household member died")
        what = _("%(name)s died on %(date)s.")
    else:
        title = _("Benefit review: a household member moved out")
        what = _("%(name)s moved out on %(date)s.")
    description = " ".join(
        [
            what % {"name": resident_shown_name(resident), "date": on.isoformat()},
            _("Benefits in force: %(items)s.") % {"items": "、".join(items)},
        ]
    )
    event, _merged = event_report(
        reporter=actor,
        type_key=REVIEW,
        source=Event.Source.DOMAIN,  # opened by the domain for what an application granted
        title=title,
        description=description,
        house=place.house,
        grid=None if place.house_id else place.region,
        external_ref=ref,
    )
    return event
