"""Evaluate the matching engine on a labelled bilingual set, against simple baselines.

    python eval/matching.py [--dataset eval/matching/dataset.json] [--labels eval/matching/labels.json]

Prints nDCG@10, Recall@10, MRR and the trap rate (how often a look-alike outranks every
right answer), overall, per hard-case tag and for cross-language against same-language
needs, and organisation-partner nDCG@10, for: BM25 alone (jieba tokens), e5 dense alone,
equal-weight reciprocal-rank fusion of the two, and the full engine. Then the people lists
a delegate sees, built from the engine's partners: the people to meet (the portal's lists,
engine/people.py) and the simple alternative (the partners, one person each, no exposure
adjustment), scored by person nDCG@5 with organisation-level gain, duplicate-organisation
rate and best partner in the top five, with the most lists one person is in and the share
of people in nobody's top five. `make eval` runs it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from superconnector.engine import evaluation  # noqa: E402
from superconnector.engine import people as people_lists  # noqa: E402
from superconnector.engine.concepts import load_glossary  # noqa: E402
from superconnector.engine.documents import (  # noqa: E402
    opportunities_from_document,
    organisations_from_document,
)
from superconnector.engine.encoders import E5Encoder, FileCache, HashingEncoder, encode_cached  # noqa: E402
from superconnector.engine.matching import MatchingConfig, build_profiles, embed_profiles, recommend  # noqa: E402
from superconnector.engine.retrieval import BM25Index  # noqa: E402
from superconnector.engine.text import tokenize  # noqa: E402

SYSTEMS = ("bm25", "dense", "fusion", "engine")
PEOPLE_LISTS = ("people_to_meet", "one_per_partner")
# A matching run's default top_k (matchmaking's matching_work): the partner lists that the
# suggested meetings are assigned from hold ten organisations.
RUN_TOP_K = 10
PEOPLE_SEED = 14


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default=str(ROOT / "eval/matching/dataset.json"))
    parser.add_argument("--labels", default=str(ROOT / "eval/matching/labels.json"))
    parser.add_argument("--cache", default=str(ROOT / "data/eval-embeddings.npz"))
    parser.add_argument("--encoder", choices=["e5", "hashing"], default="e5")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--people-seed",
        type=int,
        default=PEOPLE_SEED,
        help="seed of the synthetic people (used when the set has none)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="WEIGHT=VALUE",
        help="override a scoring weight for this run, e.g. --set ask=1.5 (see engine Weights)",
    )
    args = parser.parse_args(argv)

    document = json.loads(Path(args.dataset).read_text(encoding="utf-8"))
    labels = json.loads(Path(args.labels).read_text(encoding="utf-8"))["needs"]
    started = time.time()
    rankings, org_rankings, partners = rank_all(document, labels, args)
    figures = score_all(document, labels, rankings, org_rankings)
    figures["people"] = score_people(document, labels, partners, args.people_seed)
    figures["seconds"] = round(time.time() - started, 1)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_table(figures)
    return 0


def rank_all(document: dict, labels: dict, args) -> tuple[dict, dict, dict]:
    opportunities = opportunities_from_document(document)
    organisations = organisations_from_document(document)
    encoder = E5Encoder() if args.encoder == "e5" else HashingEncoder()
    cache = FileCache(args.cache)
    keys = [o.key for o in opportunities]
    owner = {o.key: o.organisation for o in opportunities}
    texts = [f"{o.title}\n{o.description}".strip() for o in opportunities]
    need_keys = [k for k in labels if k in owner]
    row_of = {k: i for i, k in enumerate(keys)}

    # Baselines rank every other opportunity (needs included: they know no direction).
    bm25 = BM25Index([tokenize(t) for t in texts])
    lexical = bm25.scores([tokenize(texts[row_of[k]]) for k in need_keys]).toarray()
    passages, _ = encode_cached(encoder, texts, "passage", cache)
    queries, _ = encode_cached(encoder, [texts[row_of[k]] for k in need_keys], "query", cache)
    dense = queries @ passages.T
    rankings: dict[str, dict[str, list[str]]] = {s: {} for s in SYSTEMS}
    baseline_scores = {"bm25": lexical, "dense": dense}
    for n, key in enumerate(need_keys):
        order = {}
        for system, matrix in baseline_scores.items():
            row = matrix[n].copy()
            row[row_of[key]] = -np.inf
            order[system] = [keys[j] for j in np.argsort(-row, kind="stable")]
            rankings[system][key] = order[system][:50]
        fused = defaultdict(float)
        for system in ("bm25", "dense"):
            for rank, other in enumerate(order[system]):
                fused[other] += 1 / (60 + rank)
        rankings["fusion"][key] = sorted(fused, key=lambda k: -fused[k])[:50]

    profiles = build_profiles(opportunities, organisations, load_glossary())
    embeddings = embed_profiles(profiles, encoder, cache)
    cache.save()
    config = MatchingConfig(top_k=50)
    for item in getattr(args, "set", []):
        name, value = item.split("=")
        if not hasattr(config.weights, name):
            raise SystemExit(f"--set: no weight named {name!r}")
        setattr(config.weights, name, float(value))
    result = recommend(profiles, embeddings, config)
    for key in need_keys:
        rankings["engine"][key] = [r.target for r in result.needs.get(key, [])]

    org_rankings = {s: _organisation_ranking(rankings[s], owner) for s in SYSTEMS if s != "engine"}
    org_rankings["engine"] = {
        o: [r.target for r in recs] for o, recs in result.organisations.items()
    }
    return rankings, org_rankings, result.organisations


def people_of(document: dict, seed: int = PEOPLE_SEED) -> list[people_lists.Person]:
    """The set's people, or, where it has none (the labelled set has none), one to three
    synthetic delegates per organisation, seeded: the same people on every run."""
    if document.get("participants"):
        return [
            people_lists.Person(p["key"], p["organisation"])
            for p in document["participants"]
            if p.get("role") != "organiser"
        ]
    rng = random.Random(seed)
    return [
        people_lists.Person(f"{org['key']}-person-{n}", org["key"])
        for org in sorted(document["organisations"], key=lambda o: o["key"])
        for n in range(1, rng.randint(1, 3) + 1)
    ]


def score_people(document: dict, labels: dict, partners: dict, seed: int = PEOPLE_SEED) -> dict:
    """Person-level figures of the people lists the portal shows and of the simple
    alternative, with how evenly they spread the delegates' attention (exposure)."""
    owner = {o["key"]: o["organisation"] for o in document["opportunities"]}
    org_grades = evaluation.organisation_grades(labels, owner)
    people = people_of(document, seed)
    run_partners = {org: recs[:RUN_TOP_K] for org, recs in partners.items()}
    lists = {
        "people_to_meet": people_lists.list_people_to_meet(people, run_partners),
        "one_per_partner": people_lists.one_person_per_partner(people, run_partners),
    }
    organisation_of = {p.key: p.organisation for p in people}
    figures: dict = {"people": len(people), "synthetic": not document.get("participants")}
    for name, suggestions in lists.items():
        scores = evaluation.PeopleScores()
        for person in people:
            grades = org_grades.get(person.organisation)
            if not grades:
                continue  # nothing is relevant to this delegate: no list can be judged
            shown = [
                organisation_of[entry.people[0]]
                for entry in suggestions[person.key][: evaluation.PEOPLE_K]
            ]
            scores.add(shown, grades)
        counts = people_lists.exposure(suggestions, evaluation.PEOPLE_K)
        figures[name] = {
            **scores.summary(),
            "max_exposure": max(counts.values(), default=0),
            "unseen_rate": sum(1 for p in people if p.key not in counts) / len(people),
        }
    return figures


