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

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils import timezone, translation
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
    found = cache_versions.versioned(
        key,
        lambda: (
            (
                Page.objects.filter(url_path=url_path, path__startswith=root.path)
                .values_list("pk", "content_type_id")
                .first()
            )
            or ()
        ),
        timeout=cache_versions.KEEP_SECONDS,
    )
    if not found:
        return None
    page_id, content_type_id = found
    return _specific_page(page_id, content_type_id)


def _specific_page(page_id: int, content_type_id: int) -> Page | None:
    """The page as its own type, cached until the tree changes: every save
    of a page bumps the tree's version (cms.signal_handlers)."""
    key = f"gofun:page:{cache_versions.current(cache_versions.TREE)}:{page_id}"

    def build():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        return None if model is None else model.objects.filter(pk=page_id).first()

    return cache_versions.versioned(key, build)


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
        restriction_ids = cache_versions.versioned(
            key,
            lambda: sorted(
                super(CachedViewRestrictionsMixin, self)
                .get_view_restrictions()
                .values_list("pk", flat=True)
            ),
            timeout=cache_versions.KEEP_SECONDS,
        )
        if not restriction_ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=restriction_ids)


# A site changed in one process reaches another's local memory within this.
SITE_SECONDS = 60


def site_for_request(request):
    """Wagtail's site for this request's host and port (None when no site
    answers it), cached with its root page as its own type until a site or
    the tree changes (and SITE_SECONDS at most): Wagtail reads both from
    the database on every request."""
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    versions = cache_versions.current_many(cache_versions.TREE, cache_versions.SITES)
    key = f"gofun:site:{versions}:{cache_versions.digest(hostname, port)}"

    def build() -> tuple:
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return (None,)
        site.root_page.specific  # read now, kept with the site  # noqa: B018
        return (site,)

    return cache_versions.versioned(key, build, timeout=SITE_SECONDS)[0]


