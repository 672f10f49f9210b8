"""Filters of the resident list (also used by the export): name, pinyin, exact ID or phone,
tags, age, residence type, status, region subtree, and ordering on the listed fields."""

from __future__ import annotations

import operator
from functools import reduce

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Reverse
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.api.filters import AgeFilter, IdFilter
from core.pii.validators import validate_id_number, validate_mobile
from core.regions.models import Region
from core.registry.contributions import ADULT_AGE, ELDERLY_AGE
from core.registry.identity import document_index, mobile_index
from core.registry.models import (
    Building,
    Compound,
    Contact,
    House,
    Household,
    PlaceName,
    PlaceNameAlias,
    Resident,
    ResidentTag,
    Tenancy,
    Transfer,
)
from core.registry.place_pinyin import search_key
from core.registry.tags import age_q, derived_tag_q, tag_kinds

# ordering parameter value → model field; the keyset paginator adds id as the tie-breaker.
RESIDENT_ORDERING = {
    "name": "name_pinyin",
    "birth_date": "birth_date",
    "residence_type": "residence_type",
    "status": "status",
    "created_at": "created_at",
    "id": "id",
}


@extend_schema_field(OpenApiTypes.STR)
class TagFilter(filters.MultipleChoiceFilter):
    """Tag keys, declared through the extension contract (choices known only at start-up)."""


def _tag_choices():
    return [(key, kind.name) for key, kind in sorted(tag_kinds().items())]


def needs_contact_q(today) -> Q:
    """Residents who should have a guardian or emergency contact: minors, and elderly people
    living alone (the tag), while they live here."""
    living_alone = ResidentTag.objects.current(today).filter(
        resident=OuterRef("pk"), tag="registry.living_alone"
    )
    return Q(status=Resident.Status.ACTIVE) & (
        age_q(max_age=ADULT_AGE, today=today)
        | (age_q(min_age=ELDERLY_AGE, today=today) & Exists(living_alone))
    )


def _as_id_number(value: str) -> str | None:
    try:
        return validate_id_number(value)
    except ValidationError:
        return None


def _as_mobile(value: str) -> str | None:
    try:
        return validate_mobile(value)
    except ValidationError:
        return None


def _document_is(kind: str, number: str) -> Q:
    """Exact match through the unique (document_type, blind index) index: both columns and its
    condition, so PostgreSQL uses it instead of scanning the table."""
    return Q(document_type=kind, document_number_index=document_index(kind, number)) & ~Q(
        document_number_index=""
    )


# Resident search: what each kind of query matches, and the index that answers it on PostgreSQL
# (a plan test holds each one: tests/core/registry/test_search_plans.py).
#
# - A name of 1 or 2 characters (张, 张伟, 小明) matches names that START or END with it
#   (resident_name_prefix_idx, resident_name_suffix_idx on reverse(name)). For names of up to
#   three characters, nearly all of them, a 2-character query so finds every name containing it
#   (张伟 → 张伟, 张伟民; 小明 → 王小明), and a single character finds the surname or the last
#   character of the given name (张 → 张三; 三 → 张三). A character in the middle of a longer name
#   is not found by a 1–2 character query: such a "contains" has no index (no trigram exists for
#   fewer than three characters) and would read every resident of the city.
# - 3 characters or more: names CONTAINING it (the trigram index, resident_name_trgm_idx).
# - Latin letters (zs, zhangsan, ZhangS): full pinyin or initials STARTING with them, without
#   case or spaces (resident_pinyin_prefix_idx, resident_initials_prefix_idx); from 3 characters
#   on, a Latin-script name containing them too (the trigram index).
# - A valid ID number or mobile: that exact number (their blind indexes).
#
# Each alternative of an OR is one indexed condition, so PostgreSQL combines index scans
# (BitmapOr) instead of scanning the table; the prefix indexes carry the region path as second
# column, so a street's or a community's matches are picked out in the index itself.
SHORT_NAME = 2


def name_q(text: str) -> Q:
    """Residents whose name matches `text` as described above (start/end, or contains)."""
    text = text.strip()
    if not text:
        return Q()
    if len(text) <= SHORT_NAME:
        return Q(name__startswith=text) | Q(StartsWith(Reverse("name"), text[::-1]))
    return Q(name__contains=text)


def pinyin_q(text: str) -> Q | None:
    """Full pinyin or initials starting with `text` (letters and digits, any case, spaces
    ignored), or None when `text` is not such a query."""
    letters = "".join(text.split()).lower()
    if not (letters and letters.isascii() and letters.isalnum()):
        return None
    return Q(name_pinyin__startswith=letters) | Q(name_initials__startswith=letters)


