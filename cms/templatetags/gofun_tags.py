"""Template tags for the base template: what other apps add to the header,
whether the header offers the admin, and fragments shared between people."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe

from cms import cache_versions
from cms.extension_points import header_components, site_navigation
from cms.page_caching import PER_REQUEST_END, PER_REQUEST_START
from cms.selectors import admin_link_shown_to

register = template.Library()


@register.simple_tag(takes_context=True)
def site_navigation_links(context):
    return site_navigation(context["request"])


@register.simple_tag(takes_context=True)
def site_header_components(context):
    return header_components(context["request"])


@register.simple_tag(takes_context=True)
def shows_admin_link(context) -> bool:
    return admin_link_shown_to(context.get("request"))


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key

    def render(self, context):
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        full_key = f"gofun:fragment:{key}:{translation.get_language()}"
        html = cache.get(full_key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(full_key, str(html), timeout=cache_versions.KEEP_SECONDS)
        return mark_safe(html)  # noqa: S308 -- the template's own output


@register.tag
def shared_fragment(parser, token):
    """`{% shared_fragment key %}…{% endshared_fragment %}`: the enclosed
    output, rendered once per key and interface language and then read from
    the cache. The view makes the key from everything the output depends on
    (a revision, the versions in cms.cache_versions, whom it is shared by);
    an empty key renders every time (a preview). Nothing personal (a CSRF
    token, a person's status) may sit inside."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one key")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, parser.compile_filter(bits[1]))


class PerRequestNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = PER_REQUEST_START + self.nodelist.render(context) + PER_REQUEST_END
        return mark_safe(html)  # noqa: S308 -- the template's own output


@register.tag
def per_request(parser, token):
    """{% per_request %}…{% endper_request %}: the part of a page built
    afresh for every request when the rest of the page is served from the
    person's stored copy (cms.page_caching.PersonalPageCacheMixin)."""
    nodelist = parser.parse(("endper_request",))
    parser.delete_first_token()
    return PerRequestNode(nodelist)
