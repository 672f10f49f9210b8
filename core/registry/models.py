"""The register every domain reads: places, housing, households and residents (社区管理).

Everything that belongs to a place carries `region_path`, the path of its node in the region tree
(a grid for houses and residents, a community for compounds and buildings), so that scope and
"everything under this street" are one indexed prefix filter. Writes go through services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pii.fields import EncryptedTextField
from core.regions.scoping import RegionScopedQuerySet
from core.registry.minors import resident_shown_name


def path_index(model_prefix: str) -> models.Index:
    # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' in any collation.
    return models.Index(
        fields=["region_path"], name=f"{model_prefix}_path_idx", opclasses=["varchar_pattern_ops"]
    )


class Placed(models.Model):
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(_("region path"), max_length=255, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class PlaceName(Placed):
    """A standard place name (地名): road, compound or building, with its standardisation status."""

    class Kind(models.TextChoices):
        ROAD = "road", _("Road or street")
        COMPOUND = "compound", _("Residential compound")
        BUILDING = "building", _("Building")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        STANDARD = "standard", _("Standard")
        NONSTANDARD = "nonstandard", _("Non-standard, to be corrected")
        PENDING = "pending", _("Correction under review")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name in use"), max_length=100)
    standard_name = models.CharField(_("standard name"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.STANDARD)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        indexes = [path_index("placename"), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.name


class Compound(Placed):
    """A residential compound (小区) inside a community."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=255, blank=True)
    place_name = models.ForeignKey(
        PlaceName,
        verbose_name=_("place name"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("residential compound")
        verbose_name_plural = _("residential compounds")
        indexes = [path_index("compound")]

    def __str__(self) -> str:
        return self.name


class Building(Placed):
    """A building (楼栋); `region` is its grid."""

    compound = models.ForeignKey(
        Compound,
        verbose_name=_("compound"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="buildings",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. 3栋"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    place_name = models.ForeignKey(
        PlaceName,
        verbose_name=_("place name"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        indexes = [path_index("building")]

    def __str__(self) -> str:
        return f"{self.compound.name}{self.name}" if self.compound_id else self.name


class Unit(models.Model):
    """A unit (单元) of a building."""

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=50, help_text=_("e.g. 2单元"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [models.UniqueConstraint(fields=["building", "name"], name="unit_unique_in_building")]

    def __str__(self) -> str:
        return f"{self.building}{self.name}"


class House(Placed):
    """A house or flat (房屋); `region` is its grid: every house lies in exactly one grid."""

    class Use(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        COMMERCIAL = "commercial", _("Commercial")
        MIXED = "mixed", _("Mixed")
        OTHER = "other", _("Other")

    class Occupancy(models.TextChoices):
        SELF_OCCUPIED = "self_occupied", _("Self-occupied")
        RENTED = "rented", _("Rented")
        VACANT = "vacant", _("Vacant")

    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="houses",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="houses"
    )
    number = models.CharField(_("room number"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255)
    use = models.CharField(_("use"), max_length=16, choices=Use.choices, default=Use.RESIDENTIAL)
    occupancy = models.CharField(
        _("occupancy"), max_length=16, choices=Occupancy.choices, default=Occupancy.SELF_OCCUPIED
    )
    owner = models.ForeignKey(
        "Resident",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_houses",
    )
    longitude = models.DecimalField(
        _("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("house")
        verbose_name_plural = _("houses")
        indexes = [path_index("house")]

    def __str__(self) -> str:
        return self.address


class HouseholdQuerySet(RegionScopedQuerySet):
    def visible_to_resident(self, resident_ids):
        return self.filter(members__id__in=resident_ids).distinct()


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
    name_initials = models.CharField(_("name initials"), max_length=50, editable=False, db_index=True)
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

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [path_index("resident"), models.Index(fields=["status", "birth_date"])]
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
