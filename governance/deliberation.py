"""议事协商: topics, comments, meetings, the secret vote and the decision's follow-up events.

The vote: participation (unique per household or voter, by a database constraint) and the ballot
(random id, no voter, no time) are written in one transaction; the voter gets the ballot's receipt
code. The counts exist only after the close, which writes them once; before it the tally is
refused to everyone, staff included. After it the receipt codes counted are published, without
choices, so each voter can check theirs was counted and nobody can prove what anyone chose.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import Conflict, Forbidden, field_error, not_found_in_payload
from core.audit.services import audit_record, changed_fields, created
from core.notices.services import notify
from core.regions.models import Region
from core.regions.paths import region_in_scope
from core.registry.models import Resident
from core.workflow.models import Event
from core.workflow.services import event_report
from governance.contributions import FOLLOW_UP, RAISE
from governance.errors import GovernanceError
from governance.models import (
    Ballot,
    Meeting,
    MeetingAttendance,
    Topic,
    TopicComment,
    TopicFollower,
    TopicFollowUp,
    VoteParticipation,
)
from governance.people import adults_q, record_in

# --- topics and discussion ------------------------------------------------------------------------


def topic_raise(*, actor, community: int, title: str, body: str = "", request=None, **vote_rules) -> Topic:
    """A worker raises a topic in a community of their scope; a verified resident in their own."""
    region = region_in_scope(actor, community, RAISE, levels=(Region.Level.COMMUNITY,))
    if region is None:
        candidate = Region.objects.filter(pk=community, level=Region.Level.COMMUNITY).first()
        if candidate is None or record_in(actor, candidate.path) is None:
            raise not_found_in_payload("community")
        region = candidate
    with transaction.atomic():
        topic = Topic.objects.create(
            region=region, region_path=region.path, title=title, body=body, raised_by=actor, **vote_rules
        )
        TopicFollower.objects.create(topic=topic, user=actor)
        audit_record(
            actor=actor,
            action="governance.topic.raise",
            target=topic,
            changes=created(title=title),
            request=request,
        )
    return topic


def _check_vote_rules(rules: dict, region) -> dict:
    if rules.get("reach") == Topic.Reach.BUILDING:
        from core.registry.models import Building

        building = Building.objects.filter(
            pk=rules.get("building"), region_path__startswith=region.path
        ).first()
        if building is None:
            raise not_found_in_payload("building")
        rules["building"] = building
    else:
        rules["building"] = None
    return rules


def comment_add(*, actor, topic: Topic, body: str, request=None) -> TopicComment:
    if topic.status == Topic.Status.CLOSED:
        raise Conflict(_("The topic is closed."), code=GovernanceError.WRONG_STAGE)
    with transaction.atomic():
        comment = TopicComment.objects.create(topic=topic, author=actor, body=body)
        TopicFollower.objects.get_or_create(topic=topic, user=actor)
        audit_record(actor=actor, action="governance.topic.comment", target=topic, request=request)
    return comment


def meeting_hold(
    *, actor, topic: Topic, held_at, place: str, agenda: str, minutes: str = "", attendees=(), request=None
) -> Meeting:
    """A deliberation meeting: its agenda, who attended (residents of the community) and minutes."""
    people = list(Resident.objects.filter(pk__in=set(attendees), region_path__startswith=topic.region_path))
    if len(people) != len(set(attendees)):
        raise not_found_in_payload("attendees")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            topic=topic, held_at=held_at, place=place, agenda=agenda, minutes=minutes
        )
        MeetingAttendance.objects.bulk_create(MeetingAttendance(meeting=meeting, resident=p) for p in people)
        audit_record(
            actor=actor,
            action="governance.meeting.hold",
            target=topic,
            changes=created(place=place, attendees=len(people)),
            request=request,
        )
    return meeting


def _tell_followers(topic: Topic, title: str) -> None:
    for user_id in topic.followers.values_list("user_id", flat=True):
        from core.accounts.models import User

        notify(kind="governance.topic", title=title[:200], user=User(pk=user_id), link=topic)


def topic_answer(*, actor, topic: Topic, answer: str, request=None) -> Topic:
    """The official answer; its author and followers are told."""
    with transaction.atomic():
        old = topic.answer
        topic.answer = answer
        topic.save(update_fields=["answer", "updated_at"])
        audit_record(
            actor=actor,
            action="governance.topic.answer",
            target=topic,
            changes=changed_fields({"answer": old}, {"answer": answer}),
            request=request,
        )
        _tell_followers(topic, _("The topic “%(title)s” has an official answer.") % {"title": topic.title})
    return topic


def _set_status(topic: Topic, status: str, **fields) -> dict:
    old = topic.status
    topic.status = status
    for name, value in fields.items():
        setattr(topic, name, value)
    topic.save()
    return changed_fields({"status": old}, {"status": status})


# --- the vote ---------------------------------------------------------------------------------------


def vote_open(*, actor, topic: Topic, closes_at, request=None, **rules) -> Topic:
    """Put the topic to the vote, with who votes and the threshold (Topic.Electorate, .Reach,
    .Threshold, quorum_percent), until `closes_at`."""
    if topic.status != Topic.Status.OPEN:
        raise Conflict(_("Only an open topic can be put to the vote."), code=GovernanceError.WRONG_STAGE)
    if closes_at <= timezone.now():
        raise field_error(
            "closes_at", _("The vote must close in the future."), code=GovernanceError.OUT_OF_WINDOW
        )
    rules = _check_vote_rules(rules, topic.region)
    with transaction.atomic():
        changes = _set_status(topic, Topic.Status.VOTING, vote_closes_at=closes_at, **rules)
        audit_record(
            actor=actor, action="governance.topic.open_vote", target=topic, changes=changes, request=request
        )
        _tell_followers(topic, _("The topic “%(title)s” is put to the vote.") % {"title": topic.title})
    return topic


def electorate(topic: Topic):
    """The residents who may vote on the topic (adults living in its reach), and the number of
    votes there can be (households, or those residents)."""
    people = Resident.objects.filter(status=Resident.Status.ACTIVE).filter(adults_q())
    if topic.reach == Topic.Reach.BUILDING:
        people = people.filter(house__building_id=topic.building_id)
    else:
        people = people.filter(region_path__startswith=topic.region_path)
    if topic.electorate == Topic.Electorate.HOUSEHOLD:
        people = people.filter(household__isnull=False)
        return people, people.values("household_id").distinct().count()
    return people, people.count()


def _voter(actor, topic: Topic) -> tuple[Resident, str]:
    """The actor's record in the topic's electorate and the key it votes under."""
    record = record_in(actor, topic.region_path)
    people, _size = electorate(topic)
    if record is None or not people.filter(pk=record.pk).exists():
        raise Forbidden(
            _("You are not among the voters of this topic."), code=GovernanceError.NOT_IN_ELECTORATE
        )
    if topic.electorate == Topic.Electorate.HOUSEHOLD:
        return record, f"household:{record.household_id}"
    return record, f"resident:{record.pk}"


def _vote_running(topic_id: int) -> bool:
    return Topic.objects.filter(
        pk=topic_id,
        status=Topic.Status.VOTING,
        vote_closed_at__isnull=True,
        vote_closes_at__gt=timezone.now(),
    ).exists()


def topic_vote(*, actor, topic: Topic, choice: str, request=None) -> str:
    """Cast a ballot; returns its receipt code. A second vote of the household (or voter) is
    refused by the database's unique constraint, also when both arrive at once."""
    if not _vote_running(topic.pk):
        raise Conflict(_("The vote is not open."), code=GovernanceError.VOTE_CLOSED)
    record, key = _voter(actor, topic)
    receipt = secrets.token_hex(6).upper()
    try:
        with transaction.atomic():
            VoteParticipation.objects.create(topic=topic, voter_key=key, resident=record)
            Ballot.objects.create(topic=topic, choice=choice, receipt=receipt)
            # Re-read after the writes: a close that committed meanwhile (it locks the topic,
            # which the ballot's foreign key waits on) refuses this ballot, so none lands uncounted.
            if not _vote_running(topic.pk):
                raise Conflict(_("The vote is not open."), code=GovernanceError.VOTE_CLOSED)
            audit_record(actor=actor, action="governance.topic.vote", target=topic, request=request)
    except IntegrityError:
        raise Conflict(
            _("Your household has already voted.")
            if topic.electorate == Topic.Electorate.HOUSEHOLD
            else _("You have already voted."),
            code=GovernanceError.ALREADY_VOTED,
        ) from None
    return receipt


