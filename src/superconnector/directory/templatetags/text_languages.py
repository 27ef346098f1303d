"""The language a text is written in, in the reader's words, for every badge and label that
says it: {% load text_languages %} … {{ opportunity.language|text_language }} (英文 in the
Chinese interface; the language switcher keeps each language's own name)."""

from django import template

from superconnector.directory.domain.languages import text_language_label

register = template.Library()


@register.filter(name="text_language")
def text_language_filter(code: str | None) -> str:
    """{{ o.language|text_language }}: "English", 英文, 簡體中文 …; blank for no language."""
    return text_language_label(code) if code else ""
