"""`make demo` enables the four scenarios in the first demo community and shows their work there."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from core.extensions.demo import first_demo_community
from core.extensions.scenarios import scenario_state_at
from core.regions.models import Region
from core.registry.models import Contact
from scenarios.elderly_alone.models import CareCase
from scenarios.extreme_weather.models import CareVisit
from scenarios.low_income.models import RiskFlag
from scenarios.minors.models import ChildRecord

SCENARIOS = ("low_income", "elderly_alone", "extreme_weather", "minors")


def test_seed_demo_enables_the_four_scenarios_in_the_first_community_with_work_to_see(db, in_process_tasks):
    out = StringIO()
    call_command("seed_demo", "--residents", "400", stdout=out, stderr=StringIO())
    city = Region.objects.filter(level=Region.Level.CITY).order_by("id").first()
    first = first_demo_community(city)
    for key in SCENARIOS:
        assert scenario_state_at(key, first.path).enabled, key
    other = Region.objects.filter(level=Region.Level.COMMUNITY).exclude(pk=first.pk).first()
    if other is not None:
        assert not any(scenario_state_at(key, other.path).enabled for key in SCENARIOS)
    assert RiskFlag.objects.filter(event__isnull=False).exists()
    assert CareCase.objects.filter(step="visit").exists()
    assert {"visit", "patrol"} <= set(CareVisit.objects.values_list("kind", flat=True))
    assert ChildRecord.objects.exists()
    # One child with a guardian on record in the register, the de-facto unattended one without.
    guarded = {
        record.category: Contact.objects.filter(resident=record.resident, kind="guardian").exists()
        for record in ChildRecord.objects.all()
    }
    assert guarded == {"in_difficulty": True, "unattended": False}
    text = out.getvalue()
    assert "low-income monitoring:" in text and "elderly living alone:" in text
    flags = RiskFlag.objects.count()
    call_command("seed_demo", "--residents", "400", stdout=StringIO(), stderr=StringIO())
    assert RiskFlag.objects.count() == flags
