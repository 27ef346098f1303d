"""Who sees whom: the one rule for who may see, be recommended to, request, be scheduled with
and be named to whom. Rights (what an organiser may do) stay in events/domain/access.py.

A participant is *listed* (other delegates and the engine see them) while all of these hold:
- their organisation in this event is published (not awaiting review, not hidden);
- their person has not withdrawn the "show my profile" consent (`Person.profile_hidden`);
- their person is not erased (`Person.erased_at`);
- their account, if they have one, is active (`User.is_active`).

An unlisted participant still sees themselves, and the colleagues of their own organisation
while it awaits review (the organisation is theirs; only the person-level states hide them
from colleagues). Organisers see everyone in the back office, marked with why they are not
listed (`unlisted_reasons`). Everything else (the directory and its search, the API,
recommendations, the request form and request endpoints, feedback, matching and scheduling
runs, freed no-show places, agendas, request lists, business cards and a delegate's data
export) asks the functions below, never the flags themselves.

Which opportunities a delegate may read adds one rule to these, the confidential one, which
depends on the matches: it is in matchmaking/domain/visibility.py.

When someone stops being listed, `meetings.domain.unlisting.withdraw_unlisted` closes what
they had open (see there); this module only answers questions and writes nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from superconnector.directory.models import (
    EventOrganisation,
    Opportunity,
    Participant,
    ReviewStatus,
)

# What another delegate is shown in place of an unlisted person's name and organisation
# where a record must stay (a request they were part of, a meeting that already took place).
UNLISTED_NAME = _("A delegate who is no longer listed")


# --- the rule, as queryset conditions ------------------------------------------------------


def listed_organisations_q(prefix: str = "") -> Q:
    """EventOrganisation rows (at `prefix`) that other delegates and the engine see."""
    return Q(**{f"{prefix}review_status": ReviewStatus.PUBLISHED})


def hidden_people_q(prefix: str = "") -> Q:
    """Participant rows (at `prefix`) hidden by a state of their person or account,
    whatever their organisation: withdrawn profile consent, erased, account disabled."""
    return (
        Q(**{f"{prefix}person__profile_hidden": True})
        | Q(**{f"{prefix}person__erased_at__isnull": False})
        | Q(**{f"{prefix}person__user__is_active": False})
    )


def listed_people_q(prefix: str = "") -> Q:
    """Participant rows (at `prefix`) that other delegates and the engine see."""
    return listed_organisations_q(f"{prefix}event_organisation__") & ~hidden_people_q(prefix)


def listed_participants(event) -> QuerySet[Participant]:
    """The event's listed participants: what matching, scheduling and freed places use."""
    return Participant.objects.filter(event=event).filter(listed_people_q())


def listed_links(event) -> QuerySet[EventOrganisation]:
    """The event's listed organisations."""
    return EventOrganisation.objects.filter(event=event).filter(listed_organisations_q())


def listed_opportunities(event) -> QuerySet[Opportunity]:
    """Opportunities of listed organisations (confidential ones included: the engine and
    organisers read them; delegates go through matchmaking/domain/visibility.py's
    `visible_opportunities`, which adds the confidential rule)."""
    return Opportunity.objects.filter(event=event).filter(
        listed_organisations_q("event_organisation__")
    )


def schedulable_requests_q(prefix: str = "") -> Q:
    """MeetingRequest rows (at `prefix`) whose two people are both listed."""
    return listed_people_q(f"{prefix}sender__") & listed_people_q(f"{prefix}recipient__")


# --- what one viewer sees -------------------------------------------------------------------


def visible_organisations_q(
    viewer: Participant | None, *, organiser: bool = False, prefix: str = ""
) -> Q:
    """EventOrganisation rows (at `prefix`) the caller sees: all for organisers; for a
    delegate the listed ones and their own (even while it awaits review)."""
    if organiser:
        return Q()
    visible = listed_organisations_q(prefix)
    if viewer is not None:
        visible |= Q(**{f"{prefix}pk": viewer.event_organisation_id})
    return visible


def visible_people_q(viewer: Participant | None, *, organiser: bool = False, prefix: str = "") -> Q:
    """Participant rows (at `prefix`) the caller sees: all for organisers; for a delegate the
    listed ones, themselves, and their own organisation's people unless hidden in person."""
    if organiser:
        return Q()
    visible = listed_people_q(prefix)
    if viewer is not None:
        visible |= Q(**{f"{prefix}pk": viewer.pk})
        visible |= Q(**{f"{prefix}event_organisation_id": viewer.event_organisation_id}) & ~(
            hidden_people_q(prefix)
        )
    return visible


