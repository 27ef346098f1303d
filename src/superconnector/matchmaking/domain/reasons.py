"""Reasons in the reader's language.

The engine gives each reason as a code with its values (`engine.matching.Reason`), stored
as {"code": ..., "values": {...}} in the recommendation rows. The one set of templates and
labels is the engine's (engine/matching/reasons.py, extracted by makemessages); here a
stored reason is rendered through the active language's gettext. Titles, names and
matched terms stay as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext, pgettext

from superconnector.engine.matching import Reason, render_reason


def stored_reasons(reasons: Iterable[Reason]) -> list[dict[str, object]]:
    """The JSON form of the engine's reasons, as the recommendation rows keep them."""
    return [item.as_json() for item in reasons]


def localise_reason(stored: Mapping[str, object]) -> str:
    """A stored reason as a sentence in the active language."""
    return render_reason(Reason.from_json(stored), gettext, pgettext)


def localise_reasons(stored: Iterable[Mapping[str, object]]) -> list[str]:
    """Stored reasons as sentences in the active language (the exchange format's text)."""
    return [localise_reason(item) for item in stored]
