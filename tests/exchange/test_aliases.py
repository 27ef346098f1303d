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


# --- the interface's own labels (issue 14) ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("专业服务机构", "service_provider"),  # zh_Hans catalogue's label
        ("專業服務機構", "service_provider"),  # zh_Hant catalogue's label
        ("Professional service provider", "service_provider"),  # the English label
        ("Bank or financial institution", "financial_institution"),
        ("企业", "enterprise"),
    ],
)
def test_a_delegate_list_reads_the_interfaces_own_kind_labels(document, cell, code):
    from superconnector.directory.models import Organisation
    from superconnector.events.models import Event
    from superconnector.exchange.importer import import_document
    from superconnector.exchange.spreadsheet import import_delegate_list

    import_document(document)
    rows = f"姓名,机构,电邮,机构类型\r\n陈浩然,维港顾问,chen.haoran@example.com,{cell}\r\n"
    import_delegate_list(rows.encode("utf-8"), "list.csv", Event.objects.get().slug)
    assert Organisation.objects.get(name="维港顾问").kind == code


def test_every_kind_and_role_label_in_every_interface_language_names_its_own_code():
    from django.utils import translation

    from superconnector.directory.models.choices import OrganisationKind, Role
    from superconnector.exchange.spreadsheet.aliases import (
        interface_labels,
        kind_code,
        role_code,
    )

    for choices, read in ((OrganisationKind, kind_code), (Role, role_code)):
        labels = interface_labels(choices)
        for language in ("en", "zh-hans", "zh-hant"):
            with translation.override(language):
                shown = {code: str(label) for code, label in choices.choices}
            assert all(shown[code] in labels[code] for code in shown)
        assert {(code, read(label)) for code, words in labels.items() for label in words} == {
            (code, code) for code, words in labels.items() for _label in words
        }
