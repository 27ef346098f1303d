from django import template

from superconnector.events.domain.access import event_rights

register = template.Library()


@register.simple_tag(takes_context=True)
def rights_in(context, event) -> frozenset[str]:
    """The signed-in user's rights in `event`, so the subnav shows only what opens."""
    return event_rights(context["request"].user, event)
