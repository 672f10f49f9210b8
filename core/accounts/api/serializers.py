from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.accounts.models import RoleAssignment, User
from core.accounts.roles import role_choices
from core.api.fields import MaskedTextField
from core.regions.models import Region
from core.regions.scoping import scope_for, under


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id restricted to what the caller may use with `permission`: one out of scope gets the
    same "does not exist" message as an unknown id."""

    def __init__(self, *, permission: str, path_field: str, **kwargs) -> None:
        self.permission = permission
        self.path_field = path_field
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context["request"]
        paths = scope_for(request.user).paths_with(self.permission)
        return super().get_queryset().filter(under(paths, self.path_field))


class RoleChoiceField(serializers.ChoiceField):
    """One of the roles the apps declare (read from the registry each time, not fixed at import)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=role_choices(), **kwargs)

    def to_internal_value(self, data):
        self.choices = role_choices()
        return super().to_internal_value(data)


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "level", "path"]


class RoleAssignmentSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True)
    role_display = serializers.CharField(read_only=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "role",
            "role_display",
            "region",
            "is_lead",
            "starts_on",
            "ends_on",
            "ended_at",
            "granted_by",
            "ended_by",
            "is_current",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_current(self, assignment) -> bool:
        return RoleAssignment.objects.current().filter(pk=assignment.pk).exists()


class RoleGrantSerializer(serializers.Serializer):
    user = ScopedPrimaryKeyField(
        permission="accounts.view", path_field="region_path", queryset=User.objects.filter(is_active=True)
    )
    role = RoleChoiceField()
    region = ScopedPrimaryKeyField(
        permission="accounts.grant", path_field="path", queryset=Region.objects.all()
    )
    is_lead = serializers.BooleanField(default=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False, allow_null=True)


class UserSerializer(serializers.ModelSerializer):
    display_name = MaskedTextField(allow_blank=True)
    region = RegionBriefSerializer(read_only=True)
    mobile = serializers.CharField(source="mobile_masked", read_only=True)
    # An address, or "" for an account without one (so not documented as format: email); masked
    # like free text, since a mailbox is often named by its mobile number (138…@139.com).
    email = MaskedTextField(read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "mobile",
            "region",
            "is_active",
            "must_change_password",
            "roles",
            "last_login",
            "date_joined",
        ]
        read_only_fields = fields

    def get_roles(self, user) -> list[dict]:
        current = [a for a in user.roles.all() if a.ended_at is None]
        return [
            {"id": a.pk, "role": a.role, "region": a.region_id, "is_lead": a.is_lead, "ends_on": a.ends_on}
            for a in current
        ]


class UserCreateSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True)
    region = ScopedPrimaryKeyField(
        permission="accounts.manage", path_field="path", queryset=Region.objects.all()
    )
    password = serializers.CharField(
        max_length=128,
        required=False,
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
    )


class OpenWorkSerializer(serializers.Serializer):
    kind = serializers.CharField()
    object_id = serializers.CharField()
    region_path = serializers.CharField()
    description = MaskedTextField()


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp_code = serializers.CharField(max_length=12, required=False, allow_blank=True)


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    second_factor = serializers.BooleanField(help_text=_("Whether the sign-in was confirmed by a code."))
    password_change_required = serializers.BooleanField()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class PasswordResetCodeSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class PasswordResetSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    code = serializers.CharField(max_length=12)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class BindingCodeSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=32)


class BindingSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=32)
    code = serializers.CharField(max_length=12)


class WeChatLoginSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=128)


class TotpConfirmSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)


class TotpSetupSerializer(serializers.Serializer):
    secret = serializers.CharField()
    provisioning_uri = serializers.CharField()
