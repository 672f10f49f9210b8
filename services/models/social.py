"""Social-work stations (乡镇（街道）社工站), social workers, cases with assessments, plans,
service records and referrals; the service directory and residents' requests (events)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion
from core.regions.scoping import RegionScopedQuerySet


class StationQuerySet(RegionScopedQuerySet):
    # Stations above the caller's scope that serve it (their street's): listed beside the
    # scope's own rows by the paginator (core/api/pagination.py), kept through chaining.
    listed_beyond_scope: tuple[int, ...] = ()

    def _clone(self):
        clone = super()._clone()
        clone.listed_beyond_scope = self.listed_beyond_scope
        return clone


class Station(Placed):
    """A street's (town's) social-work station, placed at the street."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("place"), max_length=200, blank=True)

    objects = StationQuerySet.as_manager()
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("social-work station")
        verbose_name_plural = _("social-work stations")
        indexes = [path_index("svc_station")]

    def __str__(self) -> str:
        return self.name


class SocialWorker(models.Model):
    class Qualification(models.TextChoices):
        ASSISTANT = "assistant", _("Assistant social worker (助理社会工作师)")
        SOCIAL_WORKER = "social_worker", _("Social worker (社会工作师)")
        SENIOR = "senior", _("Senior social worker (高级社会工作师)")
        NONE = "none", _("Not yet qualified")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="workers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    qualification = models.CharField(_("qualification"), max_length=16, choices=Qualification.choices)

    class Meta:
        verbose_name = _("social worker")
        verbose_name_plural = _("social workers")
        constraints = [models.UniqueConstraint(fields=["station", "user"], name="svc_social_worker_once")]

    def __str__(self) -> str:
        return f"{self.station_id}:{self.user_id}"


class SocialCaseQuerySet(RegionScopedQuerySet):
    def open(self):
        return self.filter(status="open")


class SocialCase(Placed):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="cases"
    )
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    involves_minor = models.BooleanField(_("involves a minor"), default=False)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = SocialCaseQuerySet.as_manager()
    on_region_move = FollowsRegion(current="open")

    class Meta:
        verbose_name = _("social-work case")
        verbose_name_plural = _("social-work cases")
        indexes = [path_index("svc_case")]

    def __str__(self) -> str:
        return self.title


class CaseEntry(models.Model):
    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment")
        PLAN = "plan", _("Plan")
        SERVICE = "service", _("Service record")
        REFERRAL = "referral", _("Referral")

    case = models.ForeignKey(SocialCase, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=4000)
    referred_to = models.CharField(_("referred to"), max_length=100, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case entry")
        verbose_name_plural = _("case entries")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


class DirectoryEntry(models.Model):
    """A service of the directory residents read: what it is, who may use it, what it costs,
    how to ask."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("what it is"), max_length=2000)
    who = models.CharField(_("who may use it"), max_length=300)
    cost = models.CharField(_("what it costs"), max_length=200)
    how_to_ask = models.CharField(_("how to ask"), max_length=300)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("service directory")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ServiceRequestQuerySet(RegionScopedQuerySet):
    def visible_to_resident(self, resident_ids):
        return self.filter(resident_id__in=resident_ids)


class ServiceRequest(Placed):
    """A resident asks for a service of the directory: an event the community handles."""

    entry = models.ForeignKey(
        DirectoryEntry, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    event = models.OneToOneField("workflow.Event", on_delete=models.PROTECT, related_name="service_request")
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ServiceRequestQuerySet.as_manager()
    on_region_move = KeepsRegion("a request records where it was made")

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [path_index("svc_request")]

    def __str__(self) -> str:
        return f"request #{self.pk}"
