"""What a placed row does when its region moves: every placed model says so, and the re-path reads it.

A placed model carries a region path (`region_path`, usually with its `region`). When a grid
moves to another community, or a community merges into another, the paths under the old node
change. Each placed model declares, in a class attribute `on_region_move`, one of:

- `FollowsRegion(current=...)`: its current rows move with the region; the others are history
  and keep the path they had. `current` is a Q, the name of a queryset method ("open"), or
  None for every row. `paths` names the path fields and the region field of each (a model with
  two places, like a transfer, has two).
- `KeepsRegion(reason)`: no row ever moves (an append-only record of what happened there).

`core.regions.services` re-paths every follower it finds among the installed models, so a new
domain's model is covered without editing core. A model with a `region_path` field and no
declaration stops start-up (`check_declarations`, run by the regions app), naming the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Q

DECLARATION = "on_region_move"
PATH_FIELD = "region_path"


@dataclass(frozen=True)
class FollowsRegion:
    """Current rows follow their region; the rest keep their historic path."""

    current: Q | str | None = None
    # (path field, its region foreign key or None): the foreign key moves too when communities merge.
    paths: tuple[tuple[str, str | None], ...] = ((PATH_FIELD, "region"),)

    def current_rows(self, model: type[models.Model]) -> models.QuerySet:
        rows = model._default_manager.all()
        if isinstance(self.current, str):
            return getattr(rows, self.current)()
        return rows.filter(self.current) if self.current is not None else rows


@dataclass(frozen=True)
class KeepsRegion:
    """No row moves: each records where something happened."""

    reason: str


Declaration = FollowsRegion | KeepsRegion


def is_placed(model: type[models.Model]) -> bool:
    """A model with a region path of its own, or one that declares how its rows move."""
    if model._meta.abstract or model._meta.proxy:
        return False
    has_path = any(field.name == PATH_FIELD for field in model._meta.concrete_fields)
    return has_path or hasattr(model, DECLARATION)


def declaration_problems(model: type[models.Model]) -> list[str]:
    """What is wrong with a placed model's declaration (empty when it is sound)."""
    label = model._meta.label
    declaration = getattr(model, DECLARATION, None)
    if declaration is None:
        return [
            f"{label} carries a region path but does not declare {DECLARATION} "
            "(FollowsRegion(current=...) or KeepsRegion(reason) from core.regions.placement)"
        ]
    if isinstance(declaration, KeepsRegion):
        return [] if declaration.reason else [f"{label}: KeepsRegion needs a reason"]
    if not isinstance(declaration, FollowsRegion):
        return [f"{label}.{DECLARATION} is {declaration!r}, not FollowsRegion or KeepsRegion"]
    problems = []
    for path_field, region_field in declaration.paths:
        problems.extend(_field_problems(model, path_field, region_field))
    if isinstance(declaration.current, str):
        queryset_class = type(model._default_manager.all())
        if not callable(getattr(queryset_class, declaration.current, None)):
            problems.append(f"{label}: its queryset has no method {declaration.current!r} for current rows")
    elif declaration.current is not None and not isinstance(declaration.current, Q):
        problems.append(f"{label}: current must be a Q, a queryset method name or None")
    return problems


def _field_problems(model, path_field: str, region_field: str | None) -> list[str]:
    label = model._meta.label
    try:
        if not isinstance(model._meta.get_field(path_field), models.CharField):
            return [f"{label}.{path_field} is not a text field holding a path"]
    except FieldDoesNotExist:
        return [f"{label} has no path field {path_field!r}"]
    if region_field is None:
        return []
    try:
        field = model._meta.get_field(region_field)
    except FieldDoesNotExist:
        return [f"{label} has no region field {region_field!r}"]
    target = getattr(field, "related_model", None)
    # A lazy reference not resolved yet (a model in an isolated registry) is still its label.
    target_label = (
        target if isinstance(target, str) else getattr(getattr(target, "_meta", None), "label", None)
    )
    if not field.many_to_one or target_label != "regions.Region":
        return [f"{label}.{region_field} is not a foreign key to regions.Region"]
    return []


def placed_models(candidates: Iterable[type[models.Model]] | None = None) -> list[type[models.Model]]:
    candidates = apps.get_models() if candidates is None else candidates
    return sorted((m for m in candidates if is_placed(m)), key=lambda m: m._meta.label)


def check_declarations(candidates: Iterable[type[models.Model]] | None = None) -> None:
    """Stop start-up when a placed model has no sound declaration, naming every such model."""
    problems = [problem for model in placed_models(candidates) for problem in declaration_problems(model)]
    if problems:
        raise ImproperlyConfigured(
            "Placed models without a sound region-move declaration: " + "; ".join(problems)
        )


def followers() -> list[tuple[type[models.Model], FollowsRegion]]:
    """Every installed model whose current rows follow their region, with its declaration."""
    check_declarations()
    return [
        (model, declaration)
        for model in placed_models()
        if isinstance(declaration := getattr(model, DECLARATION), FollowsRegion)
    ]