def _organisation_ranking(need_rankings: dict, owner: dict) -> dict[str, list[str]]:
    """Baselines' partner lists: organisations in order of their best-ranked opportunity."""
    best: dict[str, dict[str, float]] = defaultdict(dict)
    for need, ranking in need_rankings.items():
        seeker = owner[need]
        for rank, other in enumerate(ranking):
            provider = owner[other]
            if provider == seeker:
                continue
            score = 1 / (rank + 1)
            for a, b in ((seeker, provider), (provider, seeker)):
                best[a][b] = max(best[a].get(b, 0.0), score)
    return {a: sorted(bs, key=lambda b: -bs[b]) for a, bs in best.items()}


def score_all(document: dict, labels: dict, rankings: dict, org_rankings: dict) -> dict:
    owner = {o["key"]: o["organisation"] for o in document["opportunities"]}
    org_grades = evaluation.organisation_grades(labels, owner)
    figures: dict = {"needs": len(labels), "systems": {}}
    for system in SYSTEMS:
        overall = evaluation.Scores()
        by_tag: dict[str, evaluation.Scores] = defaultdict(evaluation.Scores)
        for need, label in labels.items():
            ranking = rankings[system].get(need, [])
            grades, traps = label["relevant"], list(label.get("traps", {}))
            overall.add(ranking, grades, traps, 10)
            for tag in label.get("tags", []):
                by_tag[tag].add(ranking, grades, traps, 10)
        organisations = evaluation.Scores()
        for organisation, grades in org_grades.items():
            organisations.add(org_rankings[system].get(organisation, []), grades, [], 10)
        by_language = {"cross": evaluation.Scores(), "same": evaluation.Scores()}
        for need, label in labels.items():
            side = "cross" if "cross_language" in label.get("tags", []) else "same"
            by_language[side].add(
                rankings[system].get(need, []), label["relevant"], list(label.get("traps", {})), 10
            )
        figures["systems"][system] = {
            "overall": overall.summary(),
            "languages": {side: scores.summary() for side, scores in by_language.items()},
            "tags": {tag: scores.summary() for tag, scores in sorted(by_tag.items())},
            "organisations": organisations.summary(),
        }
    return figures


