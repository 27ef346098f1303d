"""The meeting-request workflow: send, accept, decline, cancel, block (expiry: expiry.py).

Every change is made in one transaction that also records who did it and when
(MeetingRequestChange) and queues the e-mail that tells the other side (the outbox sends
it after commit). Refusals raise RequestRefused with a code the web and API layers map
to their messages and statuses.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.core.names import display_name
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.languages import in_language_of_participant
from superconnector.directory.domain.visibility import may_request
from superconnector.directory.models import Participant
from superconnector.meetings.domain.links import (
    REQUEST_LINK_LIFETIME,
    meetings_page_url,
    request_sign_in_url,
)
from superconnector.meetings.models import (
    ACTIVE_STATUSES,
    Block,
    Meeting,
    MeetingRequest,
    MeetingRequestChange,
    RequestStatus,
)


class RequestRefused(Exception):
    """The workflow does not allow this; `code` says which rule, the message says it plainly."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def send_request(
    sender: Participant,
    recipient: Participant,
    *,
    message: str = "",
    priority: int = 2,
    actor=None,
    source: str = "web",
    now: dt.datetime | None = None,
) -> MeetingRequest:
    """Ask for a meeting. If the recipient already asked the sender, the two requests merge:
    theirs is accepted and returned, and both are told."""
    now = now or timezone.now()
    _check_can_request(sender, recipient, priority, now)
    with transaction.atomic():
        open_requests = _open_between(sender, recipient).select_for_update()
        for existing in open_requests:
            if existing.sender_id == recipient.pk and existing.status == RequestStatus.PENDING:
                return _merge_mutual(existing, actor, source, now)
            raise RequestRefused(
                "already_requested",
                _("You already have an open meeting request with %(name)s.")
                % {"name": recipient.person.name},
            )
        pending = MeetingRequest.objects.filter(sender=sender, status=RequestStatus.PENDING).count()
        if pending >= sender.event.max_pending_requests:
            raise RequestRefused(
                "too_many_pending",
                _("You have %(count)s unanswered requests; wait for answers before sending more.")
                % {"count": pending},
            )
        try:
            with transaction.atomic():
                request = MeetingRequest.objects.create(
                    event=sender.event,
                    key=f"req-{uuid.uuid4().hex[:12]}",
                    sender=sender,
                    recipient=recipient,
                    sender_organisation=sender.event_organisation,
                    recipient_organisation=recipient.event_organisation,
                    status=RequestStatus.PENDING,
                    priority=priority,
                    message=message.strip(),
                )
        except IntegrityError:
            # A request between the two was opened concurrently: the database kept one. If
            # it is the recipient asking us (crossed requests), merge as if it had come first;
            # read committed lets this transaction see it now.
            crossed = (
                _open_between(sender, recipient)
                .select_for_update()
                .filter(sender=recipient, status=RequestStatus.PENDING)
                .first()
            )
            if crossed is not None:
                return _merge_mutual(crossed, actor, source, now)
            raise RequestRefused(
                "already_requested", _("A meeting request between you already exists.")
            ) from None
        _record(request, "", RequestStatus.PENDING, actor, source)
        _notify(
            recipient,
            request,
            "request_received",
            functools.partial(_received_mail, request, request_sign_in_url(recipient, request.pk)),
        )
    return request


def _received_mail(request: MeetingRequest, sign_in_url: str | None) -> tuple[str, str]:
    sender, page = request.sender, meetings_page_url(request.event, request.pk)
    subject = _("%(name)s would like to meet you") % {"name": sender.person.name}
    body = _(
        "%(name)s (%(organisation)s) asks for a one-to-one meeting at %(event)s."
        "\n\n%(message)s\n\nAccept or decline the request here:\n%(url)s"
    ) % {
        "name": sender.person.name,
        "organisation": sender.organisation.name,
        "event": display_name(sender.event),
        "message": request.message,
        "url": sign_in_url or page,
    }
    if sign_in_url:
        body += "\n\n" + _(
            "The link signs you in once, for %(days)s days; after that, the request is on "
            "your meetings page:\n%(page)s"
        ) % {"days": REQUEST_LINK_LIFETIME.days, "page": page}
    return subject, body


