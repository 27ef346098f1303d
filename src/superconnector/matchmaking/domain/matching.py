"""Matching an event: database rows to engine inputs, results back to rows and documents."""

from __future__ import annotations

import functools
import hashlib
import json
import time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q

import superconnector.engine as engine_package
from superconnector.core.domain.runs import Progress, execute_run
from superconnector.directory.domain.visibility import (
    listed_links,
    listed_opportunities,
    listed_organisations_q,
    listed_participants,
    listed_people_q,
)
from superconnector.directory.models import EventOrganisation, Opportunity, Participant
from superconnector.engine import matching, people
from superconnector.engine.concepts import load_glossary
from superconnector.events.models import Event
from superconnector.matchmaking.domain.cache import DatabaseEmbeddingCache
from superconnector.matchmaking.domain.encoders import get_encoder
from superconnector.matchmaking.domain.reasons import localise_reasons, stored_reasons
from superconnector.matchmaking.models import (
    Feedback,
    MatchingRun,
    MeetingSuggestion,
    OpportunityMatch,
    OrganisationMatch,
)


@functools.cache
def engine_version() -> str:
    """A digest of the engine's code and data: stored results from another engine are stale."""
    return digest_engine(Path(engine_package.__file__).parent)


# What makes up the engine: its code and its data files (glossary, fit tables).
ENGINE_FILES = ("*.py", "*.json")


def digest_engine(root: Path) -> str:
    """A digest of the engine files under `root`, by relative path and content."""
    digest = hashlib.sha256()
    paths = sorted({p for pattern in ENGINE_FILES for p in root.rglob(pattern)})
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def engine_inputs(event: Event) -> tuple[list, list, list]:
    """(opportunities, organisations, feedback) of the event as engine dataclasses.

    Only listed organisations and their opportunities go in (directory/domain/visibility.py):
    one hidden or awaiting review is neither matched nor recommended."""
    links = listed_links(event).select_related("organisation")
    organisations = [
        matching.Organisation(
            key=link.key,
            name=link.organisation.name,
            kind=link.organisation.kind,
            region=link.organisation.region,
            sectors=tuple(link.organisation.sectors),
        )
        for link in links.order_by("key")
    ]
    opportunities = [
        matching.Opportunity(
            key=o.key,
            organisation=o.event_organisation.key,
            direction=o.direction,
            category=o.category,
            title=o.title,
            description=o.description,
            sectors=tuple(o.sectors),
            regions=tuple(o.regions),
            language=o.language,
        )
        for o in listed_opportunities(event).select_related("event_organisation").order_by("key")
    ]
    feedback = [
        matching.Feedback(
            organisation=f.participant.event_organisation.key,
            target=_judged_key(f),
            target_kind="opportunity" if f.opportunity_id else "organisation",
            verdict=f.verdict,
        )
        # A verdict on one person is the people lists' business (engine/people.py), not
        # the organisation's recommendations.
        for f in Feedback.objects.filter(event=event, person__isnull=True)
        .filter(
            listed_organisations_q("participant__event_organisation__"),
            Q(opportunity__isnull=True)
            | listed_organisations_q("opportunity__event_organisation__"),
            Q(organisation__isnull=True) | listed_organisations_q("organisation__"),
        )
        .select_related("participant__event_organisation", "opportunity", "organisation")
    ]
    return opportunities, organisations, feedback


def _judged_key(feedback: Feedback) -> str:
    """The key of the opportunity or organisation judged (a constraint sets exactly one)."""
    judged = feedback.opportunity or feedback.organisation
    if judged is None:
        raise ValueError(f"feedback {feedback.pk} judges nothing")
    return judged.key


