"""Home services (居家上门服务): orders to a provider (and one of its workers), the visit's
check-in and check-out with time and position, the elder's or family's rating, and the flag on
a visit shorter than the service's minimum."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, Forbidden, field_error, not_found_in_payload
from core.audit.services import audit_record, created
from core.regions.scoping import scope_for
from core.registry.models import Resident, ResidentTag
from core.registry.tags import years_before
from services.contributions import MANAGE, SERVE
from services.errors import ServicesError
from services.models import HomeOrder, HomeService, Provider, ProviderStaff, Visit
from services.places import in_scope

ELDERLY_AGE = 60


def subsidy_for(service: HomeService, resident: Resident, on) -> Decimal:
    """The service's subsidy if the elder is eligible (any of its tags; with none listed, any
    elder of 60 or more), else nothing."""
    if service.eligible_tags:
        tags = ResidentTag.objects.current(on).filter(resident=resident, tag__in=service.eligible_tags)
        eligible = tags.exists()
    else:
        eligible = resident.birth_date is not None and resident.birth_date <= years_before(on, ELDERLY_AGE)
    return service.subsidy if eligible else Decimal(0)


def order_create(
    *, actor, resident: int, service: str, provider: int, worker: int | None = None, request=None
) -> HomeOrder:
    elder = in_scope(actor, Resident.objects.active(), resident, MANAGE, field="resident")
    kind = HomeService.objects.filter(code=service).first()
    if kind is None:
        raise not_found_in_payload("service")
    by = Provider.objects.filter(pk=provider).first()
    if by is None:
        raise not_found_in_payload("provider")
    if worker is not None and not ProviderStaff.objects.filter(provider=by, user_id=worker).exists():
        raise not_found_in_payload("worker")
    with transaction.atomic():
        order = HomeOrder.objects.create(
            resident=elder,
            service=kind,
            provider=by,
            worker_id=worker,
            region=elder.region,
            region_path=elder.region_path,
            subsidy=subsidy_for(kind, elder, timezone.localdate()),
            ordered_by=actor,
        )
        audit_record(
            actor=actor,
            action="services.order.create",
            target=order,
            changes=created(service=kind.code, provider=by.pk, worker=worker, subsidy=order.subsidy),
            request=request,
        )
    return order


def _check_serves(actor, order: HomeOrder) -> None:
    """The provider's own staff take the visit (and staff running services, on their behalf)."""
    if scope_for(actor).covers(order.region_path, MANAGE):
        return
    if not ProviderStaff.objects.filter(provider_id=order.provider_id, user=actor).exists():
        raise Forbidden(_("Only the provider's staff record its visits."))


def visit_check_in(*, actor, order: HomeOrder, longitude: Decimal, latitude: Decimal, request=None) -> Visit:
    _check_serves(actor, order)
    with transaction.atomic():
        order = HomeOrder.objects.select_for_update().get(pk=order.pk)
        if Visit.objects.filter(order=order).exists():
            raise Conflict(_("This visit has already started."), code=ServicesError.ALREADY_CHECKED_IN)
        visit = Visit.objects.create(
            order=order,
            worker=actor,
            checked_in_at=timezone.now(),
            in_longitude=longitude,
            in_latitude=latitude,
        )
        audit_record(
            actor=actor,
            action="services.visit.check_in",
            target=order,
            changes=created(checked_in_at=visit.checked_in_at, longitude=longitude, latitude=latitude),
            request=request,
        )
    return visit


def visit_check_out(
    *, actor, order: HomeOrder, longitude: Decimal, latitude: Decimal, at=None, request=None
) -> Visit:
    _check_serves(actor, order)
    with transaction.atomic():
        visit = Visit.objects.select_for_update().select_related("order__service").filter(order=order).first()
        if visit is None:
            raise Conflict(_("The visit has not started: check in first."), code=ServicesError.NOT_CHECKED_IN)
        if visit.checked_out_at is not None:
            raise Conflict(_("This visit has already ended."), code=ServicesError.ALREADY_CHECKED_OUT)
        at = at or timezone.now()
        if at <= visit.checked_in_at:
            raise field_error("at", _("Check-out comes after check-in."), code=ServicesError.NOT_CHECKED_IN)
        visit.checked_out_at, visit.out_longitude, visit.out_latitude = at, longitude, latitude
        visit.minutes = int((at - visit.checked_in_at).total_seconds() // 60)
        visit.too_short = visit.minutes < visit.order.service.min_minutes
        visit.save()
        HomeOrder.objects.filter(pk=order.pk).update(status=HomeOrder.Status.DONE)
        audit_record(
            actor=actor,
            action="services.visit.check_out",
            target=order,
            changes={
                "checked_out_at": {"old": None, "new": at},
                "too_short": {"old": None, "new": visit.too_short},
            },
            request=request,
        )
    return visit


def visit_rate(*, actor, order: HomeOrder, rating: int, comment: str = "", request=None) -> Visit:
    with transaction.atomic():
        visit = Visit.objects.select_for_update().filter(order=order).first()
        if visit is None or visit.checked_out_at is None:
            raise Conflict(_("A visit is rated once it has ended."), code=ServicesError.NOT_CHECKED_IN)
        if visit.rating is not None:
            raise Conflict(_("This visit has been rated."), code=ServicesError.VISIT_RATED)
        visit.rating, visit.comment = rating, comment[:500]
        visit.save(update_fields=["rating", "comment"])
        audit_record(
            actor=actor,
            action="services.visit.rate",
            target=order,
            changes={"rating": {"old": None, "new": rating}},
            request=request,
        )
    return visit


def orders_served_by(user):
    """A provider worker's orders: those of their providers, where they hold the staff role."""
    providers = ProviderStaff.objects.filter(user=user).values("provider_id")
    return HomeOrder.objects.visible_to(user, SERVE).filter(provider_id__in=providers)
