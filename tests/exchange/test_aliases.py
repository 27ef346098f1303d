"""The delegate-list aliases read the closed vocabularies' codes from vocabulary.py."""

import pytest

from superconnector import vocabulary
from superconnector.exchange.spreadsheet.aliases import (
    KIND_OF,
    KIND_WORDS,
    ROLE_OF,
    ROLE_WORDS,
    code_aliases,
    fold,
)


@pytest.mark.parametrize(
    ("codes", "words", "code_of"),
    [
        (vocabulary.ORGANISATION_KINDS, KIND_WORDS, KIND_OF),
        (vocabulary.ROLES, ROLE_WORDS, ROLE_OF),
    ],
    ids=["organisation kinds", "roles"],
)
def test_every_code_of_the_vocabulary_is_read_from_a_cell_holding_it(codes, words, code_of):
    assert tuple(words) == codes
    assert {code: code_of[fold(code)] for code in codes} == {code: code for code in codes}


def test_a_code_new_to_the_vocabulary_is_read_without_aliases_of_its_own():
    table = code_aliases(("enterprise", "cooperative"), {"enterprise": ("company",)})
    assert table == {"enterprise": ("enterprise", "company"), "cooperative": ("cooperative",)}


def test_aliases_for_a_code_the_vocabulary_lacks_are_refused():
    with pytest.raises(ValueError, match="ngo"):
        code_aliases(("enterprise",), {"enterprise": ("company",), "ngo": ("charity",)})
