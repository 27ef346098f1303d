"""Reasons in the reader's language.

The engine gives each reason as a code with its values (`engine.matching.Reason`), stored
as {"code": ..., "values": {...}} in the recommendation rows. The one set of templates and
labels is the engine's (engine/matching/reasons.py, extracted by makemessages); here a
stored reason is rendered through the active language's gettext. Sectors and places read
as the pages show them (directory/labels.py); titles, names and matched terms stay as
written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext, pgettext

from superconnector.directory.labels import regions_text, sectors_text
from superconnector.engine.matching import Reason, render_reason


def stored_reasons(reasons: Iterable[Reason]) -> list[dict[str, object]]:
    """The JSON form of the engine's reasons, as the recommendation rows keep them."""
    return [item.as_json() for item in reasons]


# Values that list sectors or places, joined by the engine with ", " (engine/matching/
# explain.py): shown as words in the reader's language, like the pages show them.
_LISTED = {"sectors": sectors_text, "places": regions_text}


def localise_reason(stored: Mapping[str, object]) -> str:
    """A stored reason as a sentence in the active language."""
    item = Reason.from_json(stored)
    values = {
        name: _LISTED[name](value.split(", ")) if name in _LISTED else value
        for name, value in item.values.items()
    }
    return render_reason(Reason(item.code, values), gettext, pgettext)


def localise_reasons(stored: Iterable[Mapping[str, object]]) -> list[str]:
    """Stored reasons as sentences in the active language (the exchange format's text)."""
    return [localise_reason(item) for item in stored]
