"""Filter types every app's `filters.py` shares.

A number in a query string is bounded here, never in a view: django-filter's NumberFilter takes
any decimal ("99999999999999999999", "1e309"), which overflows the database's integer (a 500)
or makes no year from an age. Every FilterSet uses these instead (tests/hostile checks it).
"""

from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.drainage import set_override

from core.api.params import MAX_AGE, MAX_ID


class IntegerFilter(filters.Filter):
    """An integer within `min_value` and `max_value` (both required); anything else is 400
    naming the filter. The schema states the same bounds, so a client (and the fuzzing) knows them."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int, max_value: int, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)
        set_override(self, "field", {"type": "integer", "minimum": min_value, "maximum": max_value})


class IdFilter(IntegerFilter):
    """An id: ASCII digits, positive, at most a bigint; anything else is 400 naming the filter."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class AgeFilter(IntegerFilter):
    """An age in whole years, 0 to MAX_AGE (a birth date must stay a real date)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_AGE)
        super().__init__(*args, **kwargs)
