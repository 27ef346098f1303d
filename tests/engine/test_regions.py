from superconnector.engine.regions import compatible, find_places, places_of
from superconnector.engine.text import normalise


def test_places_in_text_in_any_script():
    assert find_places(normalise("需要在香港設立保稅倉，服務中東客戶")) == {
        "hong_kong",
        "middle_east",
    }
    assert find_places(normalise("Bonded warehouse in Rotterdam")) == {"netherlands"}


def test_short_english_words_are_not_mistaken_for_places():
    assert find_places(normalise("we help us expand; contact us")) == set()


def test_compatibility_follows_containment():
    assert compatible({"hong_kong"}, {"greater_bay_area"}) is True
    assert compatible({"middle_east"}, places_of(["Dubai"])) is True
    assert compatible({"hong_kong"}, places_of(["Rotterdam"])) is False
    assert compatible(set(), {"uae"}) is None
    assert compatible({"hong_kong"}, {"world"}) is None  # "anywhere" constrains nothing
