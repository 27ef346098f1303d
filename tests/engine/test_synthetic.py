import collections

from superconnector.engine.synthetic import generate_event


def test_generation_is_deterministic_per_seed():
    assert generate_event(120, seed=3) == generate_event(120, seed=3)
    assert generate_event(120, seed=3) != generate_event(120, seed=4)


def test_generated_event_has_the_requested_shape():
    document = generate_event(400, seed=1, requests_per_participant=4, sessions=2, tables=50)
    assert len(document["participants"]) == 400
    assert len(document["opportunities"]) == 1200
    assert len(document["meeting_sessions"]) == 2
    assert len(document["meeting_requests"]) == 800
    languages = collections.Counter(o["language"] for o in document["opportunities"])
    assert set(languages) == {"en", "zh-Hans", "zh-Hant"}
    organisation_of = {p["key"]: p["organisation"] for p in document["participants"]}
    pairs = set()
    for request in document["meeting_requests"]:
        assert organisation_of[request["from"]] != organisation_of[request["to"]]
        pair = frozenset((request["from"], request["to"]))
        assert pair not in pairs
        pairs.add(pair)


def test_popularity_is_skewed():
    document = generate_event(1000, seed=2)
    organisation_of = {p["key"]: p["organisation"] for p in document["participants"]}
    asked = collections.Counter(organisation_of[r["to"]] for r in document["meeting_requests"])
    top = sum(n for _org, n in asked.most_common(len(asked) // 10))
    assert top > 0.3 * len(document["meeting_requests"])
