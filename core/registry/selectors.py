"""The register's reads: scoped querysets ready for serializing without N+1 queries."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet

from core.accounts.models import RoleAssignment
from core.accounts.roles import Role
from core.api.errors import invalid_fields
from core.regions.models import Region
from core.regions.scoping import under
from core.registry.filters import ResidentFilter
from core.registry.models import Contact, Resident, ResidentTag, Tenancy


def with_current_tags(queryset: QuerySet) -> QuerySet:
    """Each resident's current tags in one extra query (as `current_tags`)."""
    return queryset.prefetch_related(
        Prefetch(
            "tags",
            queryset=ResidentTag.objects.current().order_by("tag"),
            to_attr="current_tags",
        )
    )


def resident_queryset(queryset: QuerySet | None = None) -> QuerySet:
    """Residents with what ResidentOutput reads: the region and the house's address (the
    household is output as its id, never joined: a join widens every row a sort must carry)."""
    queryset = Resident.objects.all() if queryset is None else queryset
    return with_current_tags(queryset.select_related("region", "house"))


def resident_list(*, user, filters: dict | None = None, permission: str | None = None) -> QuerySet:
    """Residents the user may see, narrowed by ResidentFilter parameters (as from a query string)."""
    base = Resident.objects.visible_to(user, permission) if not user.is_superuser else Resident.objects.all()
    filterset = ResidentFilter(filters or {}, queryset=base)
    if not filterset.is_valid():
        raise invalid_fields(filterset.errors)
    return resident_queryset(filterset.qs)


def residents_in_my_grids(user) -> QuerySet:
    paths = list(
        RoleAssignment.objects.current()
        .filter(user=user, role=Role.GRID_WORKER)
        .values_list("region_path", flat=True)
    )
    return Resident.objects.filter(under(paths))


def grid_workers(grid: Region) -> QuerySet:
    """Who works a grid (current grid-worker roles there, with the user): GridWorkerOutput's rows."""
    return RoleAssignment.objects.current().filter(region=grid, role=Role.GRID_WORKER).select_related("user")


# The grid-workers list's orderings: the lead first by default.
GRID_WORKER_ORDERING = {"is_lead": "is_lead", "since": "starts_on", "id": "id"}


def contact_queryset(queryset: QuerySet | None = None) -> QuerySet:
    """Contacts with what their output reads (the resident, the linked resident's name and phone)."""
    queryset = Contact.objects.all() if queryset is None else queryset
    return queryset.select_related("resident", "contact_resident")


def with_guardians(queryset: QuerySet, resident: str = "resident", to_attr: str = "guardians") -> QuerySet:
    """Rows pointing at a resident (through `resident`), each with that resident's guardians on
    record (监护人, or a 委托照护人 recorded as a guardian) in one extra query, as `<resident>.<to_attr>`,
    ready for ContactOutput; and `guardian_on_record` (True when there is one), to filter on."""
    guardians = contact_queryset(Contact.objects.filter(kind=Contact.Kind.GUARDIAN)).order_by("id")
    return queryset.prefetch_related(
        Prefetch(f"{resident}__contacts", queryset=guardians, to_attr=to_attr)
    ).annotate(
        guardian_on_record=Exists(
            Contact.objects.filter(kind=Contact.Kind.GUARDIAN, resident=OuterRef(resident))
        )
    )


# The orderings of a resident's contacts and of tenancies (a resident's, a house's).
CONTACT_ORDERING = {"kind": "kind", "id": "id"}
TENANCY_ORDERING = {"starts_on": "starts_on", "id": "id"}


def contacts_of(resident: Resident) -> QuerySet:
    return contact_queryset(Contact.objects.filter(resident=resident)).order_by("kind", "id")


def tenancy_queryset(queryset: QuerySet | None = None) -> QuerySet:
    queryset = Tenancy.objects.all() if queryset is None else queryset
    return queryset.select_related("resident", "house", "owner")


def tenancies(**where) -> QuerySet:
    """Tenancies of a resident or of a house, current ones first, then the newest."""
    return tenancy_queryset(Tenancy.objects.filter(**where)).order_by(
        F("ends_on").desc(nulls_first=True), "-starts_on", "-id"
    )
