"""The opening of a long text: about three lines on a phone, in English or Chinese alike."""

from superconnector.core.texts import EXCERPT_COLUMNS, columns, excerpt

LONG = (
    "We help mainland companies plan overseas expansion through Hong Kong: diagnostic "
    "meetings with our advisers, curated introductions to Hong Kong banks, law firms, "
    "accountants and logistics providers, and market intelligence from our offices."
)


def test_a_short_text_is_shown_whole():
    assert excerpt("Main Board and Chapter 18C listings.") == ""
    # a little longer than an excerpt is not worth folding either
    assert excerpt("x" * (EXCERPT_COLUMNS + 10)) == ""


def test_a_long_english_text_is_cut_at_a_word_with_an_ellipsis():
    opening = excerpt(LONG)
    assert opening.endswith("…") and columns(opening) <= EXCERPT_COLUMNS + 1
    head = opening.removesuffix("…")
    assert LONG.startswith(head) and len(head) > EXCERPT_COLUMNS * 3 // 4
    assert LONG[len(head)] in " ,:"  # the cut falls between words, not inside one


def test_chinese_counts_double_so_both_fill_the_same_lines():
    text = "为内地企业提供香港贸易融资及跨境人民币结算服务。" * 10
    opening = excerpt(text)
    assert opening.endswith("…")
    assert len(opening) - 1 == EXCERPT_COLUMNS // 2  # sixty characters: no spaces to cut at
    assert text.startswith(opening.removesuffix("…"))


def test_line_breaks_become_spaces_in_the_one_line_opening():
    assert "\n" not in excerpt("First paragraph.\n\n" + LONG)
