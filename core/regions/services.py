"""Operations on the region tree: create a node, move a grid, merge communities, grid boundaries.

Moving and merging re-path what is current in ONE transaction with set-based UPDATEs
(new_path || substr(path, len(old_path) + 1)); history (audit rows, closed transfers and
applications, people who moved out or died) keeps the path it had. Which rows are current is
each placed model's own declaration (core.regions.placement), read from the installed models.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from core.api.errors import Conflict, field_error
from core.audit.services import audit_record
from core.regions.errors import RegionsError
from core.regions.geometry import clean_boundary
from core.regions.models import Region
from core.regions.placement import followers


def repath(old: str, new: str, field: str = "region_path"):
    """The expression new || substr(field, len(old) + 1), for one set-based UPDATE."""
    return Concat(Value(new), Substr(F(field), len(old) + 1))


def check_new_region(*, parent: Region | None, level: int, name: str) -> None:
    """The rules a new node meets (400 otherwise); the admin's add form asks them before saving."""
    if parent is None:
        if level != Region.Level.CITY:
            raise field_error("parent", _("Only a city can be created without a parent."))
    elif level != parent.level + 1:
        raise field_error("level", _("A node's level must be one below its parent's."))
    if parent is not None and parent.merged_into_id:
        raise field_error(
            "parent", _("This community was merged into another."), code=RegionsError.REGION_MERGED
        )
    if Region.objects.filter(parent=parent, name=name).exists():
        raise field_error(
            "name", _("The parent already has a node with this name."), code=RegionsError.NAME_TAKEN
        )


@transaction.atomic
def region_create(
    *, actor, parent: Region | None, level: int, name: str, code: str = "", community_kind: str = ""
) -> Region:
    """A node one level below `parent`; a community says whether it is a residents' or a village
    committee (`community_kind`), which no other level has."""
    check_new_region(parent=parent, level=level, name=name)
    region = Region(parent=parent, level=level, name=name, code=code, community_kind=community_kind)
    region.full_clean(exclude=["path"])
    region.save()
    audit_record(
        actor=actor,
        action="regions.region.create",
        target=region,
        region_path=region.path,
        changes={
            "name": {"old": None, "new": name},
            "level": {"old": None, "new": level},
            "community_kind": {"old": None, "new": community_kind or None},
            "parent_id": {"old": None, "new": parent.pk if parent else None},
        },
    )
    return region


def _current_rows():
    """(queryset of current rows, path field, its region field) of every placed model that
    follows its region, as each declares (core.regions.placement)."""
    for model, declaration in followers():
        for path_field, region_field in declaration.paths:
            yield declaration.current_rows(model), path_field, region_field


def _dashboards_changed(*paths: str) -> None:
    """The re-pathing updates sent no signals: the summaries of both places are refreshed."""
    from core.dashboards.changes import mark_changed

    mark_changed(paths)


