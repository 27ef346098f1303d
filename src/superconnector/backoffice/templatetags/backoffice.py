from django import template

from superconnector.directory.domain.ownership import field_label, value_label
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


@register.filter
def change_field(change: dict) -> str:
    """A shared-record change of an import report (a dict, stored with the upload): its
    field as the interface names it, in the reader's language."""
    return field_label(change.get("record", ""), change.get("field", ""))


@register.filter
def change_value(change: dict, side: str) -> str:
    """The "current" or "incoming" value of a shared-record change, as the interface says it."""
    return value_label(change.get("record", ""), change.get("field", ""), change.get(side))
