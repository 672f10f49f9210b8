"""Organizational life (三会一课, 主题党日): how often each kind of meeting is due, the meetings of
each period, and who attended."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion, KeepsRegion
from core.workflow.models import StoredFile


class MeetingKind(models.TextChoices):
    GENERAL_MEETING = "general_meeting", _("General meeting of members (支部党员大会)")
    COMMITTEE_MEETING = "committee_meeting", _("Branch committee meeting (支委会)")
    GROUP_MEETING = "group_meeting", _("Party group meeting (党小组会)")
    PARTY_LESSON = "party_lesson", _("Party lesson (党课)")
    THEME_DAY = "theme_day", _("Theme party day (主题党日)")


class MeetingFrequency(Placed):
    """Every how many months a kind of meeting is due for the branches under `region`, from
    `effective_from`. Configuration with dates: once used it is ended and replaced, never edited."""

    kind = models.CharField(_("meeting kind"), max_length=20, choices=MeetingKind.choices)
    every_months = models.PositiveSmallIntegerField(_("every (months)"))
    effective_from = models.DateField(_("from"))
    effective_to = models.DateField(_("until"), null=True, blank=True)

    on_region_move = KeepsRegion("a frequency applies to the subtree it was set for")

    class Meta:
        verbose_name = _("meeting frequency")
        verbose_name_plural = _("meeting frequencies")
        indexes = [path_index("pb_frequency")]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "effective_from"], name="pb_frequency_start_once"
            )
        ]


class Meeting(Placed):
    """The meeting of one kind an organization owes for one period (period_start to due_on):
    planned, then held, or missed once the period has passed without it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        MISSED = "missed", _("Missed")

    organization = models.ForeignKey(
        "party_building.Organization",
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("meeting kind"), max_length=20, choices=MeetingKind.choices)
    period_start = models.DateField(_("period from"))
    due_on = models.DateField(_("due by"))
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # Who was expected when it was held: every active member, and the full members among them (the
    # quorum of a general meeting is more than half of the full members, 支部工作条例 art. 18).
    members_expected = models.PositiveIntegerField(default=0, editable=False)
    full_members_expected = models.PositiveIntegerField(default=0, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    missed_event = models.ForeignKey(
        "workflow.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    on_region_move = FollowsRegion(current=Q(status="planned"))

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [path_index("pb_meeting")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "period_start"], name="pb_meeting_per_period"
            )
        ]


class Attendance(models.Model):
    class Presence(models.TextChoices):
        PRESENT = "present", _("Present")
        LEAVE = "leave", _("On leave (excused)")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("party_building.Member", on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(_("presence"), max_length=10, choices=Presence.choices)
    # The member's kind that day: a probationary member attends but does not count for quorum.
    full_member = models.BooleanField(_("full member"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="pb_attendance_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id} {self.presence}"


class MinutesAttachment(StoredFile):
    """A scan or photo of a meeting's minutes (sign-in sheet, minutes book)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="party_building/minutes/%Y/%m/")

    class Meta:
        verbose_name = _("minutes attachment")
        verbose_name_plural = _("minutes attachments")
