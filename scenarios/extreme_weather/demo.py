"""Demo: a cold-wave warning for the first demo community, with residents living alone tagged."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.extensions.demo import scenario_enable_for_demo
from core.registry.models import Resident, ResidentTag
from scenarios.extreme_weather.models import CareVisit, WeatherWarning
from scenarios.extreme_weather.services import visit_reach, warning_issue


def seed_extreme_weather(city, *, scale) -> str:
    community = scenario_enable_for_demo("extreme_weather", city)
    if community is None or WeatherWarning.objects.filter(reference="DEMO-COLD-1").exists():
        return ""
    # The three youngest (by id among those born the same day: the same three every time).
    for person in Resident.objects.filter(region_path__startswith=community.path, status="active").order_by(
        "-birth_date", "id"
    )[:3]:
        ResidentTag.objects.get_or_create(
            resident=person, tag="registry.living_alone", defaults={"source": "import"}
        )
    now = timezone.now()
    warning = warning_issue(
        actor=None,
        region=community,
        kind="cold",
        level="orange",
        valid_until=now + timedelta(days=2),
        source="feed",
        reference="DEMO-COLD-1",
    )
    first = CareVisit.objects.filter(warning=warning, kind="visit").order_by("id").first()
    if first is not None:
        visit_reach(actor=None, visit=first, note="已送棉被")
    return f"extreme weather: 1 warning, {warning.visits.count()} visits and patrols"