def _check_can_request(sender: Participant, recipient: Participant, priority: int, now) -> None:
    if sender.pk == recipient.pk:
        raise RequestRefused("same_person", _("You cannot request a meeting with yourself."))
    if sender.event_id != recipient.event_id:
        raise RequestRefused("other_event", _("You can only meet delegates of the same event."))
    if sender.event_organisation_id == recipient.event_organisation_id:
        raise RequestRefused(
            "same_organisation", _("Meetings are between different organisations.")
        )
    if not 1 <= priority <= 3:
        raise RequestRefused("priority", _("Priority must be 1, 2 or 3."))
    deadline = sender.event.request_deadline
    if deadline is not None and now >= deadline:
        raise RequestRefused("closed", _("Meeting requests for this event are closed."))
    _check_both_listed(sender, recipient)
    if Block.objects.filter(blocker=recipient, blocked=sender).exists():
        # Said the same way as any unavailable person: the block is not revealed.
        raise RequestRefused("unavailable", _("This delegate is not taking meeting requests."))


def _check_both_listed(sender: Participant, recipient: Participant) -> None:
    """A request names each side to the other, so both must be listed (who is: see
    directory/domain/visibility.py). Said as for a block: why is not revealed."""
    if not may_request(sender, recipient):
        raise RequestRefused("unavailable", _("This delegate is not taking meeting requests."))


def _open_between(a: Participant, b: Participant):
    return MeetingRequest.objects.filter(
        status__in=ACTIVE_STATUSES,
        sender__in=[a, b],
        recipient__in=[a, b],
    )


def _merge_mutual(request: MeetingRequest, actor, source: str, now) -> MeetingRequest:
    request.status, request.responded_at = RequestStatus.ACCEPTED, now
    request.save(update_fields=["status", "responded_at", "updated_at"])
    _record(
        request,
        RequestStatus.PENDING,
        RequestStatus.ACCEPTED,
        actor,
        source,
        note="both asked to meet: requests merged",
    )
    for person, other in ((request.sender, request.recipient), (request.recipient, request.sender)):
        _notify(
            person,
            request,
            "request_accepted",
            functools.partial(_confirmed_mail, request, other),
        )
    return request


def _confirmed_mail(request: MeetingRequest, other: Participant) -> tuple[str, str]:
    subject = _("Meeting confirmed with %(name)s") % {"name": other.person.name}
    body = _(
        "You and %(name)s (%(organisation)s) both asked to meet: the meeting is "
        "confirmed and will be scheduled.\n\nYour meetings:\n%(url)s"
    ) % {
        "name": other.person.name,
        "organisation": other.organisation.name,
        "url": meetings_page_url(request.event, request.pk),
    }
    return subject, body


def _locked(request: MeetingRequest) -> MeetingRequest:
    """The request row, locked for this transaction, so that concurrent answers queue."""
    return (
        MeetingRequest.objects.select_for_update()
        .select_related(
            "sender__person",
            "recipient__person",
            "event",
            "sender__event_organisation__organisation",
            "recipient__event_organisation__organisation",
        )
        .get(pk=request.pk)
    )


def accept_request(
    request: MeetingRequest, *, by: Participant, actor=None, source: str = "web", now=None
) -> MeetingRequest:
    now = now or timezone.now()
    with transaction.atomic():
        request = _locked(request)
        _check_answerable(request, by, now)
        request.status, request.responded_at = RequestStatus.ACCEPTED, now
        request.save(update_fields=["status", "responded_at", "updated_at"])
        _record(request, RequestStatus.PENDING, RequestStatus.ACCEPTED, actor, source)
        _notify(
            request.sender,
            request,
            "request_accepted",
            lambda: (
                _("%(name)s accepted your meeting request")
                % {"name": request.recipient.person.name},
                _(
                    "%(name)s (%(organisation)s) accepted. The meeting will appear in your "
                    "agenda once the schedule is published.\n\nYour meetings:\n%(url)s"
                )
                % {
                    "name": request.recipient.person.name,
                    "organisation": request.recipient.organisation.name,
                    "url": meetings_page_url(request.event, request.pk),
                },
            ),
        )
    return request


