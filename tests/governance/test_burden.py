"""社区减负: an upstream form mapped to register columns and a declared metric is generated as an
.xlsx whose figures match the register; a form asking the same fields for the same period is
flagged as a duplicate; the count of fields generated instead of typed is a metric."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core.api.errors import ApplicationError
from core.registry.models import Household, Resident
from governance import burden, statistics
from governance.errors import GovernanceError

FIELDS = [
    {"label": "常住人口", "source": "register", "key": "residents"},
    {"label": "户数", "source": "register", "key": "households"},
    {"label": "60岁以上", "source": "register", "key": "residents_60_plus"},
    {"label": "在议议题", "source": "metric", "key": "governance.topics_open"},
]


def form(world, period="2026-11", fields=FIELDS, office="民政局"):
    return burden.form_register(
        actor=world.street_staff,
        office=office,
        name="社区基本情况月报",
        frequency="monthly",
        period=period,
        fields=fields,
    )


def test_a_generated_report_matches_the_register(world):
    upstream = form(world)
    report, content = burden.report_generate(
        actor=world.community_worker, form=upstream, community=world.community_a.pk
    )
    sheet = load_workbook(io.BytesIO(content)).active
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    living = Resident.objects.filter(region_path__startswith=world.community_a.path, status="active")
    assert rows == {
        "常住人口": living.count(),
        "户数": Household.objects.filter(region_path__startswith=world.community_a.path).count(),
        "60岁以上": 0,
        "在议议题": 0,
    }
    assert rows["常住人口"] == 4 and rows["户数"] == 2  # the world's household of three, and 赵四's
    assert report.fields_generated == 4
    assert statistics.report_fields_generated(world.street) == 4
    assert burden.generated_counts(world.street) == {world.community_a.pk: {"forms": 1, "fields": 4}}


def test_a_request_for_the_same_fields_and_period_is_flagged(world):
    first = form(world)
    again = form(world, fields=list(reversed(FIELDS)), office="统计局")
    other_period = form(world, period="2026-12")
    assert (again.duplicate_of_id, other_period.duplicate_of_id) == (first.pk, None)


def test_a_field_must_map_to_platform_data(world):
    with pytest.raises(ApplicationError) as caught:
        form(world, fields=[{"label": "党员数", "source": "register", "key": "party_members"}])
    assert caught.value.code == GovernanceError.UNKNOWN_SOURCE
