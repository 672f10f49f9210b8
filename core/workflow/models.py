from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pii.masking import mask_free_text
from core.regions.models import Region
from core.regions.placed import path_index
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet
from core.workflow.states import State


class CalendarDay(models.Model):
    """A day whose working status an administrator sets: a day of the State Council's schedule
    for a year the calendar package lacks (published each November), or a local holiday or
    make-up day. A year with official rows is counted on them; a year with only local rows is
    still estimated (core.workflow.calendar)."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("State Council schedule")
        LOCAL = "local", _("Local")

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    kind = models.CharField(
        _("source"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.LOCAL,
        help_text=_(
            "Official: a day of the State Council's published schedule. Enter the whole year's "
            "holidays and make-up working days as official rows; until then the year's holidays "
            "are estimated from the statutory rules."
        ),
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'rest'}"


class EventQuerySet(RegionScopedQuerySet):
    def visible_to_resident(self, resident_ids):
        # Residents see events they reported or follow; the user is resolved in visible_to.
        return self.none()

    def visible_to(self, user, permission=None):
        """Events under the user's scope, and the ones they reported or follow anywhere.

        The scoped part stays a plain path condition (the path index, the per-region page
        shape); the user's own events outside it are few and found first, by the reporter and
        follower indexes, then OR'd in as a literal id list (none: the scope alone)."""
        from core.regions.scoping import scope_for, under

        staff_rows = super().visible_to(user, permission)
        if not getattr(user, "is_authenticated", False):
            return staff_rows
        scope = scope_for(user)
        paths = scope.paths_with(permission) if permission else scope.paths
        reported = Event.objects.filter(reporter=user)
        followed = EventFollower.objects.filter(user=user)
        if paths:
            reported = reported.exclude(under(paths, self.region_path_field))
            followed = followed.exclude(under(paths, f"event__{self.region_path_field}"))
        beyond = reported.order_by().values_list("pk").union(followed.order_by().values_list("event_id"))
        ids = tuple(sorted({pk for (pk,) in beyond}))
        if not ids:
            return staff_rows
        scoped = under(paths, self.region_path_field) if paths else Q(pk__in=[])
        rows = self.filter(scoped | Q(pk__in=ids))
        rows.listed_beyond_scope = ids
        return rows

    def open(self):
        return self.exclude(state__in=[State.CLOSED, State.REJECTED])


