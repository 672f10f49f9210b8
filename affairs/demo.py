"""Demo applications for `manage.py seed_demo` (a DemoData contribution): 低保 applications of
households of the first demo community, at each kind of moment in turn (approved with its
benefit, awaiting the street's review, returned for materials, just filed), filed by the demo
community worker on the residents' behalf and moved by the demo accounts, through the same
services as the API.

In proportion to the demo: one application per APPLICATION_PER_RESIDENTS residents asked for
(`seed_demo --residents`), at least one of each moment, at most one per household of the demo
community (the demo accounts act there).

At a city's scale (CITY_SCALE residents and more) the service-made ones are capped at
SERVICED_AT_CITY_SCALE and the rest, up to one application per twenty residents (50,000 at a
million), are written in bulk across the city (affairs.demo_city)."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Q
from django.utils import timezone

from affairs import builtins
from affairs.models import Application, AssistanceStandard, RequiredMaterial, ServiceItem
from affairs.services import application_submit
from affairs.steps import application_step
from core.accounts.models import User
from core.extensions.demo import DemoScale
from core.regions.models import Region
from core.registry.models import Household, Resident

DEMO_PDF = b"%PDF-1.4\n% demo material\n"


def _files(item: ServiceItem) -> dict[str, list]:
    return {
        m.code: [SimpleUploadedFile(f"{m.code}.pdf", DEMO_PDF, content_type="application/pdf")]
        for m in item.materials.filter(mandatory=True)
    }


APPLICATION_PER_RESIDENTS = 500
CITY_SCALE = 50_000
SERVICED_AT_CITY_SCALE = 40


def _households(city: Region, count: int) -> list[Household]:
    """Households of two or more living members in the demo community (the first one's grids)."""
    community = (
        Region.objects.filter(level=Region.Level.COMMUNITY, path__startswith=city.path).order_by("id").first()
    )
    if community is None:
        return []
    living = Count("members", filter=Q(members__status=Resident.Status.ACTIVE))
    return list(
        Household.objects.filter(region_path__startswith=community.path)
        .annotate(living=living)
        .filter(living__gte=2)
        .order_by("region_path", "id")[:count]
    )


def _file(item, household, worker) -> Application:
    members = list(Resident.objects.filter(household=household, status=Resident.Status.ACTIVE).order_by("id"))
    return application_submit(
        actor=worker,
        item=item,
        household=household,
        applicant=members[0],
        members=[{"resident": m.pk, "monthly_income": Decimal(300)} for m in members],
        channel=Application.Channel.COUNTER,
        on_behalf=True,
        files=_files(item),
    )


def _approve(application, worker, street, street2) -> None:
    application_step(application=application, action="intake", actor=worker)
    application_step(application=application, action="investigate", actor=worker, note="入户调查：情况属实")
    application_step(application=application, action="review", actor=street)
    # The demo cannot wait out the seven days of publicity: its dates are moved back.
    yesterday = timezone.localdate() - timedelta(days=1)
    Application.objects.filter(pk=application.pk).update(
        publicity_starts_on=yesterday - timedelta(days=6), publicity_ends_on=yesterday
    )
    application_step(application=application, action="end_publicity", actor=street)
    application_step(application=application, action="confirm", actor=street2, note="同意纳入低保")


def _to_review(application, worker, *_) -> None:
    application_step(application=application, action="intake", actor=worker)
    application_step(application=application, action="investigate", actor=worker, note="入户调查：情况属实")


def _return(application, worker, *_) -> None:
    application_step(application=application, action="intake", actor=worker)
    missing = ["income_proof", "近六个月银行流水"]
    application_step(application=application, action="return", actor=worker, note="请补齐", missing=missing)


# What each demo household's application shows, most telling first (a small demo has few households).
MOMENTS = (
    ("approved", _approve),
    ("in review", _to_review),
    ("returned for materials", _return),
    ("filed", None),
)


def seed_applications(city: Region, *, scale: DemoScale) -> str:
    if Application.objects.exists():
        return ""
    summaries = [_seed_served(city, scale)]
    if scale.residents >= CITY_SCALE:
        from affairs.demo_city import RESIDENTS_PER_APPLICATION, write_applications

        wanted = scale.per(RESIDENTS_PER_APPLICATION) - Application.objects.count()
        made = write_applications(city, count=wanted, seed=scale.seed)
        summaries.append(made.summary() if made.applications else "")
    return "\n".join(summary for summary in summaries if summary)


def _seed_served(city: Region, scale: DemoScale) -> str:
    """The demo community's applications, moved by the demo accounts through the services."""
    accounts = {u.username: u for u in User.objects.filter(username__in=["worker", "street", "street2"])}
    wanted = scale.per(APPLICATION_PER_RESIDENTS, minimum=len(MOMENTS))
    if scale.residents >= CITY_SCALE:
        wanted = min(wanted, SERVICED_AT_CITY_SCALE)
    households = _households(city, wanted)
    if not households or len(accounts) < 3:
        return ""
    builtins.install(ServiceItem, RequiredMaterial, AssistanceStandard)  # gone if the database was flushed
    item = ServiceItem.objects.get(code="dibao")
    actors = (accounts["worker"], accounts["street"], accounts["street2"])
    shown: Counter[str] = Counter()
    for household, (moment, move) in zip(households, itertools.cycle(MOMENTS), strict=False):
        application = _file(item, household, actors[0])
        if move is not None:
            move(application, *actors)
        shown[moment] += 1
    moments = ", ".join(f"{shown[moment]} {moment}" for moment, _move in MOMENTS if shown[moment])
    return f"Demo applications: {shown.total()} 低保 applications ({moments})"
