"""PowerPoint text with script tags, event handlers and javascript:/data: links
renders with nothing executable: slides, notes, titles and the admin."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from learning_series.models import LessonPage
from tests.factories import make_series
from tests.learning_series import pptx_builders as build
from tests.learning_series.pptx_helpers import import_pptx

pytestmark = pytest.mark.django_db


class ExecutableFinder(HTMLParser):
    """Collect what a browser would run: script elements, event handler
    attributes and javascript:/data: URLs, as parsed, not as text."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.in_script = True
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and "alert(" in value:
                self.found.append(f"{tag} {name}={value}")
            if name in ("href", "src", "action", "formaction") and value.startswith(
                ("javascript:", "data:")
            ):
                self.found.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.found.append(f"script {data[:60]}")


def executable_parts(html: str) -> list[str]:
    finder = ExecutableFinder()
    finder.feed(html)
    return finder.found


@pytest.fixture
def hostile_lesson(author, tmp_path) -> LessonPage:
    make_series(slug="hostile")
    outcome = import_pptx(
        build.hostile_text_deck(tmp_path / "hostile.pptx"),
        series="hostile",
        owner=author.username,
    )
    assert outcome.status == 0, outcome.stderr
    return LessonPage.objects.get(pk=outcome.json["lesson_id"])


def lesson_html(client, lesson, learner) -> str:
    lesson.get_latest_revision().publish()
    lesson.refresh_from_db()
    client.force_login(learner)
    response = client.get(lesson.url)
    assert response.status_code == 200
    return response.content.decode()


def slide_section(html: str) -> str:
    start = html.index('<ol class="slides"')
    return html[start : html.index("</article>", start)]


def test_imported_links_to_javascript_and_data_are_dropped(hostile_lesson):
    body = hostile_lesson.get_latest_revision_as_object().slides[0].value["body"]

    assert "javascript:alert('link')" not in body
    assert "data:text/html" not in body
    assert "ここを押す" in body


def test_lesson_page_renders_nothing_executable_from_slides_and_notes(
    client, hostile_lesson, learner
):
    html = lesson_html(client, hostile_lesson, learner)

    section = slide_section(html)
    assert executable_parts(html) == []
    assert "<script" not in section
    assert "ノートのリンク" in section
    assert "本文" in section


def test_lesson_title_renders_as_text(client, hostile_lesson, learner):
    html = lesson_html(client, hostile_lesson, learner)

    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;危険なタイトル" in html
    assert "<script>alert('title')" not in html


def test_admin_editor_shows_imported_text_inertly(client, hostile_lesson, author):
    client.force_login(author)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[hostile_lesson.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert executable_parts(html) == []
    assert "<script>alert(" not in html
