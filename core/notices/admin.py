from django.contrib import admin

from core.accounts.admin_access import SuperuserOnlyAdminMixin
from core.notices.models import Notice
from core.scoped_admin import MaskedFreeTextAdmin


@admin.register(Notice)
class NoticeAdmin(SuperuserOnlyAdminMixin, MaskedFreeTextAdmin, admin.ModelAdmin):
    list_display = ("cursor", "kind", "title", "recipient", "region", "role", "created_at")
    list_filter = ("kind", "role")
    search_fields = ("title",)
    raw_id_fields = ("recipient", "region")
    ordering = ("-id",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False