def fingerprint(event: Event, encoder_name: str) -> str:
    """Changes whenever anything the recommendations depend on changes."""
    opportunities, organisations, feedback = engine_inputs(event)
    payload = json.dumps(
        [
            engine_version(),
            encoder_name,
            [vars(o) for o in opportunities],
            [vars(o) for o in organisations],
            sorted(json.dumps(vars(f), sort_keys=True) for f in feedback),
            # Someone leaving the listings changes the suggestions, not the engine's input.
            sorted(
                Participant.objects.filter(event=event)
                .exclude(listed_people_q())
                .values_list("key", flat=True)
            ),
        ],
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def compute_recommendations(
    event: Event, *, top_k: int = 10, progress: Progress | None = None
) -> tuple[matching.MatchResult, dict]:
    """Run the engine on the event (encoding only texts the cache lacks)."""
    report = progress or (lambda stage, fraction: None)
    started = time.perf_counter()
    opportunities, organisations, feedback = engine_inputs(event)
    encoder = get_encoder()
    report("reading profiles", 0.02)
    profiles = matching.build_profiles(opportunities, organisations, load_glossary())
    embeddings = matching.embed_profiles(
        profiles, encoder, DatabaseEmbeddingCache(), lambda stage, f: report(stage, 0.05 + 0.6 * f)
    )
    result = matching.recommend(
        profiles,
        embeddings,
        matching.MatchingConfig(top_k=top_k),
        feedback,
        lambda stage, f: report(stage, 0.65 + 0.3 * f),
    )
    stats = {
        **result.stats,
        "needs": len(profiles.needs),
        "offers": len(profiles.offers),
        "encoded": embeddings.encoded,
        "encoder": encoder.name,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return result, stats


@transaction.atomic
def store_recommendations(event: Event, result: matching.MatchResult) -> None:
    """Replace the event's stored recommendations by `result`."""
    opportunities = {o.key: o for o in Opportunity.objects.filter(event=event)}
    links = {link.key: link for link in EventOrganisation.objects.filter(event=event)}
    OpportunityMatch.objects.filter(event=event).delete()
    OrganisationMatch.objects.filter(event=event).delete()
    pairs: dict[tuple[str, str], OpportunityMatch] = {}

    def pair(need: str, offer: str, score: float) -> OpportunityMatch:
        if (need, offer) not in pairs:
            pairs[(need, offer)] = OpportunityMatch(
                event=event, need=opportunities[need], offer=opportunities[offer], score=score
            )
        return pairs[(need, offer)]

    for need, recommendations in result.needs.items():
        for rank, rec in enumerate(recommendations, start=1):
            row = pair(need, rec.target, rec.score)
            row.rank_for_need, row.reasons_for_need = rank, stored_reasons(rec.reasons)
    for offer, recommendations in result.offers.items():
        for rank, rec in enumerate(recommendations, start=1):
            row = pair(rec.target, offer, rec.score)
            row.rank_for_offer, row.reasons_for_offer = rank, stored_reasons(rec.reasons)
    OpportunityMatch.objects.bulk_create(pairs.values(), batch_size=1000)
    OrganisationMatch.objects.bulk_create(
        (
            OrganisationMatch(
                event=event,
                organisation=links[organisation],
                partner=links[rec.target],
                score=rec.score,
                rank=rank,
                reasons=stored_reasons(rec.reasons),
            )
            for organisation, recommendations in result.organisations.items()
            for rank, rec in enumerate(recommendations, start=1)
        ),
        batch_size=1000,
    )


@transaction.atomic
def store_suggestions(event: Event, result: matching.MatchResult) -> dict:
    """Build every listed delegate's people to meet (engine/people.py) from the partner
    organisations, and store them; returns figures."""
    # Listed people only, on both sides: nobody is suggested to meet someone unlisted, and
    # an unlisted person (who may not send requests) gets no suggestions either.
    participants = list(
        listed_participants(event)
        .exclude(role="organiser")
        .select_related("event_organisation", "person")
    )
    by_key = {p.key: p for p in participants}
    partners = {(org, r.target): r for org, recs in result.organisations.items() for r in recs}
    lists = people.list_people_to_meet(
        [
            people.Person(p.key, p.event_organisation.key, frozenset(p.person.languages))
            for p in participants
        ],
        result.organisations,
        excluded=_judged_people(event),
    )
    MeetingSuggestion.objects.filter(event=event).delete()
    MeetingSuggestion.objects.bulk_create(
        (
            _suggestion(event, by_key[receiver], by_key[key], rank, choice, partners[link])
            for receiver, entries in lists.items()
            for rank, entry in enumerate(entries, start=1)
            for link in [(by_key[receiver].event_organisation.key, entry.organisation)]
            for choice, key in enumerate(entry.people)
        ),
        batch_size=1000,
    )
    counts = people.exposure(lists)
    shown = [min(len(entries), people.SHOWN) for entries in lists.values()]
    return {
        "suggestions": sum(shown),
        "participants_without": sum(1 for n in shown if n == 0),
        "max_exposure": max(counts.values(), default=0),
    }


def _judged_people(event: Event) -> set[tuple[str, str]]:
    """(delegate key, organisation or person key) pairs that the delegate's verdicts hide."""
    judged = set()
    for f in Feedback.objects.filter(event=event, opportunity__isnull=True).select_related(
        "participant", "organisation", "person"
    ):
        target = f.organisation or f.person
        if target is not None:
            judged.add((f.participant.key, target.key))
    return judged


def _suggestion(
    event: Event,
    receiver: Participant,
    suggested: Participant,
    rank: int,
    choice: int,
    partner: matching.Recommendation,
) -> MeetingSuggestion:
    return MeetingSuggestion(
        event=event,
        participant=receiver,
        suggested=suggested,
        score=partner.score,
        rank=rank,
        choice=choice,
        reasons=stored_reasons(partner.reasons),
        links=[{"need": x.need, "offer": x.offer, "score": x.score} for x in partner.links],
    )


def matching_work(run: MatchingRun, progress: Progress, *, top_k: int = 10) -> dict:
    """Compute, store and assign the event's recommendations (the run's work; see
    core/domain/runs.py): returns the run's figures."""
    event = run.event
    current = fingerprint(event, get_encoder().name)
    result, stats = compute_recommendations(event, top_k=top_k, progress=progress)
    store_recommendations(event, result)
    stats.update(store_suggestions(event, result))
    return {**stats, "fingerprint": current, "top_k": top_k}


def run_matching(run: MatchingRun, *, top_k: int = 10) -> MatchingRun:
    """A matching run here and now, not in the task worker; progress is saved as it goes."""
    return execute_run(run, functools.partial(matching_work, top_k=top_k))


def latest_results_are_current(event: Event, top_k: int) -> bool:
    run = MatchingRun.objects.filter(event=event, status=MatchingRun.Status.DONE).first()
    return bool(
        run
        and run.stats.get("top_k", 0) >= top_k
        and run.stats.get("fingerprint") == fingerprint(event, get_encoder().name)
    )


def ensure_recommendations(
    event: Event, top_k: int = 10, force: bool = False
) -> MatchingRun | None:
    """Compute what is missing: nothing if the stored results match the current data."""
    if not force and latest_results_are_current(event, top_k):
        return None
    return run_matching(MatchingRun.objects.create(event=event), top_k=top_k)


def recommendations_document(event: Event, top_k: int = 10) -> dict:
    """Stored recommendations in the exchange format's `recommend --json` shape.

    Reasons are text, as the format says, rendered from their codes in the active language
    (the command line's is the default, English)."""
    needs: dict[str, list] = {}
    offers: dict[str, list] = {}
    rows = OpportunityMatch.objects.filter(event=event).select_related("need", "offer")
    for row in rows.filter(rank_for_need__lte=top_k).order_by("need__key", "rank_for_need"):
        needs.setdefault(row.need.key, []).append(
            {
                "opportunity": row.offer.key,
                "score": row.score,
                "reasons": localise_reasons(row.reasons_for_need),
            }
        )
    for row in rows.filter(rank_for_offer__lte=top_k).order_by("offer__key", "rank_for_offer"):
        offers.setdefault(row.offer.key, []).append(
            {
                "opportunity": row.need.key,
                "score": row.score,
                "reasons": localise_reasons(row.reasons_for_offer),
            }
        )
    for opportunity in Opportunity.objects.filter(event=event):
        (needs if opportunity.direction == "need" else offers).setdefault(opportunity.key, [])
    organisations: dict[str, list] = {
        link.key: [] for link in EventOrganisation.objects.filter(event=event)
    }
    for match in (
        OrganisationMatch.objects.filter(event=event, rank__lte=top_k)
        .select_related("organisation", "partner")
        .order_by("organisation__key", "rank")
    ):
        organisations[match.organisation.key].append(
            {
                "organisation": match.partner.key,
                "score": match.score,
                "reasons": localise_reasons(match.reasons),
            }
        )
    return {
        "needs": dict(sorted(needs.items())),
        "offers": dict(sorted(offers.items())),
        "organisations": dict(sorted(organisations.items())),
    }


def record_feedback(
    participant: Participant,
    verdict: str,
    *,
    opportunity: Opportunity | None = None,
    organisation: EventOrganisation | None = None,
    person: Participant | None = None,
) -> Feedback:
    """Store (or change) a delegate's verdict on exactly one target; the next matching run
    respects it."""
    given = {"opportunity": opportunity, "organisation": organisation, "person": person}
    target: dict[str, Any] = {name: value for name, value in given.items() if value is not None}
    if len(target) != 1:
        raise ValueError(f"a verdict judges exactly one target, not {sorted(target) or 'none'}")
    feedback, _created = Feedback.objects.update_or_create(
        event=participant.event, participant=participant, **target, defaults={"verdict": verdict}
    )
    return feedback
