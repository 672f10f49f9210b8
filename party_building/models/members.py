"""Party members and the history of their organizational relation (组织关系转接).

A member who lives in the community is linked to their resident record: their ID number and phone
stay in the register. A member who lives elsewhere has them here, encrypted (core.pii), shown
masked."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.pii.fields import EncryptedTextField
from core.pii.masking import mask_name
from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet


class MemberKind(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school or less")
    SECONDARY = "secondary", _("Secondary school")
    COLLEGE = "college", _("College")
    UNIVERSITY = "university", _("University")
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    UNKNOWN = "unknown", _("Not recorded")


class MemberQuerySet(RegionScopedQuerySet):
    def active(self):
        return self.filter(status=Member.Status.ACTIVE)


class Member(Placed):
    """Placed where the organization holding their relation is (it follows the relation)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Relation held here")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")

    organization = models.ForeignKey(
        "party_building.Organization",
        verbose_name=_("party organization"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    resident = models.ForeignKey(
        "registry.Resident",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Someone who lives elsewhere: personal data encrypted, shown masked.
    outside_name = EncryptedTextField(_("name"), blank=True, default="")
    outside_id_number = EncryptedTextField(_("ID number"), blank=True, default="")
    outside_id_number_masked = models.CharField(_("ID number"), max_length=32, blank=True, editable=False)
    outside_mobile = EncryptedTextField(_("mobile"), blank=True, default="")
    outside_mobile_masked = models.CharField(_("mobile"), max_length=20, blank=True, editable=False)
    outside_birth_date = models.DateField(_("birth date"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=MemberKind.choices)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, default="unknown")
    joined_on = models.DateField(_("joined the party on"))
    full_on = models.DateField(_("full member since"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    objects = MemberQuerySet.as_manager()
    on_region_move = FollowsRegion(current=Q(status="active"))

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        indexes = [path_index("pb_member")]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(resident__isnull=False), name="pb_member_resident_once"
            )
        ]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        if self.resident_id:
            return self.resident.name
        return mask_name(self.outside_name) or ""

    @property
    def birth_date(self):
        return self.resident.birth_date if self.resident_id else self.outside_birth_date


class Transfer(models.Model):
    """One move of a member's relation: within the platform, out to or in from an organization
    elsewhere (with its letter number, 介绍信编号). Never edited: the history of the relation."""

    class Direction(models.TextChoices):
        WITHIN = "within", _("Between organizations here")
        OUT = "out", _("Out to an organization elsewhere")
        IN = "in", _("In from an organization elsewhere")

    member = models.ForeignKey(
        Member, verbose_name=_("party member"), on_delete=models.PROTECT, related_name="transfers"
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    from_organization = models.ForeignKey(
        "party_building.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_organization = models.ForeignKey(
        "party_building.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outside_organization = models.CharField(_("organization elsewhere"), max_length=100, blank=True)
    letter_number = models.CharField(_("letter number"), max_length=40, blank=True)
    transferred_on = models.DateField(_("transferred on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer of relation")
        verbose_name_plural = _("transfers of relation")
        constraints = [
            models.UniqueConstraint(
                fields=["letter_number"], condition=~Q(letter_number=""), name="pb_transfer_letter_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.letter_number or self.pk}"