def print_table(figures: dict) -> None:
    systems = figures["systems"]
    print(f"Matching evaluation: {figures['needs']} labelled needs ({figures['seconds']} s)\n")
    header = f"{'':28}" + "".join(f"{s:>10}" for s in SYSTEMS)
    print(header)
    for metric in ("ndcg@10", "recall@10", "mrr", "trap_rate"):
        print(f"{metric:28}" + "".join(f"{systems[s]['overall'][metric]:>10.3f}" for s in SYSTEMS))
    print(
        f"{'organisations ndcg@10':28}"
        + "".join(f"{systems[s]['organisations']['ndcg@10']:>10.3f}" for s in SYSTEMS)
    )
    for side in ("cross", "same"):
        n = systems["engine"]["languages"][side]["n"]
        print(
            f"{f'  {side}-language needs ({n})':28}"
            + "".join(f"{systems[s]['languages'][side]['ndcg@10']:>10.3f}" for s in SYSTEMS)
        )
    print("\nnDCG@10 / trap rate by hard-case tag")
    for tag in systems["engine"]["tags"]:
        n = systems["engine"]["tags"][tag]["n"]
        cells = "".join(
            f"{systems[s]['tags'][tag]['ndcg@10']:>6.3f}/{systems[s]['tags'][tag]['trap_rate']:<4.2f}"
            for s in SYSTEMS
        )
        print(f"  {tag + f' ({n})':26}{cells}")
    print_people(figures["people"])


def print_people(people: dict) -> None:
    origin = "synthetic, 1-3 per organisation, seeded" if people["synthetic"] else "the set's"
    delegates = people[PEOPLE_LISTS[0]]["delegates"]
    print(
        f"\nPeople lists ({people['people']} people, {origin}; {delegates} with a graded partner)"
    )
    print(f"{'':28}" + "".join(f"{name:>18}" for name in PEOPLE_LISTS))
    for metric in ("person_ndcg@5", "duplicate_rate", "best_partner@5", "unseen_rate"):
        print(f"{metric:28}" + "".join(f"{people[name][metric]:>18.3f}" for name in PEOPLE_LISTS))
    metric = "max_exposure"
    print(f"{metric:28}" + "".join(f"{people[name][metric]:>18}" for name in PEOPLE_LISTS))


if __name__ == "__main__":
    raise SystemExit(main())
