from collections.abc import Mapping

from django import template

from superconnector.matchmaking.domain.reasons import localise_reason

register = template.Library()


@register.filter
def localised_reason(stored: Mapping[str, object]) -> str:
    """{{ reason|localised_reason }}: a stored recommendation reason in the reader's language."""
    return localise_reason(stored)
