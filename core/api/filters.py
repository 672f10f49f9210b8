"""Filter types every app's `filters.py` shares."""

from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters

from core.api.params import MAX_ID_DIGITS


class IdFilter(filters.Filter):
    """An id: ASCII digits, positive, at most a bigint; anything else is 400 naming the filter."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 10**MAX_ID_DIGITS - 1)
        super().__init__(*args, **kwargs)