def id_number_q(value: str) -> Q:
    """Exactly this document number: an ID card's when it is a valid one, otherwise any other
    document type's."""
    id_number = _as_id_number(value)
    if id_number:
        return _document_is("id_card", id_number)
    kinds = [kind for kind in Resident.DocumentType.values if kind != "none"]
    return reduce(operator.or_, (_document_is(kind, value.strip()) for kind in kinds))


def phone_q(value: str) -> Q:
    """Exactly this mobile number (nothing when it is not one)."""
    mobile = _as_mobile(value)
    return Q(mobile_index=mobile_index(mobile)) if mobile else Q(pk__in=[])


def search_q(value: str) -> Q:
    """What the resident list's `q` matches: an exact ID number or mobile, else a name or its
    pinyin (see the comment above name_q)."""
    value = value.strip()
    if not value:
        return Q()
    id_number = _as_id_number(value)
    if id_number:
        return _document_is("id_card", id_number)
    mobile = _as_mobile(value)
    if mobile and value.replace(" ", "").replace("-", "").lstrip("+").isdigit():
        return Q(mobile_index=mobile_index(mobile))
    pinyin = pinyin_q(value)
    if pinyin is None:
        return name_q(value)
    if len(value) > SHORT_NAME:
        # A Latin-script name ("John Smith" found by "Smith"); short ones are covered by pinyin.
        return pinyin | Q(name__contains=value)
    return pinyin


class ResidentFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="filter_q",
        label=_(
            "Name, pinyin, initials, ID number or mobile. A name of 1–2 characters matches names "
            "starting or ending with it, 3 or more characters names containing it; pinyin and "
            "initials match from the start; ID number and mobile match exactly."
        ),
    )
    name = filters.CharFilter(
        method="filter_name",
        label=_(
            "Name: 1–2 characters match names starting or ending with them, 3 or more names containing them"
        ),
    )
    id_number = filters.CharFilter(method="filter_id_number", label=_("ID number (exact)"))
    phone = filters.CharFilter(method="filter_phone", label=_("Mobile (exact)"))
    tag = TagFilter(choices=_tag_choices, method="filter_tags", label=_("Tags (all of them)"))
    age_min = AgeFilter(method="filter_age_min", label=_("Age at least"))
    age_max = AgeFilter(method="filter_age_max", label=_("Age at most"))
    residence_type = filters.MultipleChoiceFilter(choices=Resident.ResidenceType.choices)
    status = filters.MultipleChoiceFilter(choices=Resident.Status.choices)
    region = IdFilter(method="filter_region", label=_("Region (its whole subtree)"))
    household = IdFilter(field_name="household_id")
    house = IdFilter(field_name="house_id")
    missing_contact = filters.BooleanFilter(
        method="filter_missing_contact",
        label=_("Minors and elderly people living alone without any contact (true)"),
    )
    ordering = filters.OrderingFilter(fields=tuple((field, key) for key, field in RESIDENT_ORDERING.items()))

    class Meta:
        model = Resident
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_q(value))

    def filter_name(self, queryset, name, value):
        return queryset.filter(name_q(value))

    def filter_id_number(self, queryset, name, value):
        return queryset.filter(id_number_q(value))

    def filter_phone(self, queryset, name, value):
        return queryset.filter(phone_q(value))

    def filter_tags(self, queryset, name, values: list[str]):
        kinds = tag_kinds()
        today = timezone.localdate()
        for key in values:
            kind = kinds[key]
            if kind.derived:
                queryset = queryset.filter(derived_tag_q(kind, today))
            else:
                current = ResidentTag.objects.current(today).filter(resident=OuterRef("pk"), tag=key)
                queryset = queryset.filter(Exists(current))
        return queryset

    def filter_age_min(self, queryset, name, value):
        return queryset.filter(age_q(min_age=int(value), today=timezone.localdate()))

    def filter_age_max(self, queryset, name, value):
        return queryset.filter(age_q(max_age=int(value) + 1, today=timezone.localdate()))

    def filter_region(self, queryset, name, value):
        path = Region.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(region_path__startswith=path) if path else queryset.none()

    def filter_missing_contact(self, queryset, name, value):
        # A care worker's to-do list; "false" does not narrow (everyone else is not one list).
        if not value:
            return queryset
        has_contact = Contact.objects.filter(resident=OuterRef("pk"))
        return queryset.filter(needs_contact_q(timezone.localdate())).filter(~Exists(has_contact))