class CachedSiteMiddleware:
    """Sets the request's Wagtail site (`Site.find_for_request` keeps it on
    the request as `_wagtail_site`) from site_for_request's cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "_wagtail_site"):
            try:
                request.get_host()
            except DisallowedHost:
                # Refused with a 400 further on (CommonMiddleware): neither
                # looked up nor kept, so no Host header fills the cache.
                return self.get_response(request)
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)


# Placeholders in a stored page: the CSRF token (each response masks the
# person's secret afresh) and the part rendered for every request (a
# lesson's view event and its beacon).
_TOKEN_PLACEHOLDER = b"\x00gofun-csrf-token\x00"
PER_REQUEST_START = "<!--gofun:per-request-->"
PER_REQUEST_END = "<!--/gofun:per-request-->"
_TOKEN_IN_FORM = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
# How long a stored page may be served at most, whatever happens.
PERSONAL_PAGE_SECONDS = 10 * 60
_REPLAYED_HEADERS = ("Content-Type", "Cache-Control", "Vary", "Content-Language")


@dataclass(frozen=True)
class StoredPage:
    head: bytes
    tail: bytes | None  # None: the page has no per-request part
    headers: tuple[tuple[str, str], ...]


class PersonalPageCacheMixin:
    """Serves a signed-in person the page they were last served, until
    anything it was built from changes.

    The stored page is keyed by the page, the person, the language, the day,
    the password restrictions the session has passed and the versions named
    in `personal_page_versions` plus the person's own
    (cms.cache_versions.person). Wagtail's checks before serving a page (view
    restrictions, the visibility rule) run on every request as before; only
    building the page is skipped. What differs per request is put in again:
    the CSRF token, and whatever the template wraps in
    {% per_request %} (rendered again by `per_request_html`). Pages with
    messages waiting, a query string or a preview are built as before and
    not stored; an entry never outlives PERSONAL_PAGE_SECONDS nor what the
    PERSONAL_PAGE_EXPIRY hooks say (say an open quiz attempt's deadline).
    Pages are kept only with GOFUN_PERSONAL_PAGE_CACHE on: where every
    process shares the cache (Redis), as the settings explain.
    """

    personal_page_versions: tuple[str, ...] = (
        cache_versions.TREE,
        cache_versions.CHECKPOINTS,
        cache_versions.MEDIA,
        cache_versions.VIEW_TOTALS,
        cache_versions.PERMISSIONS,
        cache_versions.TRAINING,
    )

    def per_request_html(self, request) -> str:
        """The part of the page built for every request (see the class)."""
        return ""

    def personal_page_key(self, request) -> str | None:
        user = getattr(request, "user", None)
        if (
            not settings.GOFUN_PERSONAL_PAGE_CACHE
            or request.method != "GET"
            or request.GET
            or getattr(request, "is_preview", False)
            or user is None
            or not user.is_authenticated
            or len(getattr(request, "_messages", ())) > 0
        ):
            return None
        names = [*self.personal_page_versions, cache_versions.person(user.pk)]
        versions = cache_versions.current_many(*names)
        return "gofun:personal-page:{}:{}:{}".format(
            self.pk,
            user.pk,
            cache_versions.digest(
                versions,
                translation.get_language(),
                timezone.localdate(),
                request.get_host(),
                request.path,
                request.is_secure(),
                sorted(passed_password_restrictions(getattr(request, "session", None))),
            ),
        )

    def serve(self, request, *args, **kwargs):
        key = self.personal_page_key(request)
        if key is None:
            return super().serve(request, *args, **kwargs)
        stored = cache.get(key)
        if stored is not None:
            return self._stored_response(request, stored)
        response = super().serve(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse):
            response.add_post_render_callback(
                lambda rendered: self._store(request, key, rendered)
            )
        return response

    def _store(self, request, key: str, response) -> None:
        if response.status_code != 200 or len(getattr(request, "_messages", ())):
            return
        content = _TOKEN_IN_FORM.sub(
            rb"\1" + _TOKEN_PLACEHOLDER + rb"\3", response.content
        )
        start, end = PER_REQUEST_START.encode(), PER_REQUEST_END.encode()
        if content.count(start) > 1:
            return
        head, tail = content, None
        if start in content:
            head, rest = content.split(start, 1)
            tail = rest.split(end, 1)[1] if end in rest else None
            if tail is None:
                return
        seconds = PERSONAL_PAGE_SECONDS
        now = timezone.now()
        for until in personal_page_expiries(request.user):
            seconds = min(seconds, int((until - now).total_seconds()))
        if seconds <= 0:
            return
        headers = tuple(
            (name, response.headers[name])
            for name in _REPLAYED_HEADERS
            if name in response.headers
        )
        cache.set(key, StoredPage(head, tail, headers), timeout=seconds)

    def _stored_response(self, request, stored: StoredPage) -> HttpResponse:
        token = get_token(request).encode()
        parts = [stored.head.replace(_TOKEN_PLACEHOLDER, token)]
        if stored.tail is not None:
            parts += [
                PER_REQUEST_START.encode(),
                str(self.per_request_html(request)).encode(),
                PER_REQUEST_END.encode(),
                stored.tail.replace(_TOKEN_PLACEHOLDER, token),
            ]
        response = HttpResponse(b"".join(parts))
        for name, value in stored.headers:
            response.headers[name] = value
        return response


def passed_password_restrictions(session) -> set[int]:
    """The ids of the password view restrictions a session has passed
    (Wagtail keeps them in the session): what a person may see differs
    between their browsers until each has entered the password."""
    if session is None:
        return set()
    try:
        passed = session.get(PageViewRestriction.passed_view_restrictions_session_key)
    except AttributeError:
        return set()
    return {item for item in passed or [] if isinstance(item, int)}


def personal_page_expiries(user):
    """When pages stored for `user` must be built again, as the apps say
    (cms.extension_points.PERSONAL_PAGE_EXPIRY)."""
    from wagtail import hooks

    from .extension_points import PERSONAL_PAGE_EXPIRY

    for hook in hooks.get_hooks(PERSONAL_PAGE_EXPIRY):
        until = hook(user)
        if until is not None:
            yield until
