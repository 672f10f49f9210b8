"""Two lists of people, with separate permissions: care recipients (关爱对象) with a contact
schedule, and key persons (重点人员) the community follows for another office, with a visit
schedule that office sets. Both point at the register's resident (names and ID numbers stay
there, encrypted and masked); every read of a detail is audited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet


class CareRecipient(Placed):
    class Category(models.TextChoices):
        LIVING_ALONE = "living_alone", _("Elderly living alone")
        SEVERELY_DISABLED = "severely_disabled", _("Severely disabled")

    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    contact_every_days = models.PositiveIntegerField(_("contact every (days)"))
    next_contact_due = models.DateField(_("next contact due"), db_index=True)
    # The due date a missed contact was already signalled for (signalled once per due date).
    missed_signalled_for = models.DateField(null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    on_region_move = FollowsRegion(current=Q(ended_on__isnull=True))

    class Meta:
        indexes = [path_index("safety_care")]


class CareContact(Placed):
    recipient = models.ForeignKey(CareRecipient, on_delete=models.CASCADE, related_name="contacts")
    contacted_at = models.DateTimeField(_("contacted at"))
    way = models.CharField(_("way"), max_length=20)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    on_region_move = FollowsRegion()

    class Meta:
        indexes = [path_index("safety_care_contact")]


class KeyPersonQuerySet(RegionScopedQuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class KeyPerson(Placed):
    class Category(models.TextChoices):
        # 社区矫正: the community assists the 司法所; confidential (社区矫正法 art. 4, 12).
        COMMUNITY_CORRECTION = "community_correction", _("Community correction")
        RELEASED = "released", _("Released from custody (安置帮教)")
        MENTAL_HEALTH = "mental_health", _("Severe mental disorder")

    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    office = models.CharField(_("office"), max_length=100)
    assigned_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    liaison = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visit_every_days = models.PositiveIntegerField(_("visit every (days)"))
    next_visit_due = models.DateField(_("next visit due"), db_index=True)
    missed_signalled_for = models.DateField(null=True, blank=True)
    period_ends_on = models.DateField(_("period ends on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = KeyPersonQuerySet.as_manager()
    on_region_move = FollowsRegion(current="current")

    class Meta:
        indexes = [path_index("safety_key_person")]


class KeyPersonVisit(Placed):
    person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="visits")
    visited_at = models.DateTimeField(_("visited at"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    on_region_move = FollowsRegion()

    class Meta:
        indexes = [path_index("safety_key_visit")]