def passed(topic: Topic) -> str:
    """The outcome: quorum (ballots over the electorate), then the threshold over ballots cast,
    abstentions included (a simple majority is more than half, two-thirds at least two-thirds)."""
    cast = topic.votes_for + topic.votes_against + topic.votes_abstain
    if not topic.electorate_size or cast * 100 < topic.quorum_percent * topic.electorate_size:
        return Topic.Outcome.NO_QUORUM
    if topic.threshold == Topic.Threshold.TWO_THIRDS:
        ok = topic.votes_for * 3 >= cast * 2
    else:
        ok = topic.votes_for * 2 > cast
    return Topic.Outcome.PASSED if ok else Topic.Outcome.FAILED


def vote_close(*, actor, topic: Topic, request=None) -> Topic:
    """Close the vote and write its counts, once (the topic row locked against late ballots)."""
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if topic.status != Topic.Status.VOTING or topic.vote_closed_at:
            raise Conflict(_("The topic is not being voted on."), code=GovernanceError.WRONG_STAGE)
        counts = dict(topic.ballots.values_list("choice").annotate(n=Count("id")))
        _people, size = electorate(topic)
        topic.electorate_size = size
        topic.votes_for = counts.get(Ballot.Choice.FOR, 0)
        topic.votes_against = counts.get(Ballot.Choice.AGAINST, 0)
        topic.votes_abstain = counts.get(Ballot.Choice.ABSTAIN, 0)
        topic.outcome = passed(topic)
        changes = _set_status(topic, Topic.Status.DECIDED, vote_closed_at=timezone.now())
        changes.update(created(outcome=topic.outcome, electorate=size))
        audit_record(
            actor=actor, action="governance.topic.close_vote", target=topic, changes=changes, request=request
        )
        _tell_followers(
            topic,
            _("The vote on “%(title)s” is closed: %(outcome)s.")
            % {"title": topic.title, "outcome": topic.get_outcome_display()},
        )
    return topic


