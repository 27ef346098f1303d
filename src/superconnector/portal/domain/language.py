"""A user's preferred interface language, kept on the account across devices."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_supported_language_variant


def supported_language(code: str) -> str:
    """`code` as one of the configured languages, or "" if it is none of them."""
    if not code:
        return ""
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return ""


def remember_language(user, code: str) -> bool:
    """Store the user's choice; False if the code is not a configured language."""
    code = supported_language(code)
    if not code or code not in dict(settings.LANGUAGES):
        return False
    if user.locale != code:
        user.locale = code
        user.save(update_fields=["locale"])
    return True
