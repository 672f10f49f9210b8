"""Stored role keys and event sources follow the renames (data migrations), both ways."""

from __future__ import annotations

import importlib

from django.apps import apps

from core.accounts.models import RoleAssignment
from core.notices.models import Notice
from core.workflow.models import Event
from tests.world import make_user


def _migration(name: str):
    return importlib.import_module(name)


def test_stored_role_keys_gain_their_app_label_and_lose_it_backwards(world):
    accounts = _migration("core.accounts.migrations.0005_role_keys_from_declarations")
    notices = _migration("core.notices.migrations.0002_role_keys_from_declarations")
    user = make_user(region=world.community_a)
    # Written as the platform stored them before roles were declarations.
    grant = RoleAssignment.objects.create(user=user, role="community_worker", region=world.community_a)
    notice = Notice.objects.create(kind="k", title="t", region=world.street, role="street_staff")
    accounts.rename(accounts.RENAMED)(apps, None)
    notices.rename(notices.RENAMED)(apps, None)
    grant.refresh_from_db()
    notice.refresh_from_db()
    assert (grant.role, notice.role) == ("accounts.community_worker", "accounts.street_staff")
    accounts.rename({new: old for old, new in accounts.RENAMED.items()})(apps, None)
    grant.refresh_from_db()
    assert grant.role == "community_worker"


def test_event_sources_stop_naming_a_domain(world):
    workflow = _migration("core.workflow.migrations.0004_generic_event_sources")
    common = {"type": "t", "title": "t", "region": world.grid_a1}
    ticket = Event.objects.create(source="hotline", **common)
    application = Event.objects.create(source="application", **common)
    report = Event.objects.create(source="resident", **common)
    workflow.rename(workflow.RENAMED)(apps, None)
    sources = [
        e.source for e in Event.objects.filter(pk__in=[ticket.pk, application.pk, report.pk]).order_by("pk")
    ]
    assert sources == [Event.Source.EXTERNAL, Event.Source.DOMAIN, Event.Source.RESIDENT]
