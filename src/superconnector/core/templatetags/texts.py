"""The opening of a long text: {% load texts %} {% with opening=o.description|excerpt %} …"""

from django import template

from superconnector.core.texts import excerpt

register = template.Library()


@register.filter(name="excerpt")
def excerpt_filter(text: str | None) -> str:
    """{{ text|excerpt }}: its first lines with "…", or "" when it is short enough to show whole."""
    return excerpt(text) if text else ""
