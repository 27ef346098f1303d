from django import template

from superconnector.core.names import Named, display_name, other_name

register = template.Library()


@register.filter(name="display_name")
def display_name_filter(record: Named | None) -> str:
    """{{ person|display_name }}: the Chinese name in the Chinese interface where there is
    one, the name otherwise (people, organisations and events alike)."""
    return "" if record is None else display_name(record)


@register.filter(name="other_name")
def other_name_filter(record: Named | None) -> str:
    """{{ organisation|other_name }}: the name not shown by display_name, or blank."""
    return "" if record is None else other_name(record)
