"""Patrols (巡逻): routes with check-in points per grid, shifts planned on a route, and each
shift's log: check-ins (time and WGS-84 position, checked against the point within the route's
radius) and what the patroller found. Extreme-weather shifts (寒冬送温暖、夏季送清凉) also record
the people found sleeping rough and the help they were given."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.pii.fields import EncryptedTextField
from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion
from core.regions.scoping import RegionScopedQuerySet
from core.registry.models import Resident
from core.workflow.geo import SYSTEMS


def _coordinate(label):
    return models.DecimalField(label, max_digits=9, decimal_places=6)


class PatrolRouteQuerySet(RegionScopedQuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class PatrolRoute(Placed):
    """A route in one grid; its points are checked in, in order. Ended, never edited once used."""

    name = models.CharField(_("name"), max_length=100)
    # How far from a point a check-in may be (metres) and still count as the point reached.
    radius_metres = models.PositiveIntegerField(_("check-in radius (metres)"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = PatrolRouteQuerySet.as_manager()
    on_region_move = FollowsRegion(current="current")

    class Meta:
        indexes = [path_index("safety_patrol_route")]

    def __str__(self) -> str:
        return self.name


class PatrolPoint(Placed):
    route = models.ForeignKey(PatrolRoute, on_delete=models.CASCADE, related_name="points")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    longitude = _coordinate(_("longitude (WGS-84)"))
    latitude = _coordinate(_("latitude (WGS-84)"))

    on_region_move = FollowsRegion()

    class Meta:
        ordering = ["route", "order"]
        indexes = [path_index("safety_patrol_point")]
        constraints = [models.UniqueConstraint(fields=["route", "order"], name="safety_patrol_point_order")]


class PatrolKind(models.TextChoices):
    REGULAR = "regular", _("Regular patrol")
    WINTER = "winter_warmth", _("Winter warmth patrol (寒冬送温暖)")
    SUMMER = "summer_cooling", _("Summer cooling patrol (夏季送清凉)")


EXTREME_WEATHER = (PatrolKind.WINTER, PatrolKind.SUMMER)


class PatrolShiftQuerySet(RegionScopedQuerySet):
    def open(self):
        return self.exclude(status=PatrolShift.Status.COMPLETED)


class PatrolShift(Placed):
    """A shift planned on a route for a patroller; its check-ins and completion are its log."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    route = models.ForeignKey(PatrolRoute, on_delete=models.PROTECT, related_name="shifts")
    kind = models.CharField(_("kind"), max_length=20, choices=PatrolKind.choices, default=PatrolKind.REGULAR)
    patroller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    points_planned = models.PositiveSmallIntegerField(_("points planned"), default=0)
    points_reached = models.PositiveSmallIntegerField(_("points reached"), default=0)
    # What the patroller found, written at completion (masked in output).
    findings = models.TextField(_("what was found"), blank=True)
    # Who asked for it: a scenario's hand-off key (extreme weather), else empty.
    requested_by = models.CharField(max_length=120, blank=True, default="")

    objects = PatrolShiftQuerySet.as_manager()
    on_region_move = KeepsRegion("a patrol records where it was walked")

    class Meta:
        indexes = [path_index("safety_patrol_shift")]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by"], condition=~Q(requested_by=""), name="safety_patrol_shift_request"
            )
        ]


class CheckIn(Placed):
    """A patroller at a point: when and where (WGS-84, converted from the datum it came in), how far
    from the point, and whether that is within the route's radius (only then the point counts)."""

    shift = models.ForeignKey(PatrolShift, on_delete=models.CASCADE, related_name="check_ins")
    point = models.ForeignKey(PatrolPoint, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("checked in at"))
    longitude = _coordinate(_("longitude (WGS-84)"))
    latitude = _coordinate(_("latitude (WGS-84)"))
    # The datum the position came in (wgs84, gcj02 from AMap/Tencent/WeChat, bd09 from Baidu).
    input_system = models.CharField(
        _("coordinate system given"), max_length=8, choices=[(system, system) for system in SYSTEMS]
    )
    distance_metres = models.DecimalField(
        _("distance from the point (metres)"), max_digits=10, decimal_places=1
    )
    within_radius = models.BooleanField(_("within the radius"))
    note = models.TextField(_("what was found"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    on_region_move = KeepsRegion("a check-in records where it was made")

    class Meta:
        indexes = [path_index("safety_check_in")]


class RoughSleeperHelp(models.TextChoices):
    SHELTER = "shelter_referral", _("Referred to a shelter (救助站)")
    SUPPLIES = "supplies", _("Supplies given (quilts, water, food)")
    HOSPITAL = "hospital", _("Taken or referred to hospital")
    DECLINED = "declined", _("Help declined")


class RoughSleeper(Placed):
    """A person found sleeping rough on an extreme-weather patrol, the help given, and for a person
    who cannot be identified the family-search referral (寻亲) opened as an event. A name and an
    identity number, when known, are kept encrypted and shown masked (as the register keeps them)."""

    shift = models.ForeignKey(PatrolShift, on_delete=models.PROTECT, related_name="rough_sleepers")
    found_at = models.DateTimeField(_("found at"))
    longitude = _coordinate(_("longitude (WGS-84)"))
    latitude = _coordinate(_("latitude (WGS-84)"))
    input_system = models.CharField(
        _("coordinate system given"), max_length=8, choices=[(system, system) for system in SYSTEMS]
    )
    place = models.CharField(_("where found"), max_length=200, blank=True)
    identified = models.BooleanField(_("identified"))
    name_encrypted = EncryptedTextField(_("name"), blank=True, default="")
    name_masked = models.CharField(_("name"), max_length=50, blank=True, editable=False)
    document_number_encrypted = EncryptedTextField(_("document number"), blank=True, default="")
    document_number_index = models.CharField(max_length=64, blank=True, default="", editable=False)
    document_number_masked = models.CharField(_("document number"), max_length=32, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, blank=True, choices=Resident.Sex.choices)
    approximate_age = models.PositiveSmallIntegerField(_("approximate age"), null=True, blank=True)
    condition = models.TextField(_("condition"), blank=True)
    help_given = models.JSONField(_("help given"), default=list)
    help_note = models.TextField(_("help note"), blank=True)
    family_search = models.ForeignKey(
        "workflow.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    on_region_move = KeepsRegion("a rough sleeper is recorded where they were found")

    class Meta:
        indexes = [path_index("safety_rough_sleeper")]
