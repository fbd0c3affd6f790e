"""The editor's reading time in a real headless Chromium: it follows the typing.

As in test_reader_browser.py, Chromium is answered from Django's test client
(the edit page and the admin's JavaScript catalogue, fetched beforehand in
the test's thread) and from the static files on disk; nothing else is
served. Skipped when Playwright or Debian's Chromium is missing.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.db import connections
from django.test import Client
from django.urls import reverse

from tests.factories import make_lesson, make_series

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ORIGIN = "http://testserver"

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="No Chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
    pytest.mark.django_db,
]


@pytest.fixture(scope="module")
def editor_browser():
    # Playwright's sync API keeps an event loop in this thread, which Django
    # takes for an async context; the ORM work here is plain and synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            yield browser
            browser.close()
            connections.close_all()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def editor_page(editor_browser, author):
    lesson = make_lesson(series=make_series(), owner=author, live=False, slides=1)
    client = Client()
    client.force_login(author)
    edit_path = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    prefetched = {
        path: client.get(path)
        for path in (edit_path, reverse("wagtailadmin_javascript_catalog"))
    }

    def answer(route):
        path = urlsplit(route.request.url).path
        if path in prefetched:
            response = prefetched[path]
            route.fulfill(
                status=response.status_code,
                headers={"content-type": response["Content-Type"]},
                body=response.content,
            )
            return
        if path.startswith("/static/"):
            found = finders.find(path.removeprefix("/static/"))
            if found:
                content_type = (
                    "text/javascript"
                    if found.endswith(".js")
                    else "text/css"
                    if found.endswith(".css")
                    else "application/octet-stream"
                )
                route.fulfill(
                    status=200,
                    headers={"content-type": content_type},
                    body=Path(found).read_bytes(),
                )
                return
        route.fulfill(status=404, body="")

    page = editor_browser.new_page()
    page.route("**/*", answer)
    page.goto(ORIGIN + edit_path)
    yield page
    page.close()


def shown(page) -> tuple[str, str]:
    panel = page.locator("[data-reading-time-config]")
    return (
        panel.get_attribute("data-reading-time"),
        page.locator("[data-reading-time-output]").inner_text(),
    )


def test_reading_time_follows_the_typing(editor_page):
    body = editor_page.locator("textarea[name='slides-0-value-body']")
    body.wait_for()

    body.fill("あ" * 3000)
    editor_page.wait_for_function(
        "document.querySelector('[data-reading-time-config]')"
        ".dataset.readingTime === 'over-budget'"
    )
    assert "目安の5分を超えています" in shown(editor_page)[1]

    body.fill("")
    editor_page.locator("input[name='slides-0-value-title']").fill("")
    editor_page.wait_for_function(
        "document.querySelector('[data-reading-time-config]')"
        ".dataset.readingTime === 'empty'"
    )
    assert "スライドの文章はまだありません" in shown(editor_page)[1]
