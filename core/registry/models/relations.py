"""What hangs off a resident: tags, contacts, tenancies, household history, transfers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pii.fields import EncryptedTextField
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet
from core.registry.models.housing import House
from core.registry.models.people import Household, Resident


class TagQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)

    def visible_to(self, user, permission: str | None = None):
        """Tags of the residents the user may see."""
        return self.filter(resident__in=Resident.objects.visible_to(user, permission))


class ResidentTag(models.Model):
    """A tag assigned to a resident (living alone, 低保, disability …), with source and dates.

    Tags derivable from data (60+, 80+, minor) are not stored; filters compute them. Tag kinds
    are declared through the extension contract (TagKind), so domains add their own.
    """

    class Source(models.TextChoices):
        WORKER = "worker", _("Assigned by a worker")
        IMPORT = "import", _("Imported")
        BENEFIT = "benefit", _("From an approved benefit")
        SCENARIO = "scenario", _("From a scenario rule")

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="tags"
    )
    tag = models.CharField(_("tag"), max_length=64)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.WORKER)
    started_on = models.DateField(_("since"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident tag")
        verbose_name_plural = _("resident tags")
        indexes = [models.Index(fields=["tag", "ended_on"]), models.Index(fields=["resident", "tag"])]

    def __str__(self) -> str:
        return self.tag

    @property
    def region_path(self) -> str:
        return self.resident.region_path


class ContactQuerySet(RegionScopedQuerySet):
    """A contact is seen by whoever sees the resident it belongs to."""

    region_path_field = "resident__region_path"

    def visible_to_resident(self, resident_ids):
        return self.filter(resident__in=Resident.objects.visible_to_resident(resident_ids))


class Contact(models.Model):
    """A guardian or emergency contact (for elderly people living alone and for minors).

    The contact may be a resident of the register (`contact_resident`): then the register's
    record gives the name, and its mobile stands in when no phone is typed here.
    """

    class Kind(models.TextChoices):
        GUARDIAN = "guardian", _("Guardian")
        EMERGENCY = "emergency", _("Emergency contact")

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    contact_resident = models.ForeignKey(
        Resident,
        verbose_name=_("contact (a resident)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    relation = models.CharField(_("relation"), max_length=50, blank=True)
    phone_encrypted = EncryptedTextField(_("phone"), blank=True, default="")
    phone_masked = models.CharField(_("phone"), max_length=24, blank=True, editable=False)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        """A linked resident's name (masked for a minor), else the name typed for the contact."""
        return str(self.contact_resident) if self.contact_resident_id else self.name

    @property
    def shown_phone(self) -> str:
        """The masked phone typed for the contact, else the linked resident's."""
        if self.phone_masked or not self.contact_resident_id:
            return self.phone_masked
        return self.contact_resident.mobile_masked or self.contact_resident.landline_masked

    @property
    def region_path(self) -> str:
        return self.resident.region_path


class TenancyQuerySet(RegionScopedQuerySet):
    """A tenancy is seen by whoever sees the rented house."""

    region_path_field = "house__region_path"

    def visible_to_resident(self, resident_ids):
        return self.filter(resident_id__in=resident_ids)

    def current(self):
        return self.filter(ends_on__isnull=True)


class Tenancy(models.Model):
    """A tenant living in a rented house, linked to the house and its owner."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("tenant"), on_delete=models.CASCADE, related_name="tenancies"
    )
    house = models.ForeignKey(
        House, verbose_name=_("house"), on_delete=models.PROTECT, related_name="tenancies"
    )
    owner = models.ForeignKey(
        Resident, verbose_name=_("owner"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = TenancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("tenancy")
        verbose_name_plural = _("tenancies")
        constraints = [
            # A tenant lives in one rented house at a time (their actual residence).
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(ends_on__isnull=True),
                name="tenancy_one_current_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.house}"

    @property
    def region_path(self) -> str:
        return self.house.region_path

    @property
    def is_current(self) -> bool:
        return self.ends_on is None


class MembershipChange(models.Model):
    """History of a household's members, for the household file (一户一档)."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined the household")
        LEFT = "left", _("Left the household")
        HOUSEHOLDER = "householder", _("Became the householder")
        MOVED_IN = "moved_in", _("Moved in")
        MOVED_OUT = "moved_out", _("Moved out")
        DIED = "died", _("Died")
        TRANSFERRED = "transferred", _("Transferred to another community")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="membership_changes"
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        indexes = [models.Index(fields=["household", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"


class TransferQuerySet(models.QuerySet):
    def visible_to(self, user, permission: str | None = None):
        """Transfers leaving or entering the user's subtrees."""
        from core.regions.scoping import scope_for, under

        scope = scope_for(user)
        paths = scope.paths_with(permission) if permission else scope.paths
        if not paths:
            return self.none()
        return self.filter(under(paths, "from_path") | under(paths, "to_path"))

    def open(self):
        return self.filter(status=Transfer.Status.REQUESTED)


class Transfer(models.Model):
    """A resident moving to another community; the receiving side (or a common supervisor) completes it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_region = models.ForeignKey(
        "regions.Region", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    from_path = models.CharField(max_length=255, editable=False)
    to_region = models.ForeignKey(
        "regions.Region", verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    to_path = models.CharField(max_length=255, editable=False)
    to_house = models.ForeignKey(
        House, verbose_name=_("new residence"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=255, blank=True)

    objects = TransferQuerySet.as_manager()

    # An open transfer follows both ends; a settled one keeps where it went from and to.
    on_region_move = FollowsRegion(
        current="open", paths=(("from_path", "from_region"), ("to_path", "to_region"))
    )

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(status="requested"), name="transfer_one_open_per_resident"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id}: {self.from_region_id} → {self.to_region_id} ({self.status})"
