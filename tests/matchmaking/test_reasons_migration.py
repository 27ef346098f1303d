"""Reasons stored as English sentences before reasons were data are converted, not lost."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from superconnector.directory.models import EventOrganisation, Opportunity, Participant
from superconnector.engine.matching import Reason, reason, render_reason
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.matchmaking.domain.reasons import localise_reason

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("matchmaking", "0003_matching_run_is_a_background_run")]
AFTER = [("matchmaking", "0004_reasons_as_data")]

# One of every kind of reason, as the engine gives them now; their English sentences are
# what the engine stored before.
REASONS = [
    reason(
        "answers_need_for",
        need_category="market_access",
        organisation="Harbour Law LLP (HK)",
        kind="service_provider",
        offer_category="professional_service",
    ),
    reason(
        "answers_need_for",
        need_category="support",
        organisation="X",
        kind="organisation",
        offer_category="not_a_category",
    ),
    reason("needs_your_offer", organisation="Acme", need="A “quoted” title"),
    reason("matched_terms", terms="trademark registration ↔ 商标注册; ip"),
    reason("cross_language", need_language="en", offer_language="zh-Hant"),
    reason("region_fit", places="Hong Kong, Shenzhen"),
    reason("shared_sectors", sectors="fintech, logistics"),
    reason("provides_capital", kind="investor"),
    reason("caution_region"),
    reason("caution_service"),
    reason("answers_need_with", need="Need: one", offer="Offer (two)"),
    reason("looking_for_yours", need="n", offer="o"),
    reason("mutual"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_english_reasons_become_codes_and_values_and_back(document):
    apps = migrate(BEFORE)
    try:
        sentences = [render_reason(r) for r in REASONS]
        rows = _rows_with(apps, document, [*sentences, "A sentence no template made"])
        apps = migrate(AFTER)
        stored = _stored(apps, rows)
        for reasons in stored:
            assert reasons[: len(REASONS)] == [r.as_json() for r in REASONS]
            assert reasons[-1] == {
                "code": "as_written",
                "values": {"text": "A sentence no template made"},
            }
            with translation.override("zh-hans"):
                assert localise_reason(reasons[-1]) == "A sentence no template made"
                assert localise_reason(reasons[0]) != sentences[0]
        apps = migrate(BEFORE)  # the reverse gives the sentences back
        for reasons in _stored(apps, rows):
            assert reasons == [*sentences, "A sentence no template made"]
    finally:  # leave the schema as the other tests expect it
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())


def _rows_with(apps, document, reasons):
    """One stored row of each kind, every reason field holding `reasons`, written through
    the models of the state before the migration (`apps`): later migrations add columns."""
    OpportunityMatch = apps.get_model("matchmaking", "OpportunityMatch")
    OrganisationMatch = apps.get_model("matchmaking", "OrganisationMatch")
    MeetingSuggestion = apps.get_model("matchmaking", "MeetingSuggestion")
    import_document(document)
    event = Event.objects.get(slug=document["event"]["slug"])
    need = Opportunity.objects.filter(event=event, direction="need").first()
    offer = Opportunity.objects.filter(event=event, direction="offer").first()
    a, b = EventOrganisation.objects.filter(event=event)[:2]
    p, q = Participant.objects.filter(event=event)[:2]
    match = OpportunityMatch.objects.create(
        event_id=event.pk,
        need_id=need.pk,
        offer_id=offer.pk,
        score=0.5,
        reasons_for_need=reasons,
        reasons_for_offer=reasons,
    )
    organisation = OrganisationMatch.objects.create(
        event_id=event.pk, organisation_id=a.pk, partner_id=b.pk, score=0.5, rank=1, reasons=reasons
    )
    suggestion = MeetingSuggestion.objects.create(
        event_id=event.pk,
        participant_id=p.pk,
        suggested_id=q.pk,
        score=0.5,
        rank=1,
        reasons=reasons,
    )
    return {"match": match.pk, "organisation": organisation.pk, "suggestion": suggestion.pk}


def _stored(apps, rows):
    OpportunityMatch = apps.get_model("matchmaking", "OpportunityMatch")
    OrganisationMatch = apps.get_model("matchmaking", "OrganisationMatch")
    MeetingSuggestion = apps.get_model("matchmaking", "MeetingSuggestion")
    match = OpportunityMatch.objects.get(pk=rows["match"])
    return [
        match.reasons_for_need,
        match.reasons_for_offer,
        OrganisationMatch.objects.get(pk=rows["organisation"]).reasons,
        MeetingSuggestion.objects.get(pk=rows["suggestion"]).reasons,
    ]


def test_a_reason_stored_as_data_is_left_as_it_is():
    from importlib import import_module

    migration = import_module("superconnector.matchmaking.migrations.0004_reasons_as_data")
    stored = REASONS[0].as_json()
    assert Reason.from_json(migration.reason_from_text(render_reason(REASONS[0]))) == REASONS[0]
    assert migration.text_from_reason(stored) == render_reason(REASONS[0])
