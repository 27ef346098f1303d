import json

import numpy as np
import pytest
from django.core.management import call_command

from superconnector.directory.models import Opportunity, Participant
from superconnector.engine.encoders import encode_cached
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.matchmaking.domain.cache import DatabaseEmbeddingCache
from superconnector.matchmaking.domain.encoders import get_encoder
from superconnector.matchmaking.domain.matching import (
    ensure_recommendations,
    recommendations_document,
    record_feedback,
)
from superconnector.matchmaking.models import EmbeddingRecord, MatchingRun, MeetingSuggestion
from superconnector.matchmaking.runs import start_matching

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(document):
    import_document(document)
    return Event.objects.get()


def test_database_cache_round_trips_vectors_and_encodes_only_new_texts():
    cache, encoder = DatabaseEmbeddingCache(), get_encoder()
    first, encoded = encode_cached(encoder, ["alpha", "beta", "alpha"], "passage", cache)
    assert encoded == 2 and EmbeddingRecord.objects.count() == 2
    again, encoded = encode_cached(encoder, ["beta", "gamma"], "passage", cache)
    assert encoded == 1
    assert np.allclose(again[0], first[1])
    _vectors, encoded = encode_cached(encoder, ["beta"], "query", cache)
    assert encoded == 1  # queries and passages are different embeddings


def test_recommend_command_prints_the_exchange_format(event, capsys):
    call_command("recommend", event.slug, "--top", "2", "--json")
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"needs", "offers", "organisations", "participants"}
    owner = {
        o.key: o.event_organisation.key
        for o in Opportunity.objects.select_related("event_organisation")
    }
    assert set(document["needs"]) == {"o1"} and set(document["offers"]) == {"o2", "o3"}
    for need, items in document["needs"].items():
        assert len(items) <= 2
        assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
        for item in items:
            assert owner[item["opportunity"]] != owner[need]
            assert item["reasons"] and set(item) == {"opportunity", "score", "reasons"}
    for organisation, items in document["organisations"].items():
        assert organisation not in {i["organisation"] for i in items}


def test_results_are_reused_until_the_event_changes(event):
    assert ensure_recommendations(event) is not None
    assert ensure_recommendations(event) is None  # nothing changed: stored results reused
    Opportunity.objects.filter(key="o2").update(title="HKEX Main Board listing counsel")
    run = ensure_recommendations(event)
    assert run is not None and run.stats["encoded"] == 1  # only the edited text is encoded


def test_a_run_records_progress_and_stores_suggestions(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = start_matching(event)
        run.refresh_from_db()
        assert run.status == MatchingRun.Status.QUEUED  # nothing runs before the commit
    assert len(callbacks) == 1  # the task is enqueued after commit (immediate backend in tests)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.DONE and run.progress == 1.0
    assert run.stats["needs"] == 1 and run.stats["offers"] == 2
    assert MeetingSuggestion.objects.filter(event=event).exists()
    for suggestion in MeetingSuggestion.objects.select_related("participant", "suggested"):
        assert (
            suggestion.participant.event_organisation_id
            != suggestion.suggested.event_organisation_id
        )


def test_feedback_is_respected_on_the_next_run(event):
    ensure_recommendations(event)
    before = [i["opportunity"] for i in recommendations_document(event)["needs"]["o1"]]
    assert "o2" in before
    zhang = Participant.objects.get(key="p2")
    record_feedback(zhang, "not_relevant", opportunity=Opportunity.objects.get(key="o2"))
    ensure_recommendations(event)  # feedback changes the fingerprint: recomputed
    after = [i["opportunity"] for i in recommendations_document(event)["needs"]["o1"]]
    assert "o2" not in after


def test_recommend_refuses_an_unknown_event():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match='no event with slug "nope"'):
        call_command("recommend", "nope")


@pytest.mark.slow
def test_the_bundled_e5_encoder_matches_across_languages():
    from superconnector.engine.encoders import E5Encoder

    encoder = E5Encoder()
    query = encoder.encode(["寻求出口信用保险，保障中东客户应收账款"], "query")[0]
    passages = encoder.encode(
        ["出口信用保險：為中東買家應收賬款提供保障", "Venture capital for Series A start-ups"],
        "passage",
    )
    assert passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert passages[0] @ query > passages[1] @ query
