"""Which opportunities a caller may read: those of an organisation they see (the directory's
rule, directory/domain/visibility.py) and, if confidential, only with a reason.

Confidential opportunities are for the organisers, the organisation that wrote them, and
the delegates whose own opportunities the organisers' matching paired them with. That last
part reads the matches, which is why the rule lives here and not in the directory.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from superconnector.directory.domain.visibility import visible_organisations_q
from superconnector.directory.models import Opportunity, Participant
from superconnector.matchmaking.models import OpportunityMatch


def confidential_opportunities_q(
    viewer: Participant | None, *, organiser: bool, prefix: str = ""
) -> Q:
    """Opportunity rows (at `prefix`) the caller may read as far as confidentiality goes."""
    if organiser:
        return Q()
    visible = Q(**{f"{prefix}confidential": False})
    if viewer is None:
        return visible
    mine = viewer.event_organisation_id
    matched_needs = OpportunityMatch.objects.filter(offer__event_organisation_id=mine)
    matched_offers = OpportunityMatch.objects.filter(need__event_organisation_id=mine)
    return (
        visible
        | Q(**{f"{prefix}event_organisation_id": mine})
        | Q(**{f"{prefix}pk__in": matched_needs.values("need_id")})
        | Q(**{f"{prefix}pk__in": matched_offers.values("offer_id")})
    )


def visible_opportunities_q(
    viewer: Participant | None, *, organiser: bool = False, prefix: str = ""
) -> Q:
    """Opportunity rows (at `prefix`) the caller may read: of an organisation they see, and
    not confidential unless `confidential_opportunities_q` lets them read it."""
    return visible_organisations_q(
        viewer, organiser=organiser, prefix=f"{prefix}event_organisation__"
    ) & confidential_opportunities_q(viewer, organiser=organiser, prefix=prefix)


def visible_opportunities(viewer: Participant) -> QuerySet[Opportunity]:
    """The opportunities of the viewer's event that the viewer (a delegate) may read."""
    return Opportunity.objects.filter(event_id=viewer.event_id).filter(
        visible_opportunities_q(viewer)
    )
