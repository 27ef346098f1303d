"""Whose e-mail and phone a delegate may see: cards are exchanged at an accepted meeting."""

from __future__ import annotations

from superconnector.directory.models import Participant
from superconnector.meetings.models import MeetingRequest, RequestStatus


def accepted_counterpart_ids(viewer: Participant, *, sharing_contact: bool = False) -> set[int]:
    """The participants `viewer` has an accepted meeting with (in one query); with
    `sharing_contact`, only those who have not withdrawn the contact consent."""
    accepted = MeetingRequest.objects.filter(status=RequestStatus.ACCEPTED).order_by()
    asked = accepted.filter(sender=viewer)
    asked_me = accepted.filter(recipient=viewer)
    if sharing_contact:
        asked = asked.filter(recipient__person__contact_hidden=False)
        asked_me = asked_me.filter(sender__person__contact_hidden=False)
    return set(
        asked.values_list("recipient_id", flat=True).union(
            asked_me.values_list("sender_id", flat=True)
        )
    )


def contact_shared_ids(viewer: Participant) -> frozenset[int]:
    """Participants whose e-mail and phone `viewer` may see: their own, and those of the
    people they have an accepted meeting with (cards are exchanged), unless that person
    withdrew the consent to share contact details (`Person.contact_hidden`)."""
    return frozenset({viewer.pk, *accepted_counterpart_ids(viewer, sharing_contact=True)})
