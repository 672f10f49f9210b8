"""Identity lookups go in a POST body, never in the address (issue 13).

A query string is written in full by every access log (uvicorn's, runserver's, a proxy's): an ID
number or a phone sent as `?id_number=` or `?phone=` ended up in the server's logs. The register's
list filters are the same in the body of POST /api/v1/registry/residents/search/ (the same
ResidentFilter), and the list and the export refuse those parameters in a GET with a 400 that
names the POST search. Log lines mask what still arrives in an address (core/pii/logging.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from core.api.errors import ApplicationError
from core.api.params import MAX_AGE
from core.api.serializers import IdField, StrictSerializer
from core.pii.validators import validate_id_number, validate_mobile
from core.registry.api.serializers import ResidentOutput
from core.registry.errors import RegistryError
from core.registry.models import Resident

SEARCH_PATH = "/api/v1/registry/residents/search/"
# Filters that carry an identity number whatever their value.
IDENTITY_PARAMETERS = ("id_number", "phone")
# The list's schema leaves them out: they are refused in a query string.
IDENTITY_PARAMETERS_NOT_IN_QUERY = [OpenApiParameter(name, exclude=True) for name in IDENTITY_PARAMETERS]
IDENTITY_IN_QUERY_MESSAGE = _(
    "ID numbers and phone numbers may not be sent in the address, which server logs record: "
    "search with POST /api/v1/registry/residents/search/, the filters in the body."
)


def _is_identity(value: str) -> bool:
    for validate in (validate_id_number, validate_mobile):
        try:
            validate(value)
        except ValidationError:
            continue
        return True
    return False


def refuse_identity_in_query(query_params) -> None:
    """400 (`identity_in_query`) when a GET carries an ID number or a phone: the `id_number` and
    `phone` filters at all, and `q` holding a whole ID number or mobile (its identity lookup)."""
    found = [name for name in IDENTITY_PARAMETERS if query_params.get(name, "") != ""]
    if _is_identity(str(query_params.get("q", "")).strip()):
        found.append("q")
    if found:
        raise ApplicationError(
            IDENTITY_IN_QUERY_MESSAGE,
            code=RegistryError.IDENTITY_IN_QUERY,
            fields={name: [IDENTITY_IN_QUERY_MESSAGE] for name in found},
        )


class ResidentSearchInput(StrictSerializer):
    """The body of the POST search: the register list's filters (ResidentFilter), by name.
    Paging and sorting stay in the query string (`cursor`, `page_size`, `ordering`)."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=32)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    tag = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    age_min = serializers.IntegerField(required=False, min_value=0, max_value=MAX_AGE)
    age_max = serializers.IntegerField(required=False, min_value=0, max_value=MAX_AGE)
    residence_type = serializers.ListField(
        child=serializers.ChoiceField(choices=Resident.ResidenceType.choices), required=False
    )
    status = serializers.ListField(
        child=serializers.ChoiceField(choices=Resident.Status.choices), required=False
    )
    region = IdField(required=False)
    household = IdField(required=False)
    house = IdField(required=False)
    missing_contact = serializers.BooleanField(required=False)


class ResidentSearchOutput(serializers.Serializer):
    """A page of the search, as a page of the list."""

    total = serializers.IntegerField()
    total_is_estimate = serializers.BooleanField()
    next = serializers.URLField(allow_null=True)
    next_cursor = serializers.CharField(allow_null=True)
    results = ResidentOutput(many=True)


def search_filter_data(body) -> dict:
    """The validated body as the filter set's data (lists stay lists, numbers become text)."""
    data = ResidentSearchInput(data=body)
    data.is_valid(raise_exception=True)
    return {
        name: [str(v) for v in value]
        if isinstance(value, list)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
        for name, value in data.validated_data.items()
    }