def visible_participants(viewer: Participant) -> QuerySet[Participant]:
    """The participants of the viewer's event that the viewer (a delegate) sees."""
    return Participant.objects.filter(event_id=viewer.event_id).filter(visible_people_q(viewer))


def requestable_participants(viewer: Participant) -> QuerySet[Participant]:
    """Whom the delegate `viewer` may ask for a meeting (or be recommended): listed people of
    other organisations of their event, and nobody while `viewer` is not listed themselves."""
    if not is_listed(viewer):
        return Participant.objects.none()
    return (
        Participant.objects.filter(event_id=viewer.event_id)
        .filter(listed_people_q())
        .exclude(event_organisation_id=viewer.event_organisation_id)
    )


# --- predicates on one pair ------------------------------------------------------------------


def is_listed_organisation(link: EventOrganisation) -> bool:
    """Whether other delegates and the engine see the organisation `link` (as loaded)."""
    return link.review_status == ReviewStatus.PUBLISHED


def is_listed(participant: Participant) -> bool:
    """Whether other delegates and the engine see `participant`, from the row and its
    person, account and organisation as loaded (`listed_people_q` is the same rule in SQL;
    load `person__user` with the participant to spare a query)."""
    person = participant.person
    return (
        is_listed_organisation(participant.event_organisation)
        and not person.profile_hidden
        and person.erased_at is None
        and (person.user is None or person.user.is_active)
    )


def may_see(viewer: Participant, target: Participant) -> bool:
    """Whether the delegate `viewer` may see `target` at all (directory, API, profile)."""
    if viewer.event_id != target.event_id:
        return False
    return visible_participants(viewer).filter(pk=target.pk).exists()


def may_name(viewer: Participant, target: Participant) -> bool:
    """Whether `target`'s name and organisation may be shown to `viewer` (agendas, request
    lists, business cards, mails, data exports, feedback answers). The same as `may_see`:
    an earlier meeting does not keep naming someone who has since left the listings."""
    return viewer.pk == target.pk or may_see(viewer, target)


def may_recommend(viewer: Participant, target: Participant) -> bool:
    """Whether `target` may be recommended to `viewer`: both listed, other organisations."""
    return requestable_participants(viewer).filter(pk=target.pk).exists()


def may_request(sender: Participant, recipient: Participant) -> bool:
    """Whether `sender` may ask `recipient` for a meeting as far as visibility goes: both
    are listed (a request names the sender to the recipient, and the recipient to the
    sender). The workflow's own rules (deadline, blocks, limits) are in meetings.domain."""
    return may_recommend(sender, recipient)


def may_schedule(a: Participant, b: Participant) -> bool:
    """Whether a meeting of `a` and `b` may be placed (or offered in a freed place)."""
    return may_recommend(a, b)


def shown_name(viewer: Participant, target: Participant) -> tuple[str, str]:
    """(name, organisation) of `target` as `viewer` may be shown them."""
    if may_name(viewer, target):
        return target.person.name, target.event_organisation.organisation.name
    return str(UNLISTED_NAME), ""


def nameable_ids(viewer: Participant, ids) -> frozenset[int]:
    """Which of the participants `ids` may be named to `viewer`, in one query."""
    return frozenset(
        visible_participants(viewer).filter(pk__in=list(ids)).values_list("pk", flat=True)
    ) | ({viewer.pk} & set(ids))


# --- for organisers: why someone is not listed -----------------------------------------------


def unlisted_reasons(participant: Participant) -> list[str]:
    """Why other delegates do not see `participant` (empty if they do), for the back office."""
    person = participant.person
    reasons = []
    status = participant.event_organisation.review_status
    if status == ReviewStatus.PENDING:
        reasons.append(str(_("organisation awaiting review")))
    elif status == ReviewStatus.HIDDEN:
        reasons.append(str(_("organisation hidden")))
    if person.erased_at is not None:
        reasons.append(str(_("erased")))
    elif person.profile_hidden:
        reasons.append(str(_("withdrew the profile consent")))
    if person.user is not None and not person.user.is_active:
        reasons.append(str(_("account disabled")))
    return reasons
