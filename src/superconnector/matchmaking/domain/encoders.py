"""Which encoder the platform uses, from the SUPERCONNECTOR_ENCODER setting.

e5                                   the bundled multilingual-e5-small (default)
hashing                              a model-free stand-in (tests, very quick demos)
sentence-transformers:PATH           a local sentence-transformers model, e.g. an e5
sentence-transformers:PATH|query: |passage:    ... with its query and passage prefixes
"""

import functools

from django.conf import settings

from superconnector.engine.encoders import (
    E5Encoder,
    Encoder,
    HashingEncoder,
    SentenceTransformerEncoder,
)


@functools.cache
def _build(spec: str) -> Encoder:
    if spec == "e5":
        return E5Encoder()
    if spec == "hashing":
        return HashingEncoder()
    if spec.startswith("sentence-transformers:"):
        path, *prefixes = spec.removeprefix("sentence-transformers:").split("|")
        query, passage = [*prefixes, "", ""][:2]
        return SentenceTransformerEncoder(path, query_prefix=query, passage_prefix=passage)
    raise ValueError(
        f"SUPERCONNECTOR_ENCODER={spec!r} is not one of e5, hashing, sentence-transformers:PATH"
    )


def get_encoder() -> Encoder:
    return _build(getattr(settings, "SUPERCONNECTOR_ENCODER", "e5"))
