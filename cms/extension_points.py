"""Where the apps above `cms` plug into the site it frames.

`cms` holds the home page, the base template and the demo loader, but knows
none of the apps built on it: they register with these Wagtail hooks (in their
`wagtail_hooks.py`, with `order=` deciding the place) and `cms` asks the hooks.

- SITE_NAVIGATION: `fn(request)` returns NavigationLink objects (or none) for
  the header's account menu.
- HEADER_COMPONENTS: `fn(request)` returns a Component for the header (or None).
- HOME_PAGE_PANELS: `fn(request, page)` returns a Component for the home page
  (or None), in hook order.
- PERSONAL_PAGE_EXPIRY: `fn(user)` returns when the pages stored for that
  person (cms.page_caching.PersonalPageCacheMixin) must be built again (an
  aware datetime), or None: say when an open quiz attempt runs out.
- DEMO_LOADERS: `fn(report)` loads one app's part of the demo into a DemoReport.
- BACKUP_CHECKS: `fn(connection)` returns `(name, figures)`: what a backup
  records of that app's data (say, the ledger's row count and digest) and a
  restore must find again, read through the given database connection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.template.loader import get_template
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.admin.ui.components import Component

SITE_NAVIGATION = "gofun_site_navigation"
HEADER_COMPONENTS = "gofun_header_components"
HOME_PAGE_PANELS = "gofun_home_page_panels"
PERSONAL_PAGE_EXPIRY = "gofun_personal_page_expiry"
DEMO_LOADERS = "gofun_demo_loaders"
BACKUP_CHECKS = "gofun_backup_checks"


@dataclass(frozen=True)
class NavigationLink:
    label: str
    url: str


class TemplatePanel(Component):
    """A template rendered inside the page that includes it, with the request
    and the page's context, plus what the registering app passes."""

    def __init__(self, template_name: str, **context):
        self.template_name = template_name
        self.context = context

    def get_context_data(self, parent_context) -> dict:
        if parent_context is None:
            data = {}
        elif hasattr(parent_context, "flatten"):
            data = parent_context.flatten()
        else:
            data = dict(parent_context)
        data.update(self.context)
        return data

    def render_html(self, parent_context=None) -> SafeString:
        data = self.get_context_data(parent_context)
        if parent_context is not None:
            # The page's context already holds what the context processors
            # give (the request, the user, the CSRF token); running them again
            # for each panel cost more than the panel itself.
            return get_template(self.template_name).render(data)
        request = data.pop("request", None)
        return get_template(self.template_name).render(data, request=request)


def site_navigation(request) -> list[NavigationLink]:
    links: list[NavigationLink] = []
    for hook in hooks.get_hooks(SITE_NAVIGATION):
        links.extend(hook(request) or ())
    return links


def _components(results: Iterable[Component | None]) -> list[Component]:
    return [component for component in results if component is not None]


def header_components(request) -> list[Component]:
    return _components(hook(request) for hook in hooks.get_hooks(HEADER_COMPONENTS))


def home_page_panels(request, page) -> list[Component]:
    return _components(
        hook(request, page) for hook in hooks.get_hooks(HOME_PAGE_PANELS)
    )
