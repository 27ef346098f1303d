"""Sectors and regions as words in the reader's language, for every template that shows
them: {% load labels %} … {{ org.sectors|sectors }} · {{ org.region|region }}."""

from django import template

from superconnector.directory.labels import region_label, regions_text, sector_label, sectors_text

register = template.Library()


@register.filter(name="sectors")
def sectors_filter(codes: list[str] | None) -> str:
    """{{ org.sectors|sectors }}: 人工智能、先进制造 in Chinese, never `advanced_manufacturing`."""
    return sectors_text(codes)


@register.filter(name="sector")
def sector_filter(code: str | None) -> str:
    return sector_label(code) if code else ""


@register.filter(name="regions")
def regions_filter(names: list[str] | None) -> str:
    """{{ opportunity.regions|regions }}: 北京、香港 in Chinese."""
    return regions_text(names)


@register.filter(name="region")
def region_filter(name: str | None) -> str:
    """{{ org.region|region }}: 北京 in Chinese; a place not known, as written."""
    return region_label(name) if name else ""
