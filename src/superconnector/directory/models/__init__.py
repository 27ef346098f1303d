from superconnector.directory.models.choices import (
    Category,
    Direction,
    Language,
    OrganisationKind,
    Role,
)
from superconnector.directory.models.opportunity import Opportunity
from superconnector.directory.models.organisation import (
    EventOrganisation,
    Organisation,
    OrganisationOwner,
    ReviewStatus,
)
from superconnector.directory.models.person import Participant, Person
from superconnector.directory.models.proposal import (
    ProposalSource,
    ProposalStatus,
    ProposedChange,
)

__all__ = [
    "Category",
    "Direction",
    "EventOrganisation",
    "Language",
    "Opportunity",
    "Organisation",
    "OrganisationKind",
    "OrganisationOwner",
    "Participant",
    "Person",
    "ProposalSource",
    "ProposalStatus",
    "ProposedChange",
    "ReviewStatus",
    "Role",
]
