"""Serving a page without walking the tree: a cached route and cached view
restrictions, both keyed by the tree's version (cms.cache_versions.TREE).

Wagtail finds a page by asking each page on the way down for its child
(`Page.route`): one query and one `.specific` query per level, four levels
deep for a lesson. Here the whole URL path names the page: the route from a
site's root page to a page id is cached, and so is the page itself, both
until the tree changes (every save of a page changes the tree's version).
Wagtail's own check of view restrictions reads the page's ancestors and
their restrictions on every request; here the ids of the restrictions that
apply to a page are cached, and a page with none needs no query.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import Http404
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from . import cache_versions


def _route_key(root: Page, url_path: str) -> str:
    tree = cache_versions.current(cache_versions.TREE)
    return f"gofun:route:{tree}:{root.pk}:{cache_versions.digest(url_path)}"


def page_for_url_path(*, root: Page, path_components: list[str]) -> Page | None:
    """The live page below `root` at this URL path (route and page cached),
    or None when no page has that path (Wagtail's own walk
    then decides: a page that routes sub-paths itself, or a 404)."""
    url_path = root.url_path + "".join(f"{part}/" for part in path_components)
    key = _route_key(root, url_path)
    found = cache.get_or_set(
        key,
        lambda: (
            (
                Page.objects.filter(url_path=url_path, path__startswith=root.path)
                .values_list("pk", "content_type_id")
                .first()
            )
            or ()
        ),
        timeout=None,
    )
    if not found:
        return None
    page_id, content_type_id = found
    return _specific_page(page_id, content_type_id)


def _specific_page(page_id: int, content_type_id: int) -> Page | None:
    """The page as its own type, cached until the tree changes: every save
    of a page bumps the tree's version (cms.signal_handlers)."""
    key = f"gofun:page:{cache_versions.current(cache_versions.TREE)}:{page_id}"
    page = cache.get(key)
    if page is None:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            return None
        page = model.objects.filter(pk=page_id).first()
        if page is None:
            return None
        cache.set(key, page, timeout=None)
    return page


class CachedRouteMixin:
    """For a site's root page: route a URL to its page in one query.

    Only page types that leave routing to Wagtail's `Page.route` are served
    this way; a page that routes sub-paths itself (RoutablePageMixin) and
    every path that names no page go through Wagtail's walk as before.
    """

    def route(self, request, path_components):
        if path_components:
            page = page_for_url_path(root=self, path_components=path_components)
            if page is not None and type(page).route is Page.route:
                if not page.live:
                    raise Http404
                return RouteResult(page)
        return super().route(request, path_components)


class CachedViewRestrictionsMixin:
    """`get_view_restrictions` answered from cached ids (Wagtail's rule,
    aliases included, computed once per page and tree version)."""

    def get_view_restrictions(self):
        if not self.pk:
            return super().get_view_restrictions()
        tree = cache_versions.current(cache_versions.TREE)
        key = f"gofun:view-restrictions:{tree}:{self.pk}"
        restriction_ids = cache.get_or_set(
            key,
            lambda: sorted(
                super(CachedViewRestrictionsMixin, self)
                .get_view_restrictions()
                .values_list("pk", flat=True)
            ),
            timeout=None,
        )
        if not restriction_ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=restriction_ids)
