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
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from superconnector.directory.models import Participant, Person

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
