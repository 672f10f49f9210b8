"""The fast list path (core/api/fast_output.py) gives what the `<Model>Output` serializer gives:
the same keys, the same values, the same masking (a minor's name), for every list that opts in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from rest_framework import serializers

from core.api import fast_output
from core.api.fast_output import serialize_page
from core.api.viewsets import ListViewSet
from core.registry import selectors
from core.registry.api.serializers import ResidentOutput
from core.registry.api.views import ResidentViewSet
from core.registry.models import Resident, ResidentTag
from tests.helpers import client_for
from tests.world import make_resident_record

pytestmark = pytest.mark.django_db
URL = "/api/v1/registry/residents/"


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=3)


@pytest.fixture
def residents(world):
    """A minor with a house, household and tags; an adult with none of them; an old person
    (derived tags) who moved out; a person without a birth date."""
    grid = world.grid_a1
    minor = make_resident_record(
        grid,
        name="李小明",
        birth=_years_ago(9),
        house=world.house_a,
        household=world.household,
        relation=Resident.Relation.CHILD,
        note="在校",
        moved_in_on=date(2020, 3, 1),
    )
    ResidentTag.objects.create(
        resident=minor, tag="registry.disability", attributes={"category": "visual", "grade": 2}
    )
    ResidentTag.objects.create(resident=minor, tag="registry.party_member")
    adult = make_resident_record(grid, name="赵大伟", birth=_years_ago(35), phone="")
    Resident.objects.filter(pk=adult.pk).update(landline_masked="0553-****34")
    old = make_resident_record(
        grid,
        name="钱老",
        birth=_years_ago(85),
        status=Resident.Status.MOVED_OUT,
        moved_out_on=date(2025, 6, 30),
    )
    unknown = make_resident_record(grid, name="孙某")
    Resident.objects.filter(pk=unknown.pk).update(
        birth_date=None, document_type="passport", document_number_masked="E1*****78"
    )
    return {"minor": minor, "adult": adult, "old": old, "unknown": unknown}


def _rows(ids):
    return list(selectors.resident_queryset(Resident.objects.filter(pk__in=ids)).order_by("id"))


def test_resident_rows_match_the_output_serializer(residents):
    rows = _rows([r.pk for r in residents.values()])
    context = {"today": timezone.localdate()}

    fast = serialize_page(ResidentOutput, rows, dict(context))
    slow = ResidentOutput(rows, many=True, context=dict(context)).data

    assert [list(row) for row in fast] == [list(row) for row in slow]  # same keys, same order
    assert fast == [dict(row) for row in slow]
    by_id = {row["id"]: row for row in fast}
    minor, adult = by_id[residents["minor"].pk], by_id[residents["adult"].pk]
    assert minor["name"] == "李**"  # a minor's name leaves masked
    assert adult["name"] == "赵大伟"
    assert minor["household"] == residents["minor"].household_id and minor["house_address"]
    assert adult["household"] is None and adult["house"] is None and adult["house_address"] == ""
    assert {t["key"] for t in minor["tags"]} >= {"registry.disability", "registry.party_member"}
    assert adult["tags"] == [] or all(t["derived"] for t in adult["tags"])
    assert "*" in minor["document_number"] and adult["landline"] == "0553-****34"
    assert isinstance(minor["updated_at"], str) and minor["moved_in_on"] == "2020-03-01"


def test_the_resident_list_answers_through_the_fast_path(world, residents, monkeypatch):
    assert ResidentViewSet.fast_list
    calls = []
    original = fast_output.serialize_page

    def spy(serializer_class, rows, context=None):
        calls.append(serializer_class)
        return original(serializer_class, rows, context)

    monkeypatch.setattr("core.api.viewsets.serialize_page", spy)
    response = client_for(world.community_worker).get(URL)
    assert response.status_code == 200, response.content
    assert calls == [ResidentOutput]
    names = {row["id"]: row["name"] for row in response.json()["results"]}
    assert names[residents["minor"].pk] == "李**"
    assert names[residents["adult"].pk] == "赵大伟"


def _opted_in_lists() -> list[tuple[str, type]]:
    """(URL, view) of every list declaring `fast_list`."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).replace("^", "").replace("$", "")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route, pattern

    found = {}
    for route, pattern in walk(get_resolver().url_patterns, "/"):
        cls = getattr(pattern.callback, "cls", None)
        actions = getattr(pattern.callback, "actions", None) or {}
        if actions.get("get") == "list" and issubclass(cls, ListViewSet) and cls.fast_list:
            found[route] = cls
    return sorted(found.items(), key=lambda item: item[0])


def test_every_opted_in_list_answers_as_its_serializer_would(world, residents, monkeypatch):
    """Each list declaring `fast_list` answers the same body through both paths."""
    opted_in = _opted_in_lists()
    assert URL in dict(opted_in)
    for url, cls in opted_in:
        client = client_for(world.district_staff)
        fast = client.get(url).json()
        monkeypatch.setattr(cls, "fast_list", False)
        slow = client.get(url).json()
        monkeypatch.undo()
        assert fast == slow, url
        if url == URL:  # not vacuous: it holds the rows above
            assert {r.pk for r in residents.values()} <= {row["id"] for row in fast["results"]}


def test_the_resident_list_through_both_paths_is_the_same_body(world, residents, monkeypatch):
    client = client_for(world.community_worker)
    fast = client.get(URL).json()
    monkeypatch.setattr(ResidentViewSet, "fast_list", False)
    slow = client.get(URL).json()
    assert fast == slow
    assert {r.pk for r in residents.values()} <= {row["id"] for row in fast["results"]}


class _LinkOutput(serializers.Serializer):
    id = serializers.IntegerField()
    link = serializers.HyperlinkedIdentityField(view_name="registry-resident-detail")


def test_a_field_that_reads_the_context_refuses_the_plan():
    with pytest.raises(ImproperlyConfigured, match="link"):
        fast_output.plan_for(_LinkOutput)


class _Defaults(serializers.Serializer):
    id = serializers.IntegerField()
    missing = serializers.CharField(source="nowhere.at_all", default="")
    optional = serializers.CharField(source="absent", required=False)
    nested = serializers.SerializerMethodField()

    def get_nested(self, obj) -> str:
        return f"{self.context['prefix']}{obj['id']}"


def test_defaults_skipped_fields_and_methods_behave_as_in_drf():
    rows = [{"id": 1}, {"id": 2, "absent": "here"}]
    context = {"prefix": "#"}
    assert serialize_page(_Defaults, rows, context) == [
        dict(row) for row in _Defaults(rows, many=True, context=context).data
    ]