def topic_tally(topic: Topic) -> dict:
    """Counts and the receipt codes counted, after the close only (to everyone alike)."""
    if topic.vote_closed_at is None:
        raise Conflict(_("The tally is sealed until the vote closes."), code=GovernanceError.TALLY_SEALED)
    return {
        "electorate": topic.electorate_size,
        "for": topic.votes_for,
        "against": topic.votes_against,
        "abstain": topic.votes_abstain,
        "outcome": topic.outcome,
        "receipts": sorted(topic.ballots.values_list("receipt", flat=True)),
    }


# --- decision and follow-up -----------------------------------------------------------------------


def topic_decide(*, actor, topic: Topic, decision: str, request=None) -> Topic:
    """Record the decision (after a vote, or taken by the meeting) and tell the followers."""
    if topic.status == Topic.Status.VOTING or topic.status == Topic.Status.CLOSED:
        raise Conflict(_("Decide after the vote closes."), code=GovernanceError.WRONG_STAGE)
    with transaction.atomic():
        changes = _set_status(topic, Topic.Status.DECIDED, decision=decision)
        audit_record(
            actor=actor, action="governance.topic.decide", target=topic, changes=changes, request=request
        )
        _tell_followers(topic, _("The topic “%(title)s” is decided.") % {"title": topic.title})
    return topic


def follow_up_open(*, actor, topic: Topic, title: str, description: str = "", request=None) -> Event:
    """Open the decision's follow-up work as an event of the community; the topic shows its state."""
    if topic.status != Topic.Status.DECIDED:
        raise Conflict(
            _("Follow-up work is opened once the topic is decided."), code=GovernanceError.WRONG_STAGE
        )
    with transaction.atomic():
        event, _merged = event_report(
            reporter=actor,
            type_key=FOLLOW_UP.key,
            source=Event.Source.DOMAIN,
            title=title,
            description=description,
            community=topic.region,
            request=request,
        )
        TopicFollowUp.objects.create(topic=topic, event=event)
        audit_record(
            actor=actor,
            action="governance.topic.follow_up",
            target=topic,
            changes=created(event=event.pk),
            request=request,
        )
    return event


def topic_close(*, actor, topic: Topic, request=None) -> Topic:
    with transaction.atomic():
        changes = _set_status(topic, Topic.Status.CLOSED)
        audit_record(
            actor=actor, action="governance.topic.decide", target=topic, changes=changes, request=request
        )
        _tell_followers(topic, _("The topic “%(title)s” is closed.") % {"title": topic.title})
    return topic
