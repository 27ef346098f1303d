"""The language a mail is written in: the reader's, never the sender's or the site's.

A delegate imported by an organiser often has no account, or an account that never chose a
language, yet the directory knows which languages they speak and which language their
organisation writes in. The rule, first that gives an interface language wins:

1. the language chosen on the account (the language switcher stores it);
2. the person's spoken languages, in the order listed (the exchange format's `languages`:
   `en`, `zh`, `yue`, ...); Chinese is written in the script of the organisation's texts
   when that is Chinese, otherwise Traditional for Cantonese (`yue`) and Simplified for
   the rest;
3. the language of the organisation's texts (`Organisation.language`);
4. the site's default (settings.LANGUAGE_CODE).

Events have no language of their own: a Beijing event has English- and Chinese-reading
delegates alike, so the person decides, not the event.

Also here: the name of the language a text is written in, as pages show it to a reader
(`text_language_label`).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from superconnector.directory.models import Language, Participant, Person
from superconnector.engine.matching.reasons import LABEL_CONTEXT, LANGUAGE_LABELS

# Spoken languages read in Traditional characters when the organisation does not say.
_TRADITIONAL = {"yue", "zh-hant", "zh-tw", "zh-hk", "zh-mo"}


def _interface_language(code: str) -> str:
    """`code` as one of the configured interface languages, or ""."""
    code = (code or "").strip().lower()
    if not code:
        return ""
    try:
        found = translation.get_supported_language_variant(code)
    except LookupError:
        return ""
    return found if found in dict(settings.LANGUAGES) else ""


def reading_language(person: Person, organisation=None) -> str:
    """The interface language to write to `person` in (the rule in this module's text);
    `organisation` is the one they attend for, when known."""
    user = person.user
    chosen = _interface_language(user.locale) if user is not None else ""
    if chosen:
        return chosen
    texts = _interface_language(organisation.language) if organisation is not None else ""
    for spoken in person.languages or []:
        code = str(spoken).strip().lower()
        if code in ("zh", "cmn", "yue") or code.startswith("zh"):
            if texts.startswith("zh"):
                return texts
            return "zh-hant" if code in _TRADITIONAL else "zh-hans"
        language = _interface_language(code)
        if language:
            return language
    return texts or settings.LANGUAGE_CODE


def in_language_of_participant(participant: Participant) -> translation.override:
    """Write what follows in the language of `participant` (a delegate of one event)."""
    return translation.override(
        reading_language(participant.person, participant.event_organisation.organisation)
    )


def in_language_of_person(person: Person) -> translation.override:
    """Write what follows in `person`'s language, when no participation is at hand."""
    return translation.override(reading_language(person))


def in_language_of_account(user) -> translation.override:
    """Write what follows in the language of the account's holder: their choice, else what
    the directory knows of their person (sign-in links, address changes, password resets)."""
    person = Person.objects.filter(user=user).first() if user is not None else None
    if person is not None:
        return translation.override(reading_language(person))
    chosen = _interface_language(user.locale) if user is not None else ""
    return translation.override(chosen or settings.LANGUAGE_CODE)


def text_language_label(code: str) -> str:
    """The language a text is written in, named in the reader's language: "Simplified
    Chinese" in English, 英文 in Chinese; an unknown code as written.

    Not `get_language_display()`, whose labels name each language in itself ("English",
    简体中文) as the language switcher does: a badge on an opportunity tells a reader what
    the text is in, in the reader's words. The words and their message context are those
    of the recommendations' reasons ("Cross-language match (Simplified Chinese need,
    English offer)"), so that a badge and a reason name a language alike."""
    label = LANGUAGE_LABELS.get(code)
    return translation.pgettext(LABEL_CONTEXT, label) if label else code


def text_language_choices() -> list[tuple[str, str]]:
    """(code, label) for each language a text may be written in, labelled as
    `text_language_label` does (for the forms' choosers and filters)."""
    return [(code, text_language_label(code)) for code in Language.values]
