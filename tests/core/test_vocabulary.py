import pytest

from superconnector import vocabulary
from superconnector.directory.models import Category, Direction, Language, OrganisationKind, Role
from superconnector.events.models import EventKind
from superconnector.meetings.models import RequestStatus

# Every closed vocabulary and the model choices that label its codes.
MODEL_CHOICES = {
    "EVENT_KINDS": EventKind,
    "ORGANISATION_KINDS": OrganisationKind,
    "LANGUAGES": Language,
    "ROLES": Role,
    "DIRECTIONS": Direction,
    "CATEGORIES": Category,
    "REQUEST_STATUSES": RequestStatus,
}
# Open vocabularies (unknown codes are kept) have no model choices: their labels and names
# are in directory/labels.py, checked by tests/directory/test_labels.py.
OPEN_VOCABULARIES = {"SECTORS"}


def test_every_vocabulary_has_model_choices():
    """A vocabulary added to vocabulary.py must be paired here, so that its codes are checked."""
    defined = {
        name
        for name, value in vars(vocabulary).items()
        if name.isupper() and isinstance(value, tuple)
    }
    assert defined == set(MODEL_CHOICES) | OPEN_VOCABULARIES


@pytest.mark.parametrize("name", sorted(MODEL_CHOICES))
def test_model_choices_have_the_vocabulary_codes_in_its_order(name):
    assert tuple(MODEL_CHOICES[name].values) == getattr(vocabulary, name)
