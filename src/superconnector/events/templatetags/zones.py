"""The event's time zone as readers name it, for every page that shows times:
{% load zones %} … {{ event|event_zone }} · {{ deadline|date:"DATETIME_FORMAT" }} ({{ event|zone_at:deadline }})."""

import datetime as dt

from django import template

from superconnector.events.domain.times import event_zone_text, zone_text
from superconnector.events.models import Event

register = template.Library()


@register.filter(name="event_zone")
def event_zone_filter(event: Event | None) -> str:
    """{{ event|event_zone }}: "Hong Kong time (UTC+8)", the offset on the event's dates."""
    return "" if event is None else event_zone_text(event)


@register.filter(name="zone_at")
def zone_at_filter(event: Event | None, moment: dt.datetime | None) -> str:
    """{{ event|zone_at:moment }}: "Beijing time, UTC+8", the offset at that moment."""
    if event is None or moment is None:
        return ""
    return zone_text(event, moment)
