"""Browser tests' shared parts, a pytest plugin (registered in tests/conftest.py).

Debian's Chromium under Playwright visits pytest-django's live server as a
signed-in person, on a phone (390×844, touch) or a laptop (1366×800). Every
request for another origin is refused and kept, so a test can show that none
was made. Screenshots go to var/screenshots/ (git-ignored; CI keeps them);
axe-core comes from npm (package-lock.json, installed by `make test`).

Browser tests skip, saying why, only when Chromium is missing
(`apt-get install chromium`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

# Launching Debian's Chromium and axe-core are shared with the end-to-end
# journeys, which must not import Django; the browser tests import
# AXE_SCRIPT and axe_violations from here.
from e2e.browser import (  # noqa: F401
    AXE_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    DEVICES,
    axe_violations,
)

PROJECT = Path(__file__).resolve().parent.parent
SCREENSHOTS = PROJECT / "var" / "screenshots"

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"No Chromium at {CHROMIUM} (apt-get install chromium)",
)
# Browser tests read what a live server thread wrote, so their rows are
# committed; the rows that migrations create are restored after each test.
live_database = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API keeps an event loop in this thread, which Django
    # takes for an async context; the ORM work in the tests is synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # While Playwright's loop runs, Django keeps this thread's connections
    # apart from the ones it had (asgiref's Local turns to context variables).
    # The new ones need the database contents saved at setup, or a
    # transactional test after the first would not get back the rows that
    # migrations made.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    try:
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
            connections.close_all()
    finally:
        # Close both kinds, or the test database cannot be dropped.
        connections.close_all()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Visit:
    """One browser context on the live server, with the requests it made."""

    origin: str
    context: BrowserContext
    page: Page = field(init=False)
    requested: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def guard(self, route: Route) -> None:
        address = route.request.url
        self.requested.append(address)
        parts = urlsplit(address)
        if f"{parts.scheme}://{parts.netloc}" == self.origin:
            route.continue_()
        else:
            self.refused.append(address)
            route.abort()

    def go(self, path: str) -> Page:
        self.page.goto(self.origin + path)
        return self.page


@pytest.fixture
def visit(browser: Browser, live_server):
    """`visit(path, user=..., device="phone")` opens `path` signed in as `user`.

    `javascript=False` turns scripts off; `init_script` runs before the
    page's own scripts. Returns a Visit; `.page` is the Playwright page.
    """
    visits: list[Visit] = []

    def open_(
        path: str,
        *,
        user,
        device: str,
        javascript: bool = True,
        init_script: str | None = None,
    ) -> Visit:
        context = browser.new_context(
            locale="ja-JP", java_script_enabled=javascript, **DEVICES[device]
        )
        opened = Visit(origin=live_server.url, context=context)
        visits.append(opened)
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session,
                    "url": live_server.url,
                }
            ]
        )
        context.route("**/*", opened.guard)
        opened.page = context.new_page()
        if init_script:
            opened.page.add_init_script(init_script)
        opened.go(path)
        return opened

    yield open_
    for opened in visits:
        opened.context.close()


def screenshot(page: Page, name: str) -> Path:
    """Save what the page shows now as var/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path))
    return path
