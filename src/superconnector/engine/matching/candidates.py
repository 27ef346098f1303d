"""Candidate generation: the (need, offer) pairs worth scoring, with their similarities."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from superconnector.engine.matching.embeddings import Embeddings
from superconnector.engine.matching.inputs import MatchingConfig
from superconnector.engine.matching.profiles import Profiles
from superconnector.engine.retrieval import BM25Index, DenseIndex, top_k_rows


@dataclass
class Candidates:
    """Candidate (need, offer) pairs as flat arrays, with their raw similarities."""

    need: np.ndarray  # int32 indices into profiles.needs
    offer: np.ndarray  # int32 indices into profiles.offers
    cosine: np.ndarray  # float32
    lexical: np.ndarray  # float32 BM25
    mean: np.ndarray  # per need and offer script: mean cosine to the offers (for standardising)
    std: np.ndarray
    script: np.ndarray  # per offer: 1 if written in Chinese, else 0


def candidate_pairs(
    profiles: Profiles, embeddings: Embeddings, config: MatchingConfig, block: int = 512
) -> Candidates:
    """The pairs worth scoring.

    Small events: every pair. Large ones: each need's nearest offers by dense similarity
    and by BM25, and each offer's nearest needs (so that offers get lists too).
    """
    n_needs, n_offers = len(profiles.needs), len(profiles.offers)
    if not n_needs or not n_offers:
        empty = np.zeros(0, dtype=np.int32)
        return Candidates(
            empty,
            empty,
            empty.astype(np.float32),
            empty.astype(np.float32),
            np.zeros((n_needs, 2)),
            np.ones((n_needs, 2)),
            np.zeros(n_offers, dtype=np.int64),
        )
    script = np.array(
        [_is_chinese(p.opportunity.language) for p in profiles.offers], dtype=np.int64
    )
    mean, std = _cosine_moments(embeddings, script)
    bm25 = BM25Index([p.tokens for p in profiles.offers])
    queries = bm25.query_matrix([p.tokens for p in profiles.needs])
    if n_needs * n_offers <= config.exhaustive_below:
        need = np.repeat(np.arange(n_needs, dtype=np.int32), n_offers)
        offer = np.tile(np.arange(n_offers, dtype=np.int32), n_needs)
        cosine = (embeddings.needs @ embeddings.offers.T).ravel()
        lexical = (queries @ bm25.matrix.T).toarray().ravel()
        return Candidates(
            need, offer, cosine.astype(np.float32), lexical.astype(np.float32), mean, std, script
        )
    # Each offer's nearest needs, so that every offer has a list of its own.
    near_needs, _ = DenseIndex(embeddings.needs, ann_threshold=config.ann_threshold).search(
        embeddings.offers, max(config.dense_candidates // 4, 10)
    )
    chosen_by: list[list[int]] = [[] for _ in range(n_needs)]
    for j, needs in enumerate(near_needs):
        for i in needs.tolist():
            chosen_by[i].append(j)
    offers_index = DenseIndex(embeddings.offers, ann_threshold=config.ann_threshold)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    # Needs go through in blocks: the full needs x offers BM25 matrix of a 20,000-person
    # event has tens of millions of entries, a block only a slice of them.
    for start in range(0, n_needs, block):
        stop = min(start + block, n_needs)
        near, _similarity = offers_index.search(
            embeddings.needs[start:stop], config.dense_candidates
        )
        lexical = (queries[start:stop] @ bm25.matrix.T).toarray()
        best_lexical = top_k_rows(lexical, config.lexical_candidates)
        for row, i in enumerate(range(start, stop)):
            picked = set(near[row].tolist()) | set(chosen_by[i])
            picked |= {int(j) for j in best_lexical[row] if lexical[row, j] > 0}
            columns = np.fromiter(sorted(picked), dtype=np.int32, count=len(picked))
            parts.append(
                (
                    np.full(len(columns), i, dtype=np.int32),
                    columns,
                    embeddings.offers[columns] @ embeddings.needs[i],
                    lexical[row, columns],
                )
            )
    return Candidates(
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]).astype(np.float32),
        np.concatenate([p[3] for p in parts]).astype(np.float32),
        mean,
        std,
        script,
    )


def _is_chinese(language: str) -> int:
    return int(language.lower().startswith("zh"))


def _cosine_moments(
    embeddings: Embeddings, script: np.ndarray, sample: int = 512, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Each need's mean and spread of cosine to the offers of each script (column 0 not
    Chinese, 1 Chinese), from a fixed random sample of each; a script with no offers
    takes the moments over all offers."""
    rng = np.random.default_rng(seed)
    everything = _moments(embeddings.needs, embeddings.offers, rng, sample)
    columns = []
    for value in (0, 1):
        offers = embeddings.offers[script == value]
        columns.append(
            _moments(embeddings.needs, offers, rng, sample) if len(offers) >= 2 else everything
        )
    return np.stack([c[0] for c in columns], axis=1), np.stack([c[1] for c in columns], axis=1)


def _moments(
    needs: np.ndarray, offers: np.ndarray, rng: np.random.Generator, sample: int
) -> tuple[np.ndarray, np.ndarray]:
    if len(offers) > sample:
        offers = offers[rng.choice(len(offers), sample, replace=False)]
    cosines = needs @ offers.T
    return cosines.mean(axis=1), np.maximum(cosines.std(axis=1), 1e-3)
