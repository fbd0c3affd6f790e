"""Template tags for the base template: what other apps add to the header."""

from __future__ import annotations

from django import template

from cms.extension_points import header_components, site_navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def site_navigation_links(context):
    return site_navigation(context["request"])


@register.simple_tag(takes_context=True)
def site_header_components(context):
    return header_components(context["request"])
