from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.regions.geometry import clean_boundary
from core.regions.models import Region


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ("level", "community_kind", "name", "code", "parent", "boundary")

    def clean_boundary(self):
        boundary = self.cleaned_data.get("boundary")
        if not boundary:
            return None
        if self.cleaned_data.get("level") != Region.Level.GRID:
            raise ValidationError(Region._meta.get_field("boundary").verbose_name)
        try:
            return clean_boundary(boundary)
        except ValidationError as error:
            raise ValidationError(error.message_dict["boundary"]) from None


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """The tree is edited by system administrators (superusers); staff see their own subtrees."""

    form = RegionForm
    list_display = ("name", "level", "community_kind", "code", "parent", "merged_into")
    list_filter = ("level", "community_kind")
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "merged_into")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.visible_to(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
