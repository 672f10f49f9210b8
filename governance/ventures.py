"""Social organizations and 公益创投 rounds: call → applications → review by assigned reviewers
(conflicts declared) → funding (Decimal, never above the round's budget) → milestones → evaluation."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, Forbidden, field_error, not_found_in_payload
from core.audit.services import audit_record, changed_fields, created
from core.pii.masking import mask_name
from core.regions.paths import is_under, region_in_scope
from governance.contributions import MANAGE, REVIEW
from governance.errors import GovernanceError
from governance.models import (
    Milestone,
    OrganizationReport,
    ReviewAssignment,
    SocialOrganization,
    VentureApplication,
    VentureRound,
)


def organization_register(
    *,
    actor,
    region: int,
    name: str,
    field: str,
    stage: str,
    contact_name: str,
    contact_phone: str = "",
    party_organization: str = "",
    request=None,
) -> SocialOrganization:
    place = region_in_scope(actor, region, MANAGE)
    if place is None:
        raise not_found_in_payload("region")
    with transaction.atomic():
        organization = SocialOrganization.objects.create(
            region=place,
            region_path=place.path,
            name=name,
            field=field,
            stage=stage,
            contact_name=contact_name,
            contact_name_masked=mask_name(contact_name) or "",
            contact_phone=contact_phone,
            party_organization=party_organization,
        )
        audit_record(
            actor=actor,
            action="governance.organization.register",
            target=organization,
            changes=created(name=name, stage=stage),
            request=request,
        )
    return organization


def organization_report(
    *, actor, organization, year: int, activities: int, beneficiaries: int, summary="", request=None
):
    with transaction.atomic():
        report, _new = OrganizationReport.objects.update_or_create(
            organization=organization,
            year=year,
            defaults={"activities": activities, "beneficiaries": beneficiaries, "summary": summary},
        )
        audit_record(
            actor=actor,
            action="governance.organization.report",
            target=organization,
            changes=created(year=year, activities=activities, beneficiaries=beneficiaries),
            request=request,
        )
    return report


def round_open(*, actor, region: int, title: str, budget: Decimal, request=None) -> VentureRound:
    place = region_in_scope(actor, region, MANAGE)
    if place is None:
        raise not_found_in_payload("region")
    if budget <= 0:
        raise field_error("budget", _("The budget must be positive."))
    with transaction.atomic():
        venture = VentureRound.objects.create(
            region=place, region_path=place.path, title=title, budget=budget
        )
        audit_record(
            actor=actor,
            action="governance.venture.open",
            target=venture,
            changes=created(budget=budget),
            request=request,
        )
    return venture


def _require(venture: VentureRound, status: str) -> None:
    if venture.status != status:
        raise Conflict(_("The round is not at this stage."), code=GovernanceError.WRONG_STAGE)


def venture_apply(
    *, actor, venture: VentureRound, organization, title: str, requested: Decimal, request=None
):
    _require(venture, VentureRound.Status.CALL)
    if not is_under(organization.region_path, venture.region_path):
        raise not_found_in_payload("organization")
    if requested <= 0:
        raise field_error("requested", _("Ask for a positive amount."))
    with transaction.atomic():
        application = VentureApplication.objects.create(
            round=venture, organization=organization, title=title, requested=requested
        )
        audit_record(
            actor=actor,
            action="governance.venture.apply",
            target=venture,
            changes=created(title=title, requested=requested),
            request=request,
        )
    return application


def reviewer_assign(*, actor, application: VentureApplication, reviewer, request=None) -> ReviewAssignment:
    """Assign a reviewer (holding the review permission over the round's place); the round moves
    to review with its first assignment."""
    venture = application.round
    from core.regions.scoping import scope_for

    if not scope_for(reviewer).covers(venture.region_path, REVIEW):
        raise not_found_in_payload("reviewer")
    with transaction.atomic():
        assignment = ReviewAssignment.objects.create(application=application, reviewer=reviewer)
        if venture.status == VentureRound.Status.CALL:
            venture.status = VentureRound.Status.REVIEW
            venture.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="governance.venture.assign",
            target=venture,
            changes=created(reviewer=reviewer.pk),
            request=request,
        )
    return assignment


def assignments_of(reviewer):
    """What a reviewer sees: the applications assigned to them, nothing else."""
    return ReviewAssignment.objects.filter(reviewer=reviewer).select_related("application")


def review_score(
    *, actor, application: VentureApplication, score: int | None = None, conflict_note: str = "", request=None
):
    """The assigned reviewer scores (0–100), or declares a conflict of interest and scores nothing."""
    assignment = ReviewAssignment.objects.filter(application=application, reviewer=actor).first()
    if assignment is None:
        raise Forbidden(_("This application is not assigned to you."), code=GovernanceError.NOT_ASSIGNED)
    if assignment.conflict:
        raise Conflict(_("You declared a conflict of interest."), code=GovernanceError.CONFLICT_OF_INTEREST)
    if conflict_note:
        assignment.conflict, assignment.conflict_note, assignment.score = True, conflict_note, None
    elif score is None or not 0 <= score <= 100:
        raise field_error("score", _("A score runs from 0 to 100."))
    else:
        assignment.score = score
    with transaction.atomic():
        assignment.save()
        audit_record(
            actor=actor,
            action="governance.venture.score",
            target=application.round,
            changes=created(application=application.pk, conflict=assignment.conflict, score=assignment.score),
            request=request,
        )
    return assignment


def average_score(application: VentureApplication):
    return application.reviews.filter(conflict=False, score__isnull=False).aggregate(avg=Avg("score"))["avg"]


def venture_fund(
    *, actor, application: VentureApplication, amount: Decimal, request=None
) -> VentureApplication:
    """Grant an amount, at most what was asked; the round's grants never exceed its budget (the
    round row is locked, so two grants at once cannot both squeeze under it)."""
    with transaction.atomic():
        venture = VentureRound.objects.select_for_update().get(pk=application.round_id)
        if venture.status not in (VentureRound.Status.REVIEW, VentureRound.Status.FUNDED):
            raise Conflict(_("The round is not at this stage."), code=GovernanceError.WRONG_STAGE)
        if average_score(application) is None:
            raise Conflict(
                _("No reviewer has scored this application yet."), code=GovernanceError.WRONG_STAGE
            )
        if amount <= 0 or amount > application.requested:
            raise field_error("amount", _("Grant a positive amount, at most what was asked."))
        granted = venture.applications.exclude(pk=application.pk).aggregate(total=Sum("granted"))[
            "total"
        ] or Decimal("0")
        if granted + amount > venture.budget:
            raise field_error(
                "amount",
                _("This grant would take the round over its budget (%(left)s left).")
                % {"left": venture.budget - granted},
                code=GovernanceError.BUDGET_EXCEEDED,
            )
        old = application.granted
        application.granted, application.status = amount, VentureApplication.Status.FUNDED
        application.save(update_fields=["granted", "status"])
        venture.status = VentureRound.Status.FUNDED
        venture.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="governance.venture.fund",
            target=venture,
            changes=changed_fields({"granted": old}, {"granted": amount}),
            request=request,
        )
    return application


def milestone_add(*, actor, application: VentureApplication, title: str, due_on, request=None) -> Milestone:
    """A milestone the funded project agreed to (its report comes later)."""
    if application.status != VentureApplication.Status.FUNDED:
        raise Conflict(_("Only a funded project has milestones."), code=GovernanceError.WRONG_STAGE)
    with transaction.atomic():
        milestone = Milestone.objects.create(application=application, title=title, due_on=due_on)
        audit_record(
            actor=actor,
            action="governance.venture.milestone_add",
            target=application.round,
            changes=created(application=application.pk, title=title, due_on=str(due_on)),
            request=request,
        )
    return milestone


def milestone_report(*, actor, milestone: Milestone, report: str, request=None) -> Milestone:
    if milestone.application.status != VentureApplication.Status.FUNDED:
        raise Conflict(_("Only a funded project reports milestones."), code=GovernanceError.WRONG_STAGE)
    with transaction.atomic():
        milestone.report, milestone.reported_on = report, timezone.localdate()
        milestone.save(update_fields=["report", "reported_on"])
        audit_record(
            actor=actor,
            action="governance.venture.milestone",
            target=milestone.application.round,
            request=request,
        )
    return milestone


def venture_evaluate(*, actor, application: VentureApplication, score: int, note: str = "", request=None):
    """The final evaluation, once every milestone is reported."""
    if (
        application.status != VentureApplication.Status.FUNDED
        or application.milestones.filter(reported_on__isnull=True).exists()
    ):
        raise Conflict(
            _("Evaluate a funded project once its milestones are reported."), code=GovernanceError.WRONG_STAGE
        )
    with transaction.atomic():
        application.evaluation_score, application.evaluation_note = score, note
        application.status = VentureApplication.Status.EVALUATED
        application.save(update_fields=["evaluation_score", "evaluation_note", "status"])
        audit_record(
            actor=actor,
            action="governance.venture.evaluate",
            target=application.round,
            changes=created(score=score),
            request=request,
        )
    return application
