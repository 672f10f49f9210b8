"""The region tree in the admin: system administrators (superusers) add nodes and rename them;
staff see their own subtrees.

A node's place in the tree (`parent`, `level`) is read-only once it exists: a move re-paths the
whole subtree and everything placed in it, which only the region services do (grid_move,
community_merge, core/regions/services.py). A new node is created through `region_create`, and a
changed community kind or grid boundary goes through its own service, so each is audited.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.regions import services
from core.regions.geometry import clean_boundary
from core.regions.models import Region

PLACE_IN_TREE = ("parent", "level")


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ("level", "community_kind", "name", "code", "parent", "boundary")

    def clean_boundary(self):
        boundary = self.cleaned_data.get("boundary")
        if not boundary:
            return None
        level = self.cleaned_data.get("level", self.instance.level if self.instance.pk else None)
        if level != Region.Level.GRID:
            raise ValidationError(Region._meta.get_field("boundary").verbose_name)
        try:
            return clean_boundary(boundary)
        except ValidationError as error:
            raise ValidationError(error.message_dict["boundary"]) from None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and "level" in cleaned and "name" in cleaned:
            try:
                services.check_new_region(
                    parent=cleaned.get("parent"), level=cleaned["level"], name=cleaned["name"]
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field if field in self.fields else None, message)
        return cleaned


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """The tree is edited by system administrators (superusers); staff see their own subtrees."""

    form = RegionForm
    list_display = ("name", "level", "community_kind", "code", "parent", "merged_into")
    list_filter = ("level", "community_kind")
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "merged_into")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return (*self.readonly_fields, *PLACE_IN_TREE)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.visible_to(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            saved = services.region_create(
                actor=request.user,
                parent=data.get("parent"),
                level=data["level"],
                name=data["name"],
                code=data.get("code", ""),
                community_kind=data.get("community_kind", ""),
            )
            if data.get("boundary"):
                services.grid_set_boundary(actor=request.user, grid=saved, boundary=data["boundary"])
            form.instance = saved
            obj.pk = saved.pk
            return
        kept = Region.objects.get(pk=obj.pk)
        Region.objects.filter(pk=obj.pk).update(name=obj.name, code=obj.code)
        if "community_kind" in form.changed_data:
            services.community_set_kind(
                actor=request.user, community=kept, community_kind=data["community_kind"]
            )
        if "boundary" in form.changed_data:
            services.grid_set_boundary(actor=request.user, grid=kept, boundary=data.get("boundary"))
        obj.refresh_from_db()
