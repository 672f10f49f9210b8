"""Households and residents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.pii.fields import EncryptedTextField
from core.regions.placed import Placed, path_index
from core.regions.placement import FollowsRegion
from core.regions.scoping import RegionScopedQuerySet
from core.registry.minors import resident_shown_name
from core.registry.models.housing import House


class HouseholdQuerySet(RegionScopedQuerySet):
    def visible_to_resident(self, resident_ids):
        return self.filter(members__id__in=resident_ids).distinct()


def search_index(field: str, name: str) -> models.Index:
    return models.Index(
        fields=[field, "region_path"], name=name, opclasses=["varchar_pattern_ops", "varchar_pattern_ops"]
    )


class Household(Placed):
    """A household (户); `region` is the grid of its actual residence."""

    number = models.CharField(_("household number"), max_length=32, blank=True, db_index=True)
    house = models.ForeignKey(
        House,
        verbose_name=_("residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
    )
    registered_address = models.CharField(_("registered address (户籍地址)"), max_length=255, blank=True)
    householder = models.ForeignKey(
        "Resident",
        verbose_name=_("householder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = HouseholdQuerySet.as_manager()

    # A household follows the grid of its residence.
    on_region_move = FollowsRegion()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [path_index("household")]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class ResidentQuerySet(RegionScopedQuerySet):
    def visible_to_resident(self, resident_ids):
        own_households = Resident.objects.filter(id__in=resident_ids, household__isnull=False).values(
            "household_id"
        )
        return self.filter(Q(id__in=resident_ids) | Q(household_id__in=own_households))

    def active(self):
        return self.filter(status=Resident.Status.ACTIVE)


class Resident(Placed):
    """A resident (居民). Never deleted: moving out and death are states with dates.

    Identity document numbers and phones are encrypted at rest (`*_encrypted`), found by exact
    value through their blind index (`*_index`), and shown masked (`*_masked`) everywhere.
    """

    class DocumentType(models.TextChoices):
        ID_CARD = "id_card", _("Resident identity card")
        HK_MACAO_PERMIT = "hk_macao_permit", _("Mainland travel permit for Hong Kong and Macao residents")
        TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
        FOREIGN_PERMANENT = "foreign_permanent", _("Foreigner's permanent residence ID card")
        PASSPORT = "passport", _("Passport")
        BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
        NONE = "none", _("No document yet")

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class ResidenceType(models.TextChoices):
        REGISTERED = "registered", _("Registered (户籍)")
        PERMANENT = "permanent", _("Permanent (常住)")
        FLOATING = "floating", _("Floating (流动)")

    class Relation(models.TextChoices):
        SELF = "self", _("Householder")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Sibling")
        CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
        TENANT = "tenant", _("Tenant")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Living here")
        MOVED_OUT = "moved_out", _("Moved out")
        DECEASED = "deceased", _("Deceased")

    name = models.CharField(_("name"), max_length=50)
    # Pinyin initials and full pinyin, so that "zs" finds 张三.
    name_initials = models.CharField(_("name initials"), max_length=50, editable=False)
    name_pinyin = models.CharField(_("name pinyin"), max_length=200, editable=False)

    document_type = models.CharField(
        _("document type"), max_length=24, choices=DocumentType.choices, default=DocumentType.ID_CARD
    )
    document_number_encrypted = EncryptedTextField(_("document number"), blank=True, default="")
    document_number_index = models.CharField(max_length=64, blank=True, default="", editable=False)
    document_number_masked = models.CharField(_("document number"), max_length=32, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True, db_index=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)

    mobile_encrypted = EncryptedTextField(_("mobile"), blank=True, default="")
    mobile_index = models.CharField(max_length=64, blank=True, default="", editable=False, db_index=True)
    mobile_masked = models.CharField(_("mobile"), max_length=20, blank=True, editable=False)
    landline_encrypted = EncryptedTextField(_("landline"), blank=True, default="")
    landline_masked = models.CharField(_("landline"), max_length=24, blank=True, editable=False)

    residence_type = models.CharField(
        _("residence type"), max_length=16, choices=ResidenceType.choices, default=ResidenceType.REGISTERED
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    relation = models.CharField(
        _("relation to the householder"), max_length=16, choices=Relation.choices, default=Relation.OTHER
    )
    registered_address = models.CharField(_("registered address (户籍地址)"), max_length=255, blank=True)
    house = models.ForeignKey(
        House,
        verbose_name=_("actual residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    deceased_on = models.DateField(_("died on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ResidentQuerySet.as_manager()

    # People living here follow the grid; who moved out or died keeps the place they had.
    on_region_move = FollowsRegion(current="active")

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [
            path_index("resident"),
            # ?ordering=name: per region within a scope, and across a whole city.
            path_index("resident", "name_pinyin", name="resident_path_pinyin_idx"),
            models.Index(fields=["name_pinyin", "id"], name="resident_pinyin_id_idx"),
            models.Index(fields=["status", "birth_date"]),
            # Search (core.registry.filters): a prefix match on the first column, through a btree
            # usable by LIKE 'x%' in any collation, with the scope's path as second column so a
            # street's or a community's matches are found in the index alone. Names ending with a
            # short query use (reverse(name), region_path) and longer fragments the trigram index,
            # both PostgreSQL-only (migrations 0008 and 0003).
            search_index("name", "resident_name_prefix_idx"),
            search_index("name_pinyin", "resident_pinyin_prefix_idx"),
            search_index("name_initials", "resident_initials_prefix_idx"),
        ]
        constraints = [
            # One person, one record: a document number is unique in the deployment.
            models.UniqueConstraint(
                fields=["document_type", "document_number_index"],
                condition=~Q(document_number_index=""),
                name="resident_unique_document",
            ),
        ]

    def __str__(self) -> str:
        # Masked for a minor: str() reaches admin lists, select widgets and the admin's log.
        return resident_shown_name(self)
