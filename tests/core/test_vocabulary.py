from superconnector import vocabulary
from superconnector.directory.models import Category, Direction, Language, OrganisationKind, Role
from superconnector.events.models import EventKind
from superconnector.meetings.models import RequestStatus


def test_model_choices_match_the_exchange_vocabulary():
    assert tuple(OrganisationKind.values) == vocabulary.ORGANISATION_KINDS
    assert tuple(Category.values) == vocabulary.CATEGORIES
    assert tuple(Direction.values) == vocabulary.DIRECTIONS
    assert tuple(Language.values) == vocabulary.LANGUAGES
    assert tuple(Role.values) == vocabulary.ROLES
    assert tuple(EventKind.values) == vocabulary.EVENT_KINDS
    assert tuple(RequestStatus.values) == vocabulary.REQUEST_STATUSES
