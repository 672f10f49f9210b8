"""The demo shows party building: `seed_demo` adds a committee per demo community with branches,
members (some probationary, some in-service), a year of meetings with a missed one becoming an
event, pioneer posts and service records whose hours are offered to the ledger; once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from core.extensions.models import Handoff
from core.regions.models import Region
from core.workflow.models import Event
from party_building.dues import standing_of
from party_building.models import (
    DuesAmount,
    DuesPayment,
    InServiceReport,
    Meeting,
    Member,
    Organization,
    PioneerPost,
    ServiceRecord,
)


def test_seed_demo_adds_party_building_once(db):
    out = StringIO()
    call_command("seed_demo", "--residents", "400", stdout=out, stderr=StringIO())
    assert "Demo party building:" in out.getvalue()
    communities = Region.objects.filter(level=Region.Level.COMMUNITY).count()
    assert Organization.objects.filter(kind="committee").count() == communities
    with_branches = Organization.objects.filter(kind="branch").values("parent").distinct().count()
    assert with_branches >= communities // 2
    assert Organization.objects.filter(kind="branch").count() == 2 * with_branches
    assert set(Member.objects.values_list("kind", flat=True)) == {"full", "probationary"}
    assert Meeting.objects.filter(status="held").count() >= 12
    missed = Meeting.objects.filter(status="missed")
    assert missed.count() == with_branches and all(m.missed_event_id for m in missed)
    assert Event.objects.filter(type="party_building.meeting_missed").count() == with_branches
    assert PioneerPost.objects.exists() and InServiceReport.objects.exists()
    # Each service record's hours offered to the ledger (services' demo offers hours of its own).
    offered = Handoff.objects.filter(
        kind="service_hours", idempotency_key__startswith="service_hours:party_building.service_record:"
    )
    assert offered.count() == ServiceRecord.objects.count() > 0
    # Dues for every branch member, a year of them paid but for the branch's last member (lapsed).
    branch_members = Member.objects.filter(organization__kind="branch")
    assert DuesAmount.objects.count() == branch_members.count()
    lapsed = [member for member in branch_members if standing_of(member, timezone.localdate()).lapsed]
    assert 0 < len(lapsed) <= with_branches * 2
    assert DuesPayment.objects.count() > 6 * branch_members.count()
    count = Member.objects.count()
    call_command("seed_demo", "--residents", "400", stdout=StringIO(), stderr=StringIO())
    assert Member.objects.count() == count
