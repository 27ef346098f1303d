"""Stored reasons shown in the reader's language, values kept as written."""

import pytest
from django.core.management import call_command
from django.utils import translation

from superconnector.engine.matching import REASONS, Reason, reason
from superconnector.engine.matching.reasons import LABEL_CONTEXT, LABELLED
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.matchmaking.domain.matching import (
    ensure_recommendations,
    recommendations_document,
)
from superconnector.matchmaking.domain.reasons import localise_reason, stored_reasons
from superconnector.matchmaking.models import MeetingSuggestion, OpportunityMatch, OrganisationMatch

ANSWERS = reason(
    "answers_need_for",
    need_category="professional_service",
    organisation="Harbour Law LLP",
    kind="service_provider",
    offer_category="professional_service",
)


def test_a_reason_is_rendered_in_chinese_with_its_labels_translated_and_names_kept():
    (stored,) = stored_reasons([ANSWERS])
    with translation.override("zh-hans"):
        assert (
            localise_reason(stored)
            == "满足您的专业服务需求：Harbour Law LLP（专业服务机构）提供专业服务"
        )
    with translation.override("zh-hant"):
        assert "專業服務機構" in localise_reason(stored)
    with translation.override("en"):
        assert localise_reason(stored) == (
            "Answers your need for professional services: Harbour Law LLP "
            "(a professional service provider) offers professional services"
        )


def test_a_name_with_brackets_keeps_its_kind_translated():
    # Regular expressions matching English sentences back to templates read "Harbour Law
    # (HK) (a professional service provider)" as the name "Harbour Law" and the kind
    # "HK) (a professional service provider", left untranslated.
    (stored,) = stored_reasons(
        [
            reason(
                "answers_need_for",
                need_category="professional_service",
                organisation="Harbour Law (HK)",
                kind="service_provider",
                offer_category="professional_service",
            )
        ]
    )
    with translation.override("zh-hans"):
        assert localise_reason(stored) == (
            "满足您的专业服务需求：Harbour Law (HK)（专业服务机构）提供专业服务"
        )


def test_every_template_and_label_has_a_chinese_translation():
    templates = set(REASONS.values())
    labels = {label for table in LABELLED.values() for label in table.values()}
    with translation.override("zh-hans"):
        untranslated = {m for m in templates if translation.gettext(m) == m} | {
            m for m in labels if translation.pgettext(LABEL_CONTEXT, m) == m
        }
    assert not untranslated


def test_a_cross_language_reason_names_the_languages_in_chinese():
    # "English" in the language switcher stays "English" in every language; inside a
    # Chinese reason the label is translated in its own context.
    (stored,) = stored_reasons(
        [reason("cross_language", need_language="en", offer_language="zh-Hant")]
    )
    with translation.override("zh-hans"):
        assert localise_reason(stored) == "跨语言匹配（英文需求，繁体中文供给）"
        assert translation.gettext("English") == "English"


@pytest.mark.django_db
def test_every_reason_stored_for_an_event_is_data_and_reads_in_chinese(document):
    import_document(document)
    ensure_recommendations(Event.objects.get(slug=document["event"]["slug"]))
    stored = (
        [
            r
            for m in OpportunityMatch.objects.all()
            for r in [*m.reasons_for_need, *m.reasons_for_offer]
        ]
        + [r for m in OrganisationMatch.objects.all() for r in m.reasons]
        + [r for m in MeetingSuggestion.objects.all() for r in m.reasons]
    )
    assert stored
    for item in stored:
        assert Reason.from_json(item).code in REASONS, item
    with translation.override("zh-hans"):
        chinese = [localise_reason(item) for item in stored]
    with translation.override("en"):
        english = [localise_reason(item) for item in stored]
    assert all(c != e for c, e in zip(chinese, english, strict=True))


@pytest.mark.django_db
def test_the_exchange_document_carries_reasons_as_text_in_the_active_language(document):
    import_document(document)
    event = Event.objects.get(slug=document["event"]["slug"])
    ensure_recommendations(event)
    with translation.override("en"):
        english = recommendations_document(event)
    with translation.override("zh-hans"):
        chinese = recommendations_document(event)
    texts = [r for items in english["needs"].values() for item in items for r in item["reasons"]]
    assert texts and all(isinstance(text, str) for text in texts)
    assert any(text.startswith("Answers your need for ") for text in texts), texts[:3]
    assert english["needs"].keys() == chinese["needs"].keys()
    assert english != chinese


@pytest.mark.django_db
def test_the_command_line_prints_reasons_in_english_whatever_language_is_active(document, capsys):
    import json

    import_document(document)
    with translation.override("zh-hans"):
        call_command("recommend", document["event"]["slug"], "--json")
    printed = json.loads(capsys.readouterr().out)
    texts = [r for items in printed["needs"].values() for item in items for r in item["reasons"]]
    assert any(text.startswith("Answers your need for ") for text in texts), texts[:3]


def test_shared_sectors_and_places_read_as_words_in_the_readers_language():
    stored = stored_reasons(
        [
            reason("shared_sectors", sectors="advanced_manufacturing, ai"),
            reason("region_fit", places="Greater Bay Area, Jing Jin Ji"),
        ]
    )
    with translation.override("zh-hans"):
        sectors, places = (localise_reason(item) for item in stored)
        assert "先进制造、人工智能" in sectors and "advanced_manufacturing" not in sectors
        assert "粤港澳大湾区、京津冀" in places
    with translation.override("en"):
        assert localise_reason(stored[0]) == (
            "Shared sectors: Advanced manufacturing, Artificial intelligence"
        )
