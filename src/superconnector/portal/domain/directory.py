"""The directory page's own needs: the filters' choices and whose contact details to show.

The search itself is matchmaking/domain/search.py, shared with the API.
"""

from __future__ import annotations

from superconnector.directory.domain.visibility import listed_links, listed_opportunities
from superconnector.directory.models import Participant
from superconnector.events.models import Event
from superconnector.matchmaking.domain.search import DirectoryPage
from superconnector.meetings.domain.contacts import contact_shared_ids


def filter_choices(event: Event) -> tuple[list[str], list[str]]:
    """(regions, sectors) named anywhere in the event's published profiles, sorted."""
    regions: set[str] = set()
    sectors: set[str] = set()
    # Distinct combinations only: a fair has thousands of rows but few combinations.
    for region, org_sectors in (
        listed_links(event)
        .values_list("organisation__region", "organisation__sectors")
        .order_by()
        .distinct()
    ):
        if region:
            regions.add(region)
        sectors.update(org_sectors or [])
    for opp_sectors, opp_regions in (
        listed_opportunities(event).values_list("sectors", "regions").order_by().distinct()
    ):
        sectors.update(opp_sectors or [])
        regions.update(opp_regions or [])
    return sorted(regions, key=str.casefold), sorted(sectors, key=str.casefold)


def shown_contacts(page: DirectoryPage, viewer: Participant) -> frozenset[int]:
    """Participants of a people page whose e-mail and phone the viewer may see (an accepted
    meeting); none on the other pages, which show no contact details."""
    return contact_shared_ids(viewer) if page.filters.show == "people" else frozenset()
