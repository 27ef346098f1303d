from django import template

from superconnector.directory.domain.visibility import unlisted_reasons as _unlisted_reasons
from superconnector.events.domain.access import event_rights

register = template.Library()


@register.simple_tag(takes_context=True)
def rights_in(context, event) -> frozenset[str]:
    """The signed-in user's rights in `event`, so the subnav shows only what opens."""
    return event_rights(context["request"].user, event)


@register.simple_tag
def unlisted_reasons(participant) -> str:
    """Why other delegates and the engine do not see `participant` ("" if they do), so that
    organisers, who still see everyone, see who is out of the listings and why."""
    return ", ".join(_unlisted_reasons(participant))
