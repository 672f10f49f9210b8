"""Filters of the account and role-grant lists (/api/v1/accounts/users/, role-assignments/)."""

from __future__ import annotations

import django_filters

from core.accounts.models import RoleAssignment, User


class UserFilter(django_filters.FilterSet):
    class Meta:
        model = User
        fields = ["is_active"]


class RoleAssignmentFilter(django_filters.FilterSet):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "region"]
