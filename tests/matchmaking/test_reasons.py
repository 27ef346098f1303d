"""Stored reasons shown in the reader's language, values kept as written."""

import pytest
from django.utils import translation

from superconnector.engine.matching import REASONS, reason
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.matchmaking.domain.matching import ensure_recommendations
from superconnector.matchmaking.domain.reasons import TRANSLATABLE, localise_reason
from superconnector.matchmaking.models import OpportunityMatch, OrganisationMatch


def test_every_engine_template_has_a_translatable_twin_with_the_same_placeholders():
    import string

    def names(template):
        return {f for _, f, _, _ in string.Formatter().parse(template) if f}

    assert TRANSLATABLE.keys() == REASONS.keys()
    for code, template in REASONS.items():
        assert names(TRANSLATABLE[code]) == names(template), code


def test_a_reason_is_rebuilt_in_chinese_with_its_labels_translated_and_names_kept():
    text = reason(
        "answers_need_for",
        need_category="professional services",
        organisation="Harbour Law LLP",
        kind="a professional service provider",
        offer_category="professional services",
    )
    with translation.override("zh-hans"):
        assert (
            localise_reason(text)
            == "满足您的专业服务需求：Harbour Law LLP（专业服务机构）提供专业服务"
        )
    with translation.override("zh-hant"):
        assert "專業服務機構" in localise_reason(text)
    with translation.override("en"):
        assert localise_reason(text) == text
    assert localise_reason("Something the engine never says") == "Something the engine never says"


@pytest.mark.django_db
def test_every_reason_stored_for_an_event_reads_in_chinese(document):
    import_document(document)
    ensure_recommendations(Event.objects.get(slug=document["event"]["slug"]))
    stored = [
        r
        for m in OpportunityMatch.objects.all()
        for r in [*m.reasons_for_need, *m.reasons_for_offer]
    ] + [r for m in OrganisationMatch.objects.all() for r in m.reasons]
    assert stored
    with translation.override("zh-hans"):
        for text in stored:
            assert localise_reason(text) != text, text
