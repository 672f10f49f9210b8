"""A list's FilterSet built with only the filters its request names.

django-filter deep-copies every declared filter and builds a form class and a form field for
each of them on every request, whether or not the query string names it: for the resident list
(14 filters) that was about 4 ms a request. A filter the query string does not name is a no-op
(its value is empty), so the FilterSet is built here with only the filters the request names (a
subclass per combination, made once), and not at all when it names none. The result is the same
queryset; only FilterSets that keep django-filter's own `qs` and `filter_queryset` and have no
required filter are narrowed (anything else runs whole, as before).
"""

from __future__ import annotations

from functools import cache, lru_cache

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import filterset, utils
from django_filters.rest_framework import DjangoFilterBackend

_NOTHING = object()


@cache
def _plain(filterset_class) -> bool:
    return (
        filterset_class.qs is filterset.BaseFilterSet.qs
        and filterset_class.filter_queryset is filterset.BaseFilterSet.filter_queryset
        and not any(f.extra.get("required") for f in filterset_class.base_filters.values())
    )


def _named(names: frozenset[str], keys: frozenset[str]) -> frozenset[str]:
    # A filter's form may read several parameters (a range: name_min, name_max), all named after it.
    return frozenset(name for name in names if any(key.startswith(name) for key in keys))


def narrowed(filterset_class, keys):
    """The FilterSet class with only the filters these query parameters name; None when they name
    none (nothing to filter); the class itself when it cannot be narrowed safely."""
    if not _plain(filterset_class):
        return filterset_class
    names = frozenset(filterset_class.base_filters)
    used = _named(names, frozenset(keys))
    if not used:
        return None
    return filterset_class if used == names else _subclass(filterset_class, used)


@lru_cache(maxsize=512)
def _subclass(filterset_class, used: frozenset[str]):
    subclass = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    subclass.base_filters = {k: v for k, v in filterset_class.base_filters.items() if k in used}
    return subclass


def refuse_unread_values(filterset, query_params) -> None:
    """Add a form error for each value the query string names that django-filter would drop
    without a word, so the list answers 400 naming the filter (as the schema says: an integer, a
    boolean, a date, one of the choices) instead of the whole unfiltered list:
    an empty value of a typed filter (`?year=`, `?resident=`; text filters take "" as no filter),
    and a boolean its widget does not read (`?active=maybe`, `?active=-2.5`)."""
    form = filterset.form
    for name, field in form.fields.items():
        raw = query_params.get(name)
        if raw is None or name in form.errors:
            continue
        if raw == "" and not isinstance(field, forms.CharField):
            message = _("Give a value, or leave the parameter out.")
        elif (
            raw != ""
            and isinstance(field, forms.NullBooleanField)
            and field.widget.value_from_datadict(query_params, None, name) is None
        ):
            message = _("Enter true or false.")
        else:
            continue
        form.add_error(name, forms.ValidationError(message, code="invalid"))


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend (REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]), refusing the values
    its forms would ignore (refuse_unread_values) with the same 400 as any invalid filter."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        filterset.is_valid()
        refuse_unread_values(filterset, request.query_params)
        if filterset.errors and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs


class NarrowFilterBackend(FilterBackend):
    """DjangoFilterBackend building the view's FilterSet with only the filters the request names."""

    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        if filterset_class is getattr(view, "filterset_class", _NOTHING):  # declared: cacheable
            filterset_class = narrowed(filterset_class, request.query_params.keys())
            if filterset_class is None:
                return None
        return filterset_class(**self.get_filterset_kwargs(request, queryset, view))
