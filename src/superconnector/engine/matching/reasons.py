"""Reasons as data: a code and its values, and the one set of templates that renders them.

The engine gives every reason as a `Reason(code, values)`; nothing downstream parses text.
The English templates and the labels of coded values (categories, organisation kinds,
languages) are defined here once. They are marked with `gettext_noop` so that Django's
makemessages extracts them from this file (the Makefile's `translations` target scans it),
and the web layer renders a reason in the reader's language by passing its `gettext` to
`render_reason` (matchmaking/domain/reasons.py). Titles, names, places, sectors and matched
terms are values as written and are never translated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from superconnector import vocabulary


def gettext_noop(message: str) -> str:
    """Marks a string for extraction by makemessages; the engine itself does not translate."""
    return message


# The message context of the labels of coded values: the same English word may be
# translated differently elsewhere (the language switcher shows "English" as "English" in
# every language; inside a Chinese reason it must read 英文).
LABEL_CONTEXT = "reason value"  # written out in each label below: xgettext reads literals only


def pgettext(context: str, message: str) -> str:  # named so makemessages extracts it
    """Marks a label for extraction with its context; the engine itself does not translate."""
    return message


@dataclass(frozen=True)
class Reason:
    """One reason for a recommendation: a template code and the values of its placeholders."""

    code: str
    values: Mapping[str, str] = field(default_factory=dict)

    def __hash__(self) -> int:  # the values are a mapping, which does not hash by itself
        return hash((self.code, tuple(sorted(self.values.items()))))

    def as_json(self) -> dict[str, object]:
        """The stored form: {"code": ..., "values": {...}}."""
        return {"code": self.code, "values": dict(self.values)}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Reason:
        code = data["code"]
        values = data.get("values") or {}
        if not isinstance(code, str) or not isinstance(values, Mapping):
            raise ValueError(f"not a stored reason: {data!r}")
        return cls(code, {str(k): str(v) for k, v in values.items()})


# Every reason the engine gives, by code; placeholders are filled from Reason.values.
REASONS: dict[str, str] = {
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

# A reason stored before reasons were data that matched no template (see the migration in
# matchmaking): shown as written, since there is nothing to translate it from.
AS_WRITTEN = "as_written"

# Labels of the coded values, by vocabulary code (superconnector/vocabulary.py), plus the
# fallback codes the engine writes when a code is missing: "support" for an unknown need
# category, "organisation" for an unknown kind.
UNKNOWN_CATEGORY = "support"
UNKNOWN_KIND = "organisation"
CATEGORY_LABELS: dict[str, str] = {
    "technology": pgettext("reason value", "technology"),
    "investment": pgettext("reason value", "investment"),
    "market_access": pgettext("reason value", "market access"),
    "professional_service": pgettext("reason value", "professional services"),
    "partnership": pgettext("reason value", "partnership"),
    "talent": pgettext("reason value", "talent"),
    "procurement": pgettext("reason value", "procurement"),
    UNKNOWN_CATEGORY: pgettext("reason value", "support"),
}
KIND_LABELS: dict[str, str] = {
    "investor": pgettext("reason value", "an investor"),
    "financial_institution": pgettext("reason value", "a bank or financial institution"),
    "service_provider": pgettext("reason value", "a professional service provider"),
    "research_institution": pgettext("reason value", "a research institution"),
    "university": pgettext("reason value", "a university"),
    "government": pgettext("reason value", "a government body"),
    "chamber": pgettext("reason value", "a chamber of commerce"),
    "association": pgettext("reason value", "an association"),
    "enterprise": pgettext("reason value", "an enterprise"),
    "startup": pgettext("reason value", "a start-up"),
    UNKNOWN_KIND: pgettext("reason value", "an organisation"),
}
LANGUAGE_LABELS: dict[str, str] = {
    "en": pgettext("reason value", "English"),
    "zh-Hans": pgettext("reason value", "Simplified Chinese"),
    "zh-Hant": pgettext("reason value", "Traditional Chinese"),
}
# Which placeholders hold a code (rendered through its label) rather than text as written.
LABELLED: dict[str, dict[str, str]] = {
    "need_category": CATEGORY_LABELS,
    "offer_category": CATEGORY_LABELS,
    "kind": KIND_LABELS,
    "need_language": LANGUAGE_LABELS,
    "offer_language": LANGUAGE_LABELS,
}
# The vocabularies the label tables cover (checked by tests/engine/test_reasons.py).
LABELLED_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "category": vocabulary.CATEGORIES,
    "kind": vocabulary.ORGANISATION_KINDS,
    "language": vocabulary.LANGUAGES,
}


def reason(code: str, **values: str) -> Reason:
    """A reason of a known code (a typo in a code fails here, in the engine, not on a page)."""
    if code not in REASONS:
        raise KeyError(code)
    return Reason(code, values)


def _as_is(message: str) -> str:
    return message


def _label_as_is(context: str, message: str) -> str:
    return message


def render_reason(
    item: Reason,
    translate: Callable[[str], str] = _as_is,
    translate_label: Callable[[str, str], str] = _label_as_is,
) -> str:
    """The reason as a sentence: in English by default, or through `translate` (a gettext).

    Coded values are shown by their label (translated too); a code without a label, as
    written."""
    if item.code == AS_WRITTEN:
        return item.values.get("text", "")
    values = {
        name: translate_label(LABEL_CONTEXT, LABELLED[name][value])
        if name in LABELLED and value in LABELLED[name]
        else value
        for name, value in item.values.items()
    }
    return translate(REASONS[item.code]).format(**values)
