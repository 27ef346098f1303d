"""Embeddings of the profiles: needs as e5 queries, offers as passages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from superconnector.engine.encoders import EmbeddingCache, Encoder, encode_cached
from superconnector.engine.matching.inputs import Progress
from superconnector.engine.matching.profiles import Profiles


@dataclass
class Embeddings:
    needs: np.ndarray  # queries
    offers: np.ndarray  # passages
    encoded: int  # how many texts the model actually encoded (the rest came from the cache)
    model: str


def embed_profiles(
    profiles: Profiles,
    encoder: Encoder,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
) -> Embeddings:
    """Needs as e5 queries, offers as passages; cached by model, role and text hash."""

    def report(stage: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(stage, done / max(total, 1))) if progress else None

    needs, n_new = encode_cached(
        encoder, [p.text for p in profiles.needs], "query", cache, report("encoding needs")
    )
    offers, o_new = encode_cached(
        encoder, [p.text for p in profiles.offers], "passage", cache, report("encoding offers")
    )
    return Embeddings(needs, offers, n_new + o_new, encoder.name)
