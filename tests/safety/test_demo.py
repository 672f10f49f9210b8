"""The demo shows community safety: devices (a few offline, one alarm), open hazards, a plan,
key persons with schedules and a patrol route with shifts, once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from safety.models import (
    Alarm,
    ChecklistItem,
    Device,
    EmergencyPlan,
    Finding,
    KeyPerson,
    PatrolRoute,
    PatrolShift,
)


def test_seed_demo_adds_safety_once(db):
    out = StringIO()
    call_command("seed_demo", "--residents", "400", stdout=out, stderr=StringIO())
    assert "Demo safety:" in out.getvalue()
    assert Device.objects.filter(offline_since__isnull=False).exists()
    assert Device.objects.filter(offline_since__isnull=True).exists()
    assert Alarm.objects.filter(event__isnull=False).exists()
    assert Finding.objects.filter(status="open").count() == 2
    assert EmergencyPlan.objects.get().resources.count() == 2
    assert KeyPerson.objects.count() == 2
    assert PatrolRoute.objects.get().points.count() == 4
    walked = PatrolShift.objects.get(status="completed")
    assert (walked.points_planned, walked.points_reached) == (4, 3)
    assert PatrolShift.objects.filter(status="planned").count() == 1
    count = Device.objects.count()
    call_command("seed_demo", "--residents", "400", stdout=StringIO(), stderr=StringIO())
    assert Device.objects.count() == count


def test_seed_demo_works_on_a_database_emptied_by_a_flush(db):
    """A transactional test's flush removes the migration's checklist items; the demo (and the
    load drill that seeds the test database) must not depend on them being there."""
    ChecklistItem.objects.all().delete()
    call_command("seed_demo", "--residents", "100", stdout=StringIO(), stderr=StringIO())
    assert Finding.objects.filter(status="open").count() == 2
    assert ChecklistItem.objects.filter(code="ebike_indoor_charging", effective_to=None).count() == 1
