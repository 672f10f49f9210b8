"""The demo shows government affairs: `seed_demo` adds 低保 applications at different moments,
moved by the demo accounts through the same services as the API, once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from affairs.models import Application, AssistanceStandard, Benefit, RequiredMaterial, ServiceItem


def test_seed_demo_adds_applications_once(db):
    out = StringIO()
    call_command("seed_demo", "--residents", "400", stdout=out, stderr=StringIO())
    assert "Demo applications:" in out.getvalue()
    stages = set(Application.objects.values_list("stage", flat=True))
    assert "approved" in stages and len(stages) >= 2
    assert Benefit.objects.exists()
    assert (
        Application.objects.filter(on_behalf=True, applied_by__username="worker").count()
        == Application.objects.count()
    )
    count = Application.objects.count()
    call_command("seed_demo", "--residents", "400", stdout=StringIO(), stderr=StringIO())
    assert Application.objects.count() == count


def test_seed_demo_works_on_a_database_emptied_by_a_flush(db):
    """The built-in items and standards come from a migration, which a transactional test's flush
    undoes; the demo puts them back rather than failing."""
    RequiredMaterial.objects.all().delete()
    ServiceItem.objects.all().delete()
    AssistanceStandard.objects.all().delete()
    call_command("seed_demo", "--residents", "100", stdout=StringIO(), stderr=StringIO())
    assert Application.objects.filter(item__code="dibao").exists()
    assert ServiceItem.objects.filter(code="dibao", built_in=True).count() == 1
