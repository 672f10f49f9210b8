"""低保 applications filed and moved through their steps by the real services, on the `world` of
tests/affairs/conftest.py: in publicity, approved (for the forms, publicity and benefits tests)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from affairs.models import Application, ServiceItem
from affairs.services import application_submit
from affairs.steps import application_step
from tests.affairs.helpers import pdf

# Who takes each step in the conftest's world (the street reviews and, as another person, confirms).
STEP_ACTORS = {
    "intake": "community_worker",
    "investigate": "community_worker",
    "review": "street_staff",
    "end_publicity": "street_staff",
    "confirm": "street_staff_2",
    "reject": "street_staff",
    "return": "community_worker",
}
NOTES = {"investigate": "入户调查属实", "reject": "家庭人均收入高于低保标准", "return": "请补充材料"}


def file_dibao(world, *, incomes=(0, 0, 0), actor=None) -> Application:
    """A 低保 application of the world's household, filed at the counter by the community worker."""
    item = ServiceItem.objects.prefetch_related("materials").get(code="dibao")
    files = {m.code: [pdf()] for m in item.materials.all() if m.mandatory}
    people = [world.applicant, world.spouse, world.child]
    return application_submit(
        actor=actor or world.community_worker,
        item=item,
        household=world.household,
        applicant=world.applicant,
        members=[
            {"resident": p.pk, "monthly_income": Decimal(str(i))}
            for p, i in zip(people, incomes, strict=False)
        ],
        channel=Application.Channel.COUNTER,
        on_behalf=True,
        files=files,
        financial_assets=Decimal("3000"),
        vehicles=0,
        extra_houses=0,
    )


def take(world, application: Application, *actions: str, **kwargs) -> Application:
    for action in actions:
        if action == "end_publicity":
            Application.objects.filter(pk=application.pk).update(
                publicity_ends_on=timezone.localdate() - timedelta(days=1)
            )
        application = application_step(
            application=application,
            action=action,
            actor=getattr(world, STEP_ACTORS[action]),
            note=NOTES.get(action, ""),
            **kwargs,
        )
    return application


def in_publicity(world, **kwargs) -> Application:
    return take(world, file_dibao(world, **kwargs), "intake", "investigate", "review")


def approved(world) -> Application:
    return take(world, in_publicity(world), "end_publicity", "confirm")