class PlacedFilter(filters.FilterSet):
    """Common to places and housing: a region subtree and a text search."""

    region = IdFilter(method="filter_region", label=_("Region (its whole subtree)"))
    q = filters.CharFilter(method="filter_q", label=_("Search"))
    search_fields: tuple[str, ...] = ("name",)

    def filter_region(self, queryset, name, value):
        path = Region.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(region_path__startswith=path) if path else queryset.none()

    def filter_q(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__contains": value.strip()})
        return queryset.filter(condition)


class PlaceNameFilter(PlacedFilter):
    """`name` (and `q`) find a place by its name in use, its standard name, its pinyin (with or
    without spaces and tone-free: "binjiang lu", "Binjiang") or a former name or alias."""

    name = filters.CharFilter(method="filter_q", label=_("Name, pinyin, former name or alias"))
    national_code = filters.CharFilter(field_name="national_code")
    proposed = filters.BooleanFilter(
        field_name="proposed_at", lookup_expr="isnull", exclude=True, label=_("Waiting for approval")
    )

    class Meta:
        model = PlaceName
        fields = ["kind", "status"]

    def filter_q(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        condition = Q(name__contains=text) | Q(standard_name__contains=text)
        key = search_key(text)
        if key:
            condition |= Q(pinyin_key__contains=key)
        condition |= Exists(PlaceNameAlias.objects.filter(place_name=OuterRef("pk"), name__contains=text))
        return queryset.filter(condition)


class CompoundFilter(PlacedFilter):
    class Meta:
        model = Compound
        fields = []


# Foreign-key filters take a bare id (NumberFilter): a ModelChoiceFilter over the unscoped model
# answers 400 for an unknown id but 200 for an out-of-scope one, which tells that it exists.


class BuildingFilter(PlacedFilter):
    compound = IdFilter(field_name="compound_id")

    class Meta:
        model = Building
        fields = []


# House and household search (a plan test holds each: tests/core/registry/test_domain_search_plans.py):
#
# - An address CONTAINING the query: from 3 characters on through the trigram indexes
#   house_address_trgm_idx and household_address_trgm_idx (PostgreSQL). A query of 1–2
#   characters has no trigram and reads the listed scope: every address of a city starts with its
#   city and district, so an "address starts with" index, as the resident name's, would not pick
#   anything out; and 1–2 characters of an address (栋, 12) match thousands of houses anyway.
# - A household number STARTING with the query, through its varchar_pattern_ops index (numbers
#   are typed from the start; a number's middle is no way to find a household).
#
# The household search ORs the two: each side is one indexed condition, so PostgreSQL combines
# the index scans (BitmapOr) instead of scanning the table.


class HouseFilter(PlacedFilter):
    q = filters.CharFilter(method="filter_q", label=_("Address (containing it)"))
    search_fields = ("address",)
    building = IdFilter(field_name="building_id")

    class Meta:
        model = House
        fields = ["unit", "occupancy", "use"]


class HouseholdFilter(PlacedFilter):
    q = filters.CharFilter(
        method="filter_q", label=_("Household number (from its start) or registered address (containing it)")
    )
    house = IdFilter(field_name="house_id")

    class Meta:
        model = Household
        fields = []

    def filter_q(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(number__startswith=text) | Q(registered_address__contains=text))


class CurrentFilter(filters.FilterSet):
    """Rows with dates (tags, tenancies): `current=true` keeps those in force today."""

    current = filters.BooleanFilter(method="filter_current", label=_("Current only"))

    def filter_current(self, queryset, name, value):
        return queryset.current() if value else queryset


class ResidentTagFilter(CurrentFilter):
    resident = IdFilter(field_name="resident_id")

    class Meta:
        model = ResidentTag
        fields = ["tag", "source"]


class TenancyFilter(CurrentFilter):
    resident = IdFilter(field_name="resident_id")
    house = IdFilter(field_name="house_id")
    owner = IdFilter(field_name="owner_id")

    class Meta:
        model = Tenancy
        fields = []


class TransferFilter(filters.FilterSet):
    resident = IdFilter(field_name="resident_id")

    class Meta:
        model = Transfer
        fields = ["status"]


class ContactFilter(filters.FilterSet):
    resident = IdFilter(field_name="resident_id")

    class Meta:
        model = Contact
        fields = ["kind"]
