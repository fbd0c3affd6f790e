"""The reader in a real headless Chromium: keys, buttons, deep links, no-JS, print.

Chromium's requests are answered with the responses Django's test client got
for the page and its assets (Playwright routes): no live server, no network,
and any request for another origin is seen and refused. Skipped, with the reason,
when Playwright or Debian's Chromium is missing (`pip install playwright`,
`apt-get install chromium`).
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.db import connections
from django.test import Client

from learning_series.services import lesson_import_markdown
from tests.factories import make_series

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="No Chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
    pytest.mark.django_db,
]

ORIGIN = "http://testserver"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API keeps an event loop in this thread, which Django
    # takes for an async context; the ORM work here is plain and synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
            # Connections opened while Playwright's loop ran are kept apart
            # from the thread's; close them here, or the test database
            # cannot be dropped at the end of the run.
            connections.close_all()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


DECK = "---\ntitle: 標的型メールの見分け方\n---\n" + "\n---\n".join(
    f"# スライド{number}\n\n- 本文{number}\n\n<!-- ノート{number} -->"
    for number in range(1, 5)
)


@pytest.fixture
def lesson_path(editor):
    """A four-slide lesson imported from Markdown and published."""
    return lesson_import_markdown(
        series=make_series(slug="mail"),
        owner=editor,
        source_name="mail-1.md",
        content=DECK,
        publish=True,
    ).url


class Site:
    """Answers the browser from responses Django gave the signed-in learner.

    Django is called beforehand, in the test's thread: Playwright runs route
    handlers in another greenlet, which would get another database
    connection that cannot see the test's uncommitted rows.
    """

    def __init__(self, user, page_path: str):
        client = Client()
        client.force_login(user)
        self.responses = {}
        page = client.get(page_path)
        self._keep(page_path, page)
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
            self._keep(asset, client.get(asset))
        self.requested: list[str] = []
        self.refused: list[str] = []

    def _keep(self, path, response):
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        self.responses[quote(path)] = (
            response.status_code,
            dict(response.items()),
            body,
        )

    def __call__(self, route):
        url = route.request.url
        self.requested.append(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
            self.refused.append(url)
            route.abort()
            return
        status, headers, body = self.responses.get(
            parts.path, (404, {"Content-Type": "text/plain"}, b"")
        )
        route.fulfill(status=status, headers=headers, body=body)


@pytest.fixture
def site(learner, lesson_path):
    return Site(learner, lesson_path)


@pytest.fixture
def open_lesson(browser, site, lesson_path):
    contexts = []

    def open_(*, javascript=True, fragment=""):
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        context.route("**/*", site)
        page = context.new_page()
        page.goto(ORIGIN + quote(lesson_path) + fragment)
        return page

    yield open_
    for context in contexts:
        context.close()


def visible_slides(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-slide]",
        "slides => slides.filter(s => getComputedStyle(s).display !== 'none')"
        ".map(s => s.id)",
    )


def test_reader_shows_one_slide_at_a_time(open_lesson):
    page = open_lesson()

    assert visible_slides(page) == ["slide-1"]
    assert page.locator("[data-reader-position]").inner_text() == "1 / 4"
    assert page.locator("[data-reader-controls]").is_visible()


def test_arrow_keys_move_between_slides(open_lesson):
    page = open_lesson()

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert visible_slides(page) == ["slide-3"]
    assert page.locator("[data-reader-position]").inner_text() == "3 / 4"
    assert page.locator("[data-reader-progress]").get_attribute("max") == "4"
    assert page.evaluate("document.querySelector('[data-reader-progress]').value") == 3
    assert page.url.endswith("#slide-3")

    page.keyboard.press("ArrowLeft")
    assert visible_slides(page) == ["slide-2"]


def test_buttons_move_and_stop_at_the_last_slide(open_lesson):
    page = open_lesson()
    next_button = page.get_by_role("button", name="次のスライド")

    for _ in range(3):
        next_button.click()
    page.keyboard.press("Enter")  # on the focused, now disabled, button

    assert visible_slides(page) == ["slide-4"]
    assert next_button.get_attribute("aria-disabled") == "true"
    assert page.evaluate("document.activeElement.hasAttribute('data-reader-next')")


def test_a_deep_link_opens_that_slide(open_lesson):
    page = open_lesson(fragment="#slide-3")

    assert visible_slides(page) == ["slide-3"]
    assert page.locator("[data-reader-position]").inner_text() == "3 / 4"


def test_one_page_mode_shows_every_slide(open_lesson):
    page = open_lesson()

    page.get_by_role("button", name="すべてのスライドを1ページで表示").click()

    assert visible_slides(page) == ["slide-1", "slide-2", "slide-3", "slide-4"]
    page.keyboard.press("ArrowRight")
    assert len(visible_slides(page)) == 4


def test_without_javascript_the_lesson_is_one_page(open_lesson):
    page = open_lesson(javascript=False)

    assert visible_slides(page) == ["slide-1", "slide-2", "slide-3", "slide-4"]
    assert not page.locator("[data-reader-controls]").is_visible()


def test_print_shows_every_slide_one_per_page(open_lesson):
    page = open_lesson()

    page.emulate_media(media="print")

    assert visible_slides(page) == ["slide-1", "slide-2", "slide-3", "slide-4"]
    assert not page.locator("[data-reader-controls]").is_visible()
    assert (
        page.eval_on_selector("#slide-1", "s => getComputedStyle(s).breakAfter")
        == "page"
    )


def test_no_request_leaves_the_sites_origin(open_lesson, site):
    page = open_lesson()
    page.keyboard.press("ArrowRight")
    page.wait_for_load_state("networkidle")

    assert any(address.endswith("/reader.js") for address in site.requested)
    assert any(address.endswith("/reader.css") for address in site.requested)
    assert site.refused == []
