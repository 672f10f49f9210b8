from django.utils.translation import gettext_lazy as _

from core.extensions import AuditAction

CONTRIBUTIONS = [
    AuditAction(key="regions.region.create", name=_("Region created")),
    AuditAction(key="regions.grid.move", name=_("Grid moved to another community")),
    AuditAction(key="regions.community.merge", name=_("Communities merged")),
    AuditAction(key="regions.grid.boundary", name=_("Grid boundary changed")),
    AuditAction(key="regions.community.kind", name=_("Community kind changed")),
]
