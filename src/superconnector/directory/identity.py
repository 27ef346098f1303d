"""Recognising returning organisations and people across events: pure functions of text,
used by the models (the keys they store), the domain and the exchange import."""

import re
import unicodedata
from urllib.parse import urlsplit

_SPACE = re.compile(r"\s+")


def fold_name(name: str) -> str:
    """Compatibility-, case- and space-folded name: 'ＡＢＣ  Ltd.' and 'abc ltd.' compare equal."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", name)).strip().casefold()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def website_host(url: str) -> str:
    """The host of a website without 'www.', for matching organisations by their site."""
    if not url:
        return ""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    return host.removeprefix("www.")
