"""Rows a service may use on an actor's behalf: referenced ids resolved within the actor's scope,
an id out of scope answering like one that does not exist."""

from __future__ import annotations

from typing import Any

from django.db import models

from core.api.errors import NOT_FOUND_IN_PAYLOAD, field_error


def scoped(queryset: models.QuerySet, actor, permission: str) -> models.QuerySet:
    """Rows the actor may act on with `permission`. System work (actor None) and superusers see all."""
    if actor is None or getattr(actor, "is_superuser", False):
        return queryset
    return queryset.visible_to(actor, permission)


def get_in_scope(queryset: models.QuerySet, pk: Any, *, actor, permission: str, field: str):
    """The row with this pk if the actor may use it, else a field error saying it was not found."""
    if isinstance(pk, models.Model):
        pk = pk.pk
    try:
        return scoped(queryset, actor, permission).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise field_error(field, NOT_FOUND_IN_PAYLOAD) from None
