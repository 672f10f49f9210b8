"""`seed_demo --residents N` hands each part's DemoData loader the scale, and the parts make their
demo data in proportion (government affairs: one application per 500 residents)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from core.extensions import DemoData
from core.extensions.demo import DemoScale
from core.extensions.registry import registry

pytestmark = pytest.mark.django_db

SCALES: list[DemoScale] = []


def record_scale(city, *, scale: DemoScale) -> str:
    SCALES.append(scale)
    return f"Recorded demo at {scale.residents} residents"


def test_seed_demo_passes_the_residents_asked_for_to_every_loader():
    SCALES.clear()
    out = StringIO()
    with registry.temporarily("tests", DemoData(key="tests.record_scale", loader=f"{__name__}.record_scale")):
        call_command("seed_demo", "--residents", "0", stdout=out, stderr=StringIO())
    assert [DemoScale(residents=0)] == SCALES
    assert "Recorded demo at 0 residents" in out.getvalue()


@pytest.mark.parametrize(
    ("residents", "each", "minimum", "expected"),
    [(0, 500, 4, 0), (400, 500, 4, 4), (3000, 500, 4, 6), (1_000_000, 500, 4, 2000)],
)
def test_a_scale_gives_one_record_per_so_many_residents(residents, each, minimum, expected):
    assert DemoScale(residents=residents).per(each, minimum=minimum) == expected


def test_affairs_makes_applications_in_proportion_to_the_residents():
    from affairs.models import Application

    out = StringIO()
    call_command("seed_demo", "--residents", "3000", stdout=out, stderr=StringIO())
    assert Application.objects.count() == 6  # 3,000 residents / 500
    assert "Demo applications: 6 低保 applications (2 approved, 2 in review, 1 returned" in out.getvalue()
    stages = set(Application.objects.values_list("stage", flat=True))
    assert {"approved", "review", "submitted"} <= stages
