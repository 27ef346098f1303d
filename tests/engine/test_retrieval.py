import numpy as np

from superconnector.engine.retrieval import BM25Index, DenseIndex, recall_at_k, top_k_rows


def test_bm25_prefers_rare_shared_terms():
    index = BM25Index(
        [["bonded", "warehouse", "hong", "kong"], ["hong", "kong", "law"], ["warehouse"]]
    )
    scores = index.scores([["bonded", "warehouse"]]).toarray()[0]
    assert scores.argmax() == 0
    assert scores[1] == 0


def test_top_k_rows_orders_best_first():
    matrix = np.array([[0.1, 0.9, 0.5], [0.3, 0.2, 0.8]])
    assert top_k_rows(matrix, 2).tolist() == [[1, 2], [2, 0]]


def test_dense_exact_and_approximate_agree_on_easy_data():
    rng = np.random.default_rng(0)
    passages = rng.normal(size=(600, 32)).astype(np.float32)
    passages /= np.linalg.norm(passages, axis=1, keepdims=True)
    queries = passages[:50] + 0.01 * rng.normal(size=(50, 32)).astype(np.float32)
    exact, _ = DenseIndex(passages).search(queries, 10)
    approximate, similarity = DenseIndex(passages, force_ann=True).search(queries, 10)
    assert (exact[:, 0] == np.arange(50)).all()
    assert recall_at_k(approximate, exact) > 0.95
    assert similarity[0, 0] > 0.99
