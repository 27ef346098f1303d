"""Lexical (BM25) and dense (exact or approximate) retrieval over opportunity texts.

Both indexes score many queries at once as matrix products, which is what makes a
20,000-participant event feasible in pure Python on two cores.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

if TYPE_CHECKING:
    from usearch.index import Index


class BM25Index:
    """Okapi BM25 over pre-tokenised documents, as a sparse document-term weight matrix."""

    def __init__(
        self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75
    ) -> None:
        self.vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        lengths = np.zeros(len(documents), dtype=np.float32)
        for row, tokens in enumerate(documents):
            lengths[row] = len(tokens)
            for token, count in Counter(tokens).items():
                rows.append(row)
                cols.append(self.vocabulary.setdefault(token, len(self.vocabulary)))
                counts.append(count)
        n_docs, n_terms = len(documents), max(len(self.vocabulary), 1)
        tf = sparse.csr_matrix(
            (np.asarray(counts, dtype=np.float32), (rows, cols)), shape=(n_docs, n_terms)
        )
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=n_terms)
        self.idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        average = float(lengths.mean()) if n_docs else 0.0
        norm = k1 * (1 - b + b * lengths / max(average, 1e-9))
        # weight(d, t) = idf(t) * tf (k1 + 1) / (tf + k1 (1 - b + b |d| / avgdl))
        tf = tf.tocoo()
        weights = tf.data * (k1 + 1) / (tf.data + norm[tf.row]) * self.idf[tf.col]
        self.matrix = sparse.csr_matrix((weights, (tf.row, tf.col)), shape=(n_docs, n_terms))

    def query_matrix(self, queries: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        rows, cols = [], []
        for row, tokens in enumerate(queries):
            for token in set(tokens):
                column = self.vocabulary.get(token)
                if column is not None:
                    rows.append(row)
                    cols.append(column)
        data = np.ones(len(rows), dtype=np.float32)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(queries), self.matrix.shape[1]))

    def scores(self, queries: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """(queries × documents) BM25 scores, sparse: zero where no term is shared."""
        return (self.query_matrix(queries) @ self.matrix.T).tocsr()


def top_k_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest values of each row, best first."""
    k = min(k, scores.shape[1])
    if k <= 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


class DenseIndex:
    """Nearest passages by cosine: exact below `ann_threshold` passages, HNSW (usearch) above.

    Exact search is a blocked matrix product; at 60,000 x 60,000 x 384 it is still seconds,
    so the approximate index pays only for very large events. Its recall is measured by
    `bench/matching.py` against exact search.
    """

    def __init__(
        self,
        passages: np.ndarray,
        ann_threshold: int = 50_000,
        force_ann: bool = False,
        seed: int = 0,
        connectivity: int = 32,
        expansion_search: int = 128,
    ) -> None:
        self.passages = np.ascontiguousarray(passages, dtype=np.float32)
        self.approximate = force_ann or len(passages) > ann_threshold
        self._index: Index | None = None
        if self.approximate:
            from usearch.index import Index  # noqa: PLC0415 (usearch takes about 0.6 s to import; loaded only for the dense index)

            self._index = Index(
                ndim=self.passages.shape[1],
                metric="ip",
                dtype="f32",
                connectivity=connectivity,
                expansion_add=128,
                expansion_search=expansion_search,
            )
            self._index.add(np.arange(len(passages)), self.passages, threads=2)

    def search(
        self, queries: np.ndarray, k: int, block: int = 512
    ) -> tuple[np.ndarray, np.ndarray]:
        """(indices, similarities), each (len(queries), k), best first."""
        k = min(k, len(self.passages))
        if self._index is not None:  # self.approximate
            matches = self._index.search(
                np.ascontiguousarray(queries, dtype=np.float32), k, threads=2
            )
            keys = np.asarray(matches.keys, dtype=np.int64).reshape(len(queries), -1)[:, :k]
            similarity = (
                1 - np.asarray(matches.distances, dtype=np.float32).reshape(len(queries), -1)[:, :k]
            )
            return keys, similarity
        indices = np.zeros((len(queries), k), dtype=np.int64)
        similarity = np.zeros((len(queries), k), dtype=np.float32)
        for start in range(0, len(queries), block):
            scores = queries[start : start + block] @ self.passages.T
            best = top_k_rows(scores, k)
            indices[start : start + block] = best
            similarity[start : start + block] = np.take_along_axis(scores, best, axis=1)
        return indices, similarity


def recall_at_k(approximate: np.ndarray, exact: np.ndarray) -> float:
    """Share of the exact top-k found by the approximate search."""
    hits = sum(len(set(a) & set(e)) for a, e in zip(approximate, exact, strict=True))
    return hits / max(exact.size, 1)
