"""Reasons in the reader's language.

The engine (no Django) writes reasons in English from named templates
(`engine.matching.REASONS`); they are stored as text, which the CLI and the exchange
format print. Here each stored reason is matched back to its template, and rebuilt from
a translated template with its values, the engine's own labels (kinds, categories,
language names) translated too. Titles, names and matched terms stay as written.
"""

from __future__ import annotations

import functools
import re

from django.utils.translation import gettext, gettext_noop

from superconnector.engine import matching

# The same templates, marked for translation (placeholders keep their names).
TRANSLATABLE = {
    "answers_need_with": gettext_noop("Answers your need “{need}” with “{offer}”"),
    "looking_for_yours": gettext_noop(
        "They are looking for what you offer: “{need}” (your “{offer}”)"
    ),
    "mutual": gettext_noop("Mutual interest: each side has something the other needs"),
    "answers_need_for": gettext_noop(
        "Answers your need for {need_category}: {organisation} ({kind}) offers {offer_category}"
    ),
    "needs_your_offer": gettext_noop(
        "They are looking for what you offer: {organisation} needs “{need}”"
    ),
    "matched_terms": gettext_noop("Matched terms: {terms}"),
    "cross_language": gettext_noop(
        "Cross-language match ({need_language} need, {offer_language} offer)"
    ),
    "region_fit": gettext_noop("Region fit: {places}"),
    "shared_sectors": gettext_noop("Shared sectors: {sectors}"),
    "provides_capital": gettext_noop("Provides capital: {kind}"),
    "caution_region": gettext_noop("Caution: the offer may not cover the region you need"),
    "caution_service": gettext_noop("Caution: offers a related but different service"),
}

# The engine's English labels that appear as values, marked for translation.
LABELS = {
    gettext_noop("technology"),
    gettext_noop("investment"),
    gettext_noop("market access"),
    gettext_noop("professional services"),
    gettext_noop("partnership"),
    gettext_noop("talent"),
    gettext_noop("procurement"),
    gettext_noop("support"),
    gettext_noop("an investor"),
    gettext_noop("a bank or financial institution"),
    gettext_noop("a professional service provider"),
    gettext_noop("a research institution"),
    gettext_noop("a university"),
    gettext_noop("a government body"),
    gettext_noop("a chamber of commerce"),
    gettext_noop("an association"),
    gettext_noop("an enterprise"),
    gettext_noop("a start-up"),
    gettext_noop("an organisation"),
    gettext_noop("English"),
    gettext_noop("Simplified Chinese"),
    gettext_noop("Traditional Chinese"),
}
LABELLED = {"need_category", "offer_category", "kind", "need_language", "offer_language"}


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    """Each engine template as a regular expression with a named group per value."""
    patterns = []
    for code, template in matching.REASONS.items():
        parts = re.split(r"\{(\w+)\}", template)
        regex = "".join(
            re.escape(part) if n % 2 == 0 else f"(?P<{part}>.+?)" for n, part in enumerate(parts)
        )
        patterns.append((code, re.compile(regex + r"\Z", re.S)))
    return patterns


def localise_reason(text: str) -> str:
    """`text` in the active language; unchanged if it matches no known template."""
    for code, pattern in _patterns():
        found = pattern.match(text)
        if found is None:
            continue
        values = {
            name: gettext(value) if name in LABELLED and value in LABELS else value
            for name, value in found.groupdict().items()
        }
        return gettext(TRANSLATABLE[code]).format(**values)
    return text
