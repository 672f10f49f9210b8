"""Reads of government affairs: the catalogue a person sees, the standards that apply at a place
on a date and those a person sees, the household one applies for, an application's details,
materials and objections, the publicity list and the node of the statistics."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from affairs.eligibility.standards import candidates
from affairs.models import Application, AssistanceStandard, Objection, ServiceItem
from affairs.models.applications import Stage
from core.api.errors import NotFound, not_found_in_payload
from core.regions.models import Region
from core.regions.paths import ancestor_ids, community_path, depth, region_in_scope
from core.regions.scoping import scope_for, under
from core.registry.models import Household, Resident
from core.workflow.models import EventAttachment


def standards_in_force(region, on: date) -> list[AssistanceStandard]:
    """For each kind and area ("urban", "rural", "any"), the standard in force on `on` at
    `region`: the nearest region's own (a district's beats the platform default), the newest of
    those. Between an area's row and the "any" row, an application takes the nearer region's, and
    the exact area if both are as near (affairs.eligibility.standard_for)."""
    ids = ancestor_ids(region.path)

    def rank(row: AssistanceStandard) -> tuple:
        return (ids.index(row.region_id) if row.region_id in ids else -1, row.effective_from)

    best: dict[tuple[str, str], AssistanceStandard] = {}
    for row in candidates(None, region_path=region.path, on=on).select_related("region"):
        key = (row.kind, row.area)
        if key not in best or rank(row) > rank(best[key]):
            best[key] = row
    return sorted(best.values(), key=lambda s: (s.kind, s.area))


def service_items_for(user):
    """The catalogue: all of it for staff handling affairs, the items open to applications for
    everyone else."""
    rows = ServiceItem.objects.prefetch_related("materials")
    return rows if scope_for(user).has("affairs.view") else rows.filter(is_active=True)


def standards_visible_to(user):
    """The defaults, the rows of regions above the caller's nodes (their district) and below them,
    each with the date a newer one takes over (`with_successor_start`)."""
    paths = scope_for(user).paths_with("affairs.view")
    if not paths:
        return AssistanceStandard.objects.none()
    above = {region_id for path in paths for region_id in ancestor_ids(path)}
    return with_successor_start(
        AssistanceStandard.objects.filter(
            Q(region__isnull=True) | Q(region_id__in=above) | under(paths, "region__path")
        )
    )


def with_successor_start(queryset):
    """Annotate `successor_starts_on`: when the next standard of the same kind, area and region
    (the platform default counting as one region) starts, if any. From that day the newer one
    applies (the newest in force wins), so the older one ended the day before. One subquery in
    the same SELECT, whatever the number of rows."""
    same_region = Coalesce("region_id", 0)
    newer = (
        AssistanceStandard.objects.annotate(region_key=same_region)
        .filter(
            region_key=Coalesce(OuterRef("region_id"), 0),
            kind=OuterRef("kind"),
            area=OuterRef("area"),
            effective_from__gt=OuterRef("effective_from"),
        )
        .order_by("effective_from")
    )
    return queryset.annotate(successor_starts_on=Subquery(newer.values("effective_from")[:1]))


def standard_read(standard: AssistanceStandard) -> AssistanceStandard:
    """One standard as the API shows it (after a write): with its successor's start."""
    return with_successor_start(AssistanceStandard.objects.select_related("region")).get(pk=standard.pk)


def household_to_apply_for(user, household_id: int) -> tuple[Household, bool]:
    """The household as the caller may apply for it, and whether on its behalf: a worker's in
    scope (代办), or a resident's own; 400 as if absent otherwise."""
    paths = scope_for(user).paths_with("affairs.apply")
    staff = Household.objects.under(*paths).filter(pk=household_id).first() if paths else None
    if staff is not None:
        return staff, True
    living = Resident.objects.filter(pk__in=scope_for(user).resident_ids, status=Resident.Status.ACTIVE)
    own = Household.objects.filter(pk=household_id, pk__in=living.values("household_id")).first()
    if own is None:
        raise not_found_in_payload("household")
    return own, False


def application_with_details(application: Application) -> Application:
    """The application with what its detail shows: members, objections, materials and steps."""
    return (
        Application.objects.select_related("item", "event", "applicant")
        .prefetch_related(
            "members__resident", "objections", "event__attachments", "event__transitions__actor"
        )
        .get(pk=application.pk)
    )


def application_material(application: Application, attachment_id) -> EventAttachment:
    """One of the application's materials (404 if it has no such one)."""
    found = application.event.attachments.filter(pk=attachment_id).first()
    if found is None:
        raise NotFound()
    return found


def application_objection(application: Application, objection_id) -> Objection:
    """One of the application's objections (404 if it has no such one)."""
    found = application.objections.filter(pk=objection_id).first()
    if found is None:
        raise NotFound()
    return found


def community_paths(resident_ids) -> list[str]:
    """The communities of these resident records."""
    paths = Resident.objects.filter(pk__in=resident_ids).values_list("region_path", flat=True)
    return sorted({community for path in paths if (community := community_path(path))})


def publicity_posted_to(user, communities: list[str]):
    """Applications posted where the caller sees them: staff in their scope, a resident in their
    own communities (`communities`)."""
    staff = scope_for(user).paths_with("affairs.view")
    return Application.objects.filter(under(staff) | under(communities))


def publicity_list(rows):
    """Of the posted applications, those now in publicity, with what the list shows."""
    return (
        rows.filter(stage=Stage.PUBLICITY)
        .select_related("item", "applicant", "household__house__building__compound")
        .annotate(covered_count=Count("members", filter=Q(members__covered=True)))
    )


def statistics_region(user, region_id: int | None) -> Region:
    """The node whose figures are asked for: one in the caller's scope, or by default their top
    node (the shallowest where they see affairs, the first if several); 400 as if absent otherwise."""
    scope = scope_for(user)
    if region_id is None:
        top = min(scope.paths_with("affairs.view"), key=lambda p: (depth(p), p))
        return Region.objects.get(path=top)
    region = region_in_scope(user, region_id, "affairs.view")
    if region is None:
        raise not_found_in_payload("region")
    return region