class Event(models.Model):
    """Something a person must act on: a hazard, an application, a hotline ticket, an alarm …"""

    class Source(models.TextChoices):
        """How the event came in; generic, so no domain is named here (its type says which)."""

        RESIDENT = "resident", _("Resident report")
        PATROL = "patrol", _("Grid patrol")
        DEVICE = "device", _("Device alarm")
        # Handed over by another system through a domain's adapter (a 12345 hotline ticket).
        EXTERNAL = "external", _("Another system")
        SCENARIO = "scenario", _("Scenario rule")
        # Opened by a domain's own process (an application, a benefit's re-check).
        DOMAIN = "domain", _("Domain process")
        OPEN311 = "open311", _("Open311 client")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    type = models.CharField(_("type"), max_length=64, db_index=True)
    domain = models.CharField(_("domain"), max_length=32, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.REPORTED)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    form_data = models.JSONField(_("details"), default=dict, blank=True)

    # Where: a house, or a grid; the grid's path scopes the event.
    house = models.ForeignKey(
        "registry.House",
        verbose_name=_("house"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(_("region path"), max_length=255, editable=False)
    longitude = models.DecimalField(
        _("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter_name = models.CharField(_("reporter name"), max_length=100, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True, db_index=True)

    # SLA: the deadline counts from acceptance in working time; waiting pauses it.
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    # The event's own limit in working days, in place of its type's (an application item's).
    sla_working_days = models.PositiveSmallIntegerField(_("time limit (working days)"), null=True, blank=True)
    # Counted across a year without an official holiday schedule (its holidays estimated).
    deadline_estimated = models.BooleanField(_("deadline on estimated holidays"), default=False)
    paused_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    # Working days spent waiting, all pauses together: they do not count in the time taken.
    waited_working_days = models.PositiveSmallIntegerField(_("working days waited"), default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_to = models.ForeignKey(
        "regions.Region",
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    satisfaction_comment = models.CharField(_("comment"), max_length=500, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventQuerySet.as_manager()

    # Open work follows its grid; closed and rejected events keep the place they had.
    on_region_move = FollowsRegion(current="open")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [
            path_index("event"),
            path_index("event", "created_at", name="event_path_created_idx"),
            models.Index(fields=["type", "house", "state"], name="event_duplicate_idx"),
            models.Index(fields=["state", "next_escalation_at"], name="event_escalation_idx"),
            # Open work (a worker's to-do list, `state=reported&state=…`), region by region in
            # list order: nearly every event of a city is closed or rejected, so the open ones
            # get a path index of their own, a few thousand entries instead of a million.
            models.Index(
                fields=["region_path", "created_at", "id"],
                name="event_open_path_created_idx",
                opclasses=["varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
                condition=~Q(state__in=["closed", "rejected"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="event_satisfaction_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {mask_free_text(self.title)}"  # shown on admin pages and in choices


class DutyShiftQuerySet(RegionScopedQuerySet):
    def on_duty_at(self, moment):
        """Shifts running at `moment` (started, not yet at their end, not ended early)."""
        return self.filter(starts_at__lte=moment, ends_at__gt=moment).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=moment)
        )

    def not_over(self):
        """Shifts still to come or running: they follow their node when the tree changes."""
        now = timezone.now()
        return self.filter(ends_at__gt=now).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))


class DutyShift(models.Model):
    """A shift of the on-duty roster (值班表) of a community or a street: who is on duty there
    from when to when. A round-the-clock event escalated to that node outside office hours is
    sent to whoever is on duty (core.workflow.roster)."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("community or street"), on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(_("region path"), max_length=255, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("on duty"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set when someone ends the shift before its end (or cancels it before it starts).
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DutyShiftQuerySet.as_manager()
    on_region_move = FollowsRegion(current="not_over")

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["starts_at", "id"]
        indexes = [
            path_index("duty", "starts_at", name="duty_path_starts_idx"),
            models.Index(fields=["region", "starts_at", "ends_at"], name="duty_region_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="duty_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.region_id} {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        self.region_path = self.region.path
        super().save(*args, **kwargs)


class EventTransition(models.Model):
    """The history of an event: every action with actor, time and note."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from"), max_length=16, blank=True)
    to_state = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("event transition")
        verbose_name_plural = _("event transitions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"


class EventFollower(models.Model):
    """People who follow an event: its reporter and the reporters of duplicates merged into it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="event_follower_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.event_id}"


class StoredFile(models.Model):
    """A file checked by content and stored privately (core.workflow.attachments.store_upload
    fills it); served only by a scoped, audited download. Subclasses say what it belongs to
    and where it is stored (`file`'s upload_to)."""

    file = models.FileField(upload_to="files/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class EventAttachment(StoredFile):
    """An image or PDF of an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="events/%Y/%m/")
    # What the file is to its event's process: a required material's code, "investigation" …
    label = models.CharField(_("label"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class Open311Client(models.Model):
    """A system allowed to create requests through Open311 (a city hotline, a partner app).

    Its requests are reported as `service_user`, whose role assignments bound where it may report.
    A request whose place cannot be found (an address nothing matches, a point far from every
    grid) goes to `community`, whose staff handle it. Only a hash of the API key is kept.
    """

    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    service_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("acts as"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Event.Source.choices, default=Event.Source.OPEN311
    )
    community = models.ForeignKey(
        "regions.Region",
        verbose_name=_("community for unplaced requests"),
        help_text=_(
            "Where requests go whose address or point matches no house, place name or grid. "
            "Must be a community where the service account may report."
        ),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.COMMUNITY},
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from core.workflow.selectors import may_report_at

        if not (self.community_id and self.service_user_id):
            return
        if not may_report_at(self.service_user, self.community):
            raise ValidationError({"community": _("The service account may not report in this community.")})