def _repath_current(old: str, new: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for queryset, field, _region_field in _current_rows():
        updated = queryset.filter(**{f"{field}__startswith": old}).update(**{field: repath(old, new, field)})
        counts[f"{queryset.model._meta.label_lower}.{field}"] = updated
    # The tree itself (the moved node and everything below it).
    counts["regions.region"] = Region.objects.filter(path__startswith=old).update(
        path=repath(old, new, "path")
    )
    return counts


@transaction.atomic
def grid_move(*, actor, grid: Region, community: Region) -> Region:
    """Move a grid (with its houses, households, residents, roles, open transfers) to another community."""
    grid = Region.objects.select_for_update().get(pk=grid.pk)
    if grid.level != Region.Level.GRID:
        raise field_error("grid", _("Choose a grid."))
    if community.level != Region.Level.COMMUNITY or community.merged_into_id:
        raise field_error("community", _("Choose a community."))
    if grid.parent_id == community.pk:
        raise field_error("community", _("The grid already belongs to this community."))
    if Region.objects.filter(parent=community, name=grid.name).exists():
        raise field_error(
            "community", _("The community already has a grid with this name."), code=RegionsError.NAME_TAKEN
        )
    old_path, new_path = grid.path, f"{community.path}{grid.pk}/"
    old_parent = grid.parent_id
    Region.objects.filter(pk=grid.pk).update(parent=community)
    counts = _repath_current(old_path, new_path)
    _dashboards_changed(old_path, new_path)
    audit_record(
        actor=actor,
        action="regions.grid.move",
        target=grid,
        region_path=new_path,
        changes={
            "parent_id": {"old": old_parent, "new": community.pk},
            "path": {"old": old_path, "new": new_path},
        },
        extra={"updated": counts},
    )
    grid.refresh_from_db()
    return grid


@transaction.atomic
def community_merge(*, actor, source: Region, target: Region) -> Region:
    """Merge `source` into `target`: its grids and everything current move; `source` stays as history."""
    source = Region.objects.select_for_update().get(pk=source.pk)
    target = Region.objects.select_for_update().get(pk=target.pk)
    if source.level != Region.Level.COMMUNITY or target.level != Region.Level.COMMUNITY:
        raise field_error("target", _("Both nodes must be communities."))
    if source.pk == target.pk or source.merged_into_id or target.merged_into_id:
        raise field_error("target", _("Choose two different communities that still exist."))
    taken = set(Region.objects.filter(parent=target).values_list("name", flat=True))
    for child in Region.objects.filter(parent=source):
        # Both communities often number their grids alike (第1网格); keep names unique.
        new_name = child.name if child.name not in taken else f"{source.name}{child.name}"
        taken.add(new_name)
        Region.objects.filter(pk=child.pk).update(parent=target, name=new_name)
    old_path, new_path = source.path, target.path
    try:
        with transaction.atomic():
            # Current rows placed at the community itself now belong to the target node.
            for queryset, _field, region_field in _current_rows():
                if region_field is not None:
                    queryset.filter(**{region_field: source}).update(**{region_field: target})
            # Re-path the children's subtrees, then rows at the community itself (paths equal to
            # old_path).
            counts = _repath_current(old_path, new_path)
    except IntegrityError:
        # A row that must be unique at its node met its twin (two communities with a place name
        # alike, say): nothing is merged; a person settles the twins first.
        raise Conflict(
            _(
                "Both communities hold a record that may exist only once at one place (a place name "
                "alike, say): settle those first, then merge."
            ),
            code=RegionsError.MERGE_CLASH,
        ) from None
    # The loop above re-pathed `source` to the target's path as well: give it back its own.
    Region.objects.filter(pk=source.pk).update(path=old_path, merged_into=target)
    _dashboards_changed(old_path, new_path)
    audit_record(
        actor=actor,
        action="regions.community.merge",
        target=source,
        region_path=old_path,
        changes={"merged_into_id": {"old": None, "new": target.pk}},
        extra={"updated": counts},
    )
    source.refresh_from_db()
    return source


@transaction.atomic
def community_set_kind(*, actor, community: Region, community_kind: str) -> Region:
    """Record or change a community's kind, e.g. a village turned into an urban community (村改居)."""
    community = Region.objects.select_for_update().get(pk=community.pk)
    if community.level != Region.Level.COMMUNITY:
        raise ValidationError({"community_kind": _("Only a community has a community kind.")})
    old = community.community_kind
    community.community_kind = community_kind
    community.full_clean(exclude=["path"])
    community.save(update_fields=["community_kind"])
    audit_record(
        actor=actor,
        action="regions.community.kind",
        target=community,
        region_path=community.path,
        changes={"community_kind": {"old": old or None, "new": community_kind}},
    )
    return community


@transaction.atomic
def grid_set_boundary(*, actor, grid: Region, boundary: dict | None) -> Region:
    if grid.level != Region.Level.GRID:
        raise field_error("boundary", _("Only a grid has a boundary."), code=RegionsError.INVALID_BOUNDARY)
    grid.boundary = clean_boundary(boundary) if boundary else None
    grid.save(update_fields=["boundary"])
    audit_record(
        actor=actor,
        action="regions.grid.boundary",
        target=grid,
        region_path=grid.path,
        changes={"boundary": {"old": "…", "new": "set" if boundary else None}},
    )
    return grid
