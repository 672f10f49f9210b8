from django.contrib import admin

from core.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "code", "parent")
    list_filter = ("level",)
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)
    readonly_fields = ("path",)
