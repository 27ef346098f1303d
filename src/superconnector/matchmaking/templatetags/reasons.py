from django import template

from superconnector.matchmaking.domain.reasons import localise_reason

register = template.Library()


@register.filter
def localised_reason(text: str) -> str:
    """{{ reason|localised_reason }}: a recommendation's reason in the reader's language."""
    return localise_reason(str(text))
