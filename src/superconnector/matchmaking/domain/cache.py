"""The embedding cache in the database: encode a text once per model and role, ever."""

from collections.abc import Sequence

import numpy as np

from superconnector.matchmaking.models import EmbeddingRecord

CHUNK = 500  # keeps IN lists well below SQLite's variable limit


class DatabaseEmbeddingCache:
    def get_many(self, model: str, role: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), CHUNK):
            rows = EmbeddingRecord.objects.filter(
                model=model, role=role, text_hash__in=hashes[start : start + CHUNK]
            ).values_list("text_hash", "vector")
            for digest, vector in rows:
                found[digest] = np.frombuffer(bytes(vector), dtype="<f4").copy()
        return found

    def put_many(self, model: str, role: str, vectors: dict[str, np.ndarray]) -> None:
        EmbeddingRecord.objects.bulk_create(
            (
                EmbeddingRecord(
                    model=model,
                    role=role,
                    text_hash=digest,
                    dim=len(vector),
                    vector=np.asarray(vector, dtype="<f4").tobytes(),
                )
                for digest, vector in vectors.items()
            ),
            batch_size=CHUNK,
            ignore_conflicts=True,  # another worker may have cached the same text meanwhile
        )
