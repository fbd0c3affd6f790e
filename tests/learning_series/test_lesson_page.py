"""The lesson page: one accessible page without JavaScript, the reader's hooks,
reading time, neighbours in the series, and a query count that ignores slides."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from learning_series import selectors
from tests.factories import make_lesson, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def series():
    return make_series(slug="mail")


def slide_items(html: str) -> list[str]:
    return re.findall(r'<li class="slide" id="slide-\d+"[^>]*>', html)


def test_every_slide_is_on_the_page_without_javascript(client, learner, series):
    lesson = make_lesson(series=series, slides=4)
    client.force_login(learner)

    html = client.get(lesson.url).text

    items = slide_items(html)
    assert len(items) == 4
    assert not any("hidden" in item for item in items)
    for number in range(1, 5):
        assert f"スライド{number}" in html


def test_each_slide_has_a_deep_link(client, learner, series):
    lesson = make_lesson(series=series, slides=3)
    client.force_login(learner)

    html = client.get(lesson.url).text

    assert 'id="slide-2"' in html
    assert 'href="#slide-2"' in html
    assert "スライド 2 / 3" in html


def test_reader_controls_are_hidden_until_the_script_runs(client, learner, series):
    lesson = make_lesson(series=series, slides=3)
    client.force_login(learner)

    html = client.get(lesson.url).text

    controls = re.search(r'<div class="reader-controls"[^>]*>', html).group(0)
    assert "hidden" in controls
    assert "前のスライド" in html
    assert "次のスライド" in html
    assert 'aria-label="教材の進み具合"' in html
    assert '<script src="/static/learning_series/reader.js" defer>' in html


def test_the_page_loads_nothing_from_another_origin(client, learner, series):
    lesson = make_lesson(series=series, slides=3)
    client.force_login(learner)

    html = client.get(lesson.url).text

    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert sources
    assert all(not re.match(r"^(?:[a-z]+:)?//", url) for url in sources), sources


def test_reading_time_is_shown_in_japanese(client, learner, series):
    lesson = make_lesson(series=series, slides=3)
    client.force_login(learner)

    html = client.get(lesson.url).text

    assert "約1分で読めます" in html


def test_lesson_links_to_its_neighbours_in_the_series(client, learner, series):
    first = make_lesson(series=series, title="一本目")
    second = make_lesson(series=series, title="二本目")
    third = make_lesson(series=series, title="三本目")
    client.force_login(learner)

    html = client.get(second.url).text

    assert f'rel="prev" href="{first.url}"' in html
    assert f'rel="next" href="{third.url}"' in html


def test_draft_lessons_are_not_offered_as_neighbours(client, learner, series):
    first = make_lesson(series=series, title="一本目")
    make_lesson(series=series, title="下書き", live=False)
    client.force_login(learner)

    html = client.get(first.url).text

    assert 'rel="next"' not in html
    assert "下書き" not in html


def test_series_page_shows_reading_time_and_authors(client, learner, author, series):
    series.authors.add(author)
    series.save_revision().publish()
    make_lesson(series=series)
    client.force_login(learner)

    html = client.get(series.url).text

    assert "約1分で読めます" in html
    assert "担当" in html
    assert author.first_name in html


def with_images(lesson, count_images: bool = True):
    """Give every slide of a lesson an image and publish the change."""
    Image = get_image_model()
    stream = []
    for number, block in enumerate(lesson.slides.raw_data, 1):
        image = Image.objects.create(
            title=f"図{number}", file=get_test_image_file(f"slide{number}.png")
        )
        stream.append(("slide", {**block["value"], "image": image, "image_alt": "図"}))
    lesson.slides = stream
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    return lesson


def queries_for(client, url: str) -> int:
    client.get(url)  # renditions and the rendered-HTML cache are made once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_lesson_page_queries_do_not_grow_with_slides(client, learner, series):
    client.force_login(learner)
    counts = {
        slides: queries_for(
            client,
            with_images(
                make_lesson(series=series, title=f"{slides}枚", slides=slides)
            ).url,
        )
        for slides in (3, 10, 30)
    }

    assert counts[3] == counts[10] == counts[30], counts


def test_first_view_queries_do_not_grow_with_slides(client, learner, series):
    client.force_login(learner)
    client.get("/")
    # Another lesson first: what is cached per person (where they stand, for
    # the view log) is then warm for both lessons measured.
    client.get(make_lesson(series=series, title="準備").url)
    counts = {}
    for slides in (3, 10):
        lesson = make_lesson(series=series, title=f"{slides}枚", slides=slides)
        with CaptureQueriesContext(connection) as queries:
            client.get(lesson.url)
        counts[slides] = len(queries)

    assert counts[3] == counts[10], counts


def test_a_page_view_renders_no_markdown_once_cached(
    client, learner, series, monkeypatch
):
    lesson = make_lesson(series=series, slides=3)
    client.force_login(learner)
    client.get(lesson.url)

    def must_not_render(text):
        raise AssertionError("Markdown rendered again for a cached revision")

    monkeypatch.setattr(selectors, "render_markdown", must_not_render)
    response = client.get(lesson.url)

    assert "標的型メール" in response.text


def test_a_new_revision_is_shown_at_once(client, learner, series):
    lesson = make_lesson(series=series, slides=2)
    client.force_login(learner)
    client.get(lesson.url)

    stream = [("slide", block["value"]) for block in lesson.slides.raw_data]
    stream[0][1]["body"] = "**改訂後**の本文"
    lesson.slides = stream
    lesson.save_revision().publish()

    assert "<strong>改訂後</strong>" in client.get(lesson.url).text


def test_preview_of_a_new_lesson_renders_its_markdown(client, editor, series):
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=["learning_series", "lessonpage", series.pk],
    )
    data = nested_form_data(
        {
            "title": "新しいレッスン",
            "slug": "new-lesson",
            "summary": "",
            "tags": "",
            "slides": streamfield(
                [
                    (
                        "slide",
                        {
                            "title": "一枚目",
                            "body": "**太字**と<script>alert(1)</script>",
                            "image": "",
                            "image_alt": "",
                            "notes": "",
                        },
                    )
                ]
            ),
            "comments": inline_formset([]),
        }
    )
    client.force_login(editor)

    assert client.post(url, data).json()["is_valid"]
    html = client.get(url).text

    assert "<strong>太字</strong>" in html
    assert "<script>alert" not in html
    assert series.title in html


def test_the_lesson_summary_and_tags_are_open_without_javascript(
    client, learner, series
):
    lesson = make_lesson(series=series, slides=2)
    client.force_login(learner)

    html = client.get(lesson.url).text

    about = re.search(r"<details ([^>]*)>(.*?)</details>", html, re.DOTALL)
    assert "data-reader-about" in about.group(1)
    assert re.search(r"\bopen\b", about.group(1))
    assert "テスト用の教材" in about.group(2)
    assert '<li class="tag" lang="ja">メール</li>' in about.group(2)


def test_the_reader_names_its_lesson_for_scripts_listening_to_it(
    client, learner, series
):
    lesson = make_lesson(series=series, slides=2)
    client.force_login(learner)

    html = client.get(lesson.url).text

    assert re.search(
        rf'<article [^>]*data-reader [^>]*data-lesson-id="{lesson.pk}"', html
    )


def test_slide_changes_have_a_polite_live_region(client, learner, series):
    lesson = make_lesson(series=series, slides=2)
    client.force_login(learner)

    html = client.get(lesson.url).text

    region = re.search(r"<p [^>]*data-reader-announcer[^>]*>", html).group(0)
    assert 'aria-live="polite"' in region
    assert 'data-template="スライド {number} / {total}: {title}"' in region


def test_the_read_to_end_form_follows_the_last_slide_then_the_controls(
    client, learner, series
):
    lesson = make_lesson(series=series, slides=3)
    client.force_login(learner)

    html = client.get(lesson.url).text

    last_slide = html.index('id="slide-3"')
    read_to_end = html.index("読み終えました")
    controls = html.index("data-reader-controls")
    assert last_slide < html.index("</ol>") < read_to_end < controls


def test_the_lesson_page_has_no_inline_script_style_or_handler(client, learner, series):
    lesson = make_lesson(series=series, slides=3)
    client.force_login(learner)

    html = client.get(lesson.url).text

    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []
    assert re.findall(r"<style\b|\sstyle=", html) == []
    assert re.findall(r"\son[a-z]+=", html) == []