def decline_request(
    request: MeetingRequest,
    *,
    by: Participant,
    reason: str = "",
    actor=None,
    source: str = "web",
    now=None,
) -> MeetingRequest:
    now = now or timezone.now()
    with transaction.atomic():
        request = _locked(request)
        _check_answerable(request, by, now)
        request.status, request.responded_at = RequestStatus.DECLINED, now
        request.decline_reason = reason.strip()
        request.save(update_fields=["status", "responded_at", "decline_reason", "updated_at"])
        _record(
            request,
            RequestStatus.PENDING,
            RequestStatus.DECLINED,
            actor,
            source,
            note=request.decline_reason,
        )
        _notify(request.sender, request, "request_declined", lambda: _declined_mail(request))
    return request


def _declined_mail(request: MeetingRequest) -> tuple[str, str]:
    name = request.recipient.person.name
    body = _("%(name)s declined your meeting request.") % {"name": name}
    if request.decline_reason:
        body += "\n\n" + _("Reason: %(reason)s") % {"reason": request.decline_reason}
    body += "\n\n" + _("Your meetings:") + "\n" + meetings_page_url(request.event, request.pk)
    subject = _("%(name)s declined your meeting request") % {"name": name}
    return subject, body


def _check_answerable(request: MeetingRequest, by: Participant, now) -> None:
    if by.pk != request.recipient_id:
        raise RequestRefused("not_recipient", _("Only the person asked can answer this request."))
    if request.status != RequestStatus.PENDING:
        raise RequestRefused(
            "not_pending",
            _("This request is %(status)s already.") % {"status": request.get_status_display()},
        )
    deadline = request.event.request_deadline
    if deadline is not None and now >= deadline:
        raise RequestRefused("closed", _("Meeting requests for this event are closed."))


def cancel_request(
    request: MeetingRequest, *, by: Participant, actor=None, source: str = "web", now=None
) -> MeetingRequest:
    """Withdraw a pending request (sender) or call off an accepted one (either side).

    A scheduled meeting of the request is removed, which frees both people's slot.
    """
    with transaction.atomic():
        request = _locked(request)
        if by.pk not in (request.sender_id, request.recipient_id):
            raise RequestRefused("not_party", _("Only the two people concerned can cancel it."))
        if request.status not in ACTIVE_STATUSES:
            raise RequestRefused(
                "not_active",
                _("This request is %(status)s already.") % {"status": request.get_status_display()},
            )
        if request.status == RequestStatus.PENDING and by.pk != request.sender_id:
            raise RequestRefused(
                "not_sender", _("Decline a request you received instead of cancelling it.")
            )
        previous = request.status
        request.status = RequestStatus.CANCELLED
        request.save(update_fields=["status", "updated_at"])
        Meeting.objects.filter(request=request).delete()
        _record(request, previous, RequestStatus.CANCELLED, actor, source)
        other = request.recipient if by.pk == request.sender_id else request.sender
        _notify(
            other,
            request,
            "request_cancelled",
            lambda: (
                _("%(name)s cancelled the meeting") % {"name": by.person.name},
                _("%(name)s (%(organisation)s) cancelled the meeting request.")
                % {"name": by.person.name, "organisation": by.organisation.name}
                + "\n\n"
                + _("Your meetings:")
                + "\n"
                + meetings_page_url(request.event, request.pk),
            ),
        )
    return request


def block_participant(blocker: Participant, blocked: Participant) -> Block:
    """Stop `blocked` from sending `blocker` requests; open requests from them are declined."""
    if blocker.event_id != blocked.event_id or blocker.pk == blocked.pk:
        raise RequestRefused("other_event", _("You can only block another delegate of this event."))
    with transaction.atomic():
        block, _created = Block.objects.get_or_create(
            event=blocker.event, blocker=blocker, blocked=blocked
        )
        for request in MeetingRequest.objects.filter(
            sender=blocked, recipient=blocker, status=RequestStatus.PENDING
        ):
            decline_request(request, by=blocker, source="block")
    return block


def _record(request, from_status: str, to_status: str, actor, source: str, note: str = "") -> None:
    MeetingRequestChange.objects.create(
        request=request,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        source=source,
        note=note,
    )


def _notify(
    participant: Participant,
    request: MeetingRequest,
    kind: str,
    compose: Callable[[], tuple[str, str]],
) -> None:
    """Mail `participant` what `compose` writes, composed in their language (not in the
    language of whoever acted: an acceptance is read by the sender, not by the one who
    accepted)."""
    with in_language_of_participant(participant):
        subject, body = compose()
    queue_mail(participant.person.email, subject, body, event=request.event, kind=kind)
