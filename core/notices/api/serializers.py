from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api.fields import MaskedTextField
from core.extensions.contributions import NoticeKind
from core.extensions.registry import registry
from core.notices.backends import IN_APP, external_channels


class NoticeListQueryInput(serializers.Serializer):
    since = serializers.IntegerField(
        required=False, min_value=0, help_text=_("Catch-up: notices after this cursor, oldest first.")
    )
    before = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Older notices: those before this cursor, newest first.")
    )
    unread = serializers.BooleanField(required=False, default=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=settings.NOTICE_MAX_PAGE_SIZE)

    def validate(self, attrs):
        if "since" in attrs and "before" in attrs:
            raise serializers.ValidationError({"before": [_("Use either since or before, not both.")]})
        return attrs


class NoticeLinkOutput(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()
    url = serializers.CharField()


class NoticeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    cursor = serializers.IntegerField()
    kind = serializers.CharField()
    kind_name = serializers.SerializerMethodField()
    title = MaskedTextField()
    body = MaskedTextField(allow_blank=True)
    link = NoticeLinkOutput(allow_null=True)
    created_at = serializers.DateTimeField()
    is_read = serializers.BooleanField()
    addressed_to = serializers.SerializerMethodField()

    def get_kind_name(self, notice) -> str:
        try:
            return str(registry.get(NoticeKind.kind, notice.kind).name)
        except KeyError:  # declared by an app that is no longer installed
            return notice.kind

    def get_addressed_to(self, notice) -> dict:
        if notice.recipient_id is not None:
            return {"type": "user"}
        return {"type": "region", "region_id": notice.region_id, "role": notice.role}


# One object (its own page shape: a catch-up cursor), not a list of these: the schema says so.
@extend_schema_serializer(many=False)
class NoticePageOutput(serializers.Serializer):
    results = NoticeOutput(many=True)
    has_more = serializers.BooleanField()
    next_cursor = serializers.IntegerField(
        allow_null=True, help_text=_("Pass as since (catch-up) or before (older) for the next page.")
    )


class UnreadCountOutput(serializers.Serializer):
    unread = serializers.IntegerField()
    latest_cursor = serializers.IntegerField()


class ReadAllInput(serializers.Serializer):
    up_to = serializers.IntegerField(
        required=False, min_value=0, help_text=_("Cursor up to which all is read; the latest if omitted.")
    )


class ReadAllOutput(serializers.Serializer):
    read_through = serializers.IntegerField()
    unread = serializers.IntegerField()


class WebsocketTicketOutput(serializers.Serializer):
    ticket = serializers.CharField()
    expires_in = serializers.IntegerField()


def channel_choices() -> list[str]:
    return [IN_APP, *external_channels()]


class NoticePreferenceInput(serializers.Serializer):
    kind = serializers.CharField(allow_blank=True, help_text=_("Empty: every kind."))
    channels = serializers.ListField(child=serializers.CharField())

    def validate_kind(self, value: str) -> str:
        if value and value not in {item.key for item in registry.items(NoticeKind.kind)}:
            raise serializers.ValidationError(_("Unknown notice kind."))
        return value

    def validate_channels(self, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(channel_choices()))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown channels: %(channels)s.") % {"channels": ", ".join(unknown)}
            )
        return value


class NoticePreferenceOutput(serializers.Serializer):
    kind = serializers.CharField(allow_blank=True, help_text=_("Empty: every kind."))
    channels = serializers.ListField(child=serializers.CharField())
