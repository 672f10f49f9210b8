"""List pages without DRF's per-field machinery: an output serializer compiled once into a plan.

DRF's `Serializer(page, many=True).data` rebuilds every field of a ModelSerializer on each
request (from the model's meta, deep copies included), then walks each field of each row through
generic attribute lookups: for a page of 20 residents that was about 40% of a request's
in-process time. `serialize_page(Output, rows, context)` reads the same `<Model>Output` serializer
once, compiles it into a flat plan (per field: how to read it, how to convert it), and runs that
plan over the rows. The output is the serializer's, value for value: the same field classes'
`to_representation` convert each value (so a masking field such as ShownNameField still masks),
`SerializerMethodField`s call the same methods with the request's context, nested serializers are
compiled the same way. The `<Model>Output` stays what the schema, retrieve and actions use.

A list opts in by declaring `fast_list = True` on its ListViewSet; the equality of both paths is
asserted by tests (tests/core/api/test_fast_output.py), for every view that opts in.

Only fields known not to depend on the serializer's context are compiled; any other field (a
hyperlink, a file URL, a custom field) refuses the plan with ImproperlyConfigured at the first
request, unless its class says `context_free = True` (it converts a value without reading
`self.context`, `self.parent` or the request).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from rest_framework import fields as f
from rest_framework import relations, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

# Field classes (exact types) whose to_representation reads nothing but the value.
CONTEXT_FREE_FIELDS: frozenset[type] = frozenset(
    {
        f.BooleanField,
        f.CharField,
        f.EmailField,
        f.SlugField,
        f.URLField,
        f.RegexField,
        f.IPAddressField,
        f.UUIDField,
        f.IntegerField,
        f.BigIntegerField,
        f.FloatField,
        f.DecimalField,
        f.DateField,
        f.DateTimeField,
        f.TimeField,
        f.DurationField,
        f.ChoiceField,
        f.MultipleChoiceField,
        f.JSONField,
        f.ReadOnlyField,
        f.ModelField,
    }
)

Reader = Callable[[Any, dict], Any]  # (row, shells) -> the field's output value; may raise SkipField
_plans: dict[type, list[tuple[str, Reader]]] = {}


def _is_context_free(field) -> bool:
    return type(field) in CONTEXT_FREE_FIELDS or getattr(type(field), "context_free", False)


def _model_attribute(serializer, field) -> str | None:
    """The model attribute a field reads directly (a concrete column of the serializer's model,
    source = its own name), or None when DRF's generic lookup is needed."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or len(field.source_attrs) != 1:
        return None
    try:
        model_field = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None
    if not getattr(model_field, "concrete", False):
        return None
    if isinstance(field, relations.PrimaryKeyRelatedField):
        is_fk = isinstance(model_field, models.ForeignKey)
        return model_field.attname if is_fk and field.pk_field is None else None
    if model_field.is_relation:
        return None
    return model_field.attname


def _plain_reader(field, attribute: str | None) -> Reader:
    convert = field.to_representation
    if attribute is not None:

        def read(row, shells):
            value = getattr(row, attribute)
            return None if value is None else convert(value)

        return read
    get = field.get_attribute

    def read_generic(row, shells):
        value = get(row)  # defaults, dotted sources, source="*", SkipField: as DRF does
        return None if value is None else convert(value)

    return read_generic


def _pk_reader(field, attribute: str | None) -> Reader:
    if attribute is not None:
        return lambda row, shells: getattr(row, attribute)
    get = field.get_attribute

    def read(row, shells):
        value = get(row)
        if value is None:
            return None
        return value.pk if isinstance(value, PKOnlyObject | models.Model) else value

    return read


def _method_reader(field, serializer) -> Reader:
    owner = type(serializer)
    method_name = field.method_name

    def read(row, shells):
        return getattr(shells(owner), method_name)(row)

    return read


def _nested_reader(field) -> Reader:
    plan = _compile(field)
    get = field.get_attribute

    def read(row, shells):
        value = get(row)
        return None if value is None else _row(plan, value, shells)

    return read


def _nested_list_reader(field) -> Reader:
    plan = _compile(field.child)
    get = field.get_attribute

    def read(row, shells):
        value = get(row)
        if value is None:
            return None
        items = value.all() if isinstance(value, models.manager.BaseManager) else value
        return [_row(plan, item, shells) for item in items]

    return read


def _reader(name: str, field, serializer) -> Reader:
    if isinstance(field, serializers.SerializerMethodField):
        return _method_reader(field, serializer)
    if isinstance(field, serializers.ListSerializer):
        return _nested_list_reader(field)
    if isinstance(field, serializers.Serializer):
        return _nested_reader(field)
    if type(field) is relations.PrimaryKeyRelatedField:
        return _pk_reader(field, _model_attribute(serializer, field))
    if _is_context_free(field):
        return _plain_reader(field, _model_attribute(serializer, field))
    raise ImproperlyConfigured(
        f"{type(serializer).__name__}.{name} is a {type(field).__name__}, which a fast list cannot"
        " compile: give its class `context_free = True` if it reads no context, or drop `fast_list`."
    )


def _compile(serializer) -> list[tuple[str, Reader]]:
    return [
        (name, _reader(name, field, serializer))
        for name, field in serializer.fields.items()
        if not field.write_only
    ]


def plan_for(serializer_class) -> list[tuple[str, Reader]]:
    """The compiled plan of an output serializer (built once per class, then shared)."""
    plan = _plans.get(serializer_class)
    if plan is None:
        plan = _plans[serializer_class] = _compile(serializer_class())
    return plan


def _row(plan, row, shells) -> dict:
    out = {}
    for name, read in plan:
        try:
            out[name] = read(row, shells)
        except SkipField:
            continue
    return out


def serialize_page(serializer_class, rows, context: dict | None = None) -> list[dict]:
    """What `serializer_class(rows, many=True, context=context).data` gives, without DRF's
    per-field machinery."""
    plan = plan_for(serializer_class)
    context = context or {}
    made: dict[type, Any] = {}

    def shells(owner):
        # One instance of each serializer owning a method field, carrying the request's context.
        shell = made.get(owner)
        if shell is None:
            shell = made[owner] = owner(context=context)
        return shell

    return [_row(plan, row, shells) for row in rows]
