"""The demo shows community safety: devices (a few offline, one alarm), open hazards, a plan and
key persons with schedules, once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from safety.models import Alarm, Device, EmergencyPlan, Finding, KeyPerson


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
    count = Device.objects.count()
    call_command("seed_demo", "--residents", "400", stdout=StringIO(), stderr=StringIO())
    assert Device.objects.count() == count
