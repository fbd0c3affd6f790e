"""PowerPoint import: what each slide becomes, warnings, drafts and the audit log."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.util import Inches
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry

from learning_series.markdown import render_markdown
from learning_series.models import LessonPage
from tests.factories import make_series
from tests.learning_series import pptx_builders as build
from tests.learning_series.pptx_helpers import import_pptx

pytestmark = pytest.mark.django_db


@pytest.fixture
def series():
    return make_series(slug="passwords")


def imported_lesson(path, author) -> tuple[LessonPage, dict]:
    outcome = import_pptx(path, series="passwords", owner=author.username)
    assert outcome.status == 0, outcome.stderr
    result = outcome.json
    return LessonPage.objects.get(pk=result["lesson_id"]), result


def slide(lesson: LessonPage, number: int = 1) -> dict:
    return lesson.get_latest_revision_as_object().slides[number - 1].value


def test_paragraph_levels_become_nested_lists(series, author, tmp_path):
    lesson, _ = imported_lesson(build.deck_with_levels(tmp_path / "a.pptx"), author)

    body = slide(lesson)["body"]
    assert (
        body == "- 長くする\n  - 12文字以上\n    - 辞書の単語は避ける\n- 使い回さない"
    )
    assert render_markdown(body).count("<ul>") == 3


def test_slide_title_becomes_block_title_and_lesson_title(series, author, tmp_path):
    lesson, _ = imported_lesson(build.deck_with_levels(tmp_path / "a.pptx"), author)

    assert slide(lesson)["title"] == "パスワードの決め方"
    assert lesson.title == "パスワードの決め方"


def test_speaker_notes_are_imported(series, author, tmp_path):
    lesson, _ = imported_lesson(build.deck_with_levels(tmp_path / "a.pptx"), author)

    assert slide(lesson)["notes"] == "ここで実例を見せる\n二行目"


def test_text_inside_group_shapes_is_imported(series, author, tmp_path):
    path = build.deck_with_group_and_table(tmp_path / "a.pptx")

    lesson, _ = imported_lesson(path, author)

    assert "グループの中の文章" in slide(lesson)["body"]


def test_tables_become_markdown_tables(series, author, tmp_path):
    path = build.deck_with_group_and_table(tmp_path / "a.pptx")

    lesson, _ = imported_lesson(path, author)

    assert slide(lesson)["body"].endswith(
        "| 手続 | 担当 |\n| --- | --- |\n| 申請 | LAN・IT機器担当 |"
    )


def test_first_picture_becomes_the_slide_image_with_its_description(
    series, author, tmp_path
):
    lesson, _ = imported_lesson(build.deck_with_pictures(tmp_path / "a.pptx"), author)

    value = slide(lesson)
    assert value["image"] is not None
    assert (value["image"].width, value["image"].height) == (40, 30)
    assert value["image_alt"] == "ログイン画面の例"
    assert get_image_model().objects.count() == 1


def test_pictures_left_out_are_named_in_a_warning(series, author, tmp_path):
    _, result = imported_lesson(build.deck_with_pictures(tmp_path / "a.pptx"), author)

    assert any(
        warning.startswith("スライド 1:") and "警告画面" in warning
        for warning in result["warnings"]
    ), result["warnings"]


@pytest.mark.parametrize(
    ("file", "slide_number", "what"),
    [
        ("shp-access-chart.pptx", 1, "グラフ"),
        ("shp-shapes.pptx", 1, "SmartArt"),
        ("shp-movie-props.pptx", 1, "音声または動画"),
        ("shp-access-ole-object.pptx", 1, "埋め込みオブジェクト"),
    ],
)
def test_content_that_cannot_be_carried_over_is_named_with_its_slide(
    series, author, file, slide_number, what
):
    _, result = imported_lesson(build.FILES / file, author)

    assert any(
        warning.startswith(f"スライド {slide_number}:") and what in warning
        for warning in result["warnings"]
    ), result["warnings"]


def test_json_output_gives_lesson_slide_count_and_warnings(series, author, tmp_path):
    outcome = import_pptx(
        build.deck_with_slides(tmp_path / "a.pptx", 3),
        series="passwords",
        owner=author.username,
    )

    assert outcome.json == {
        "lesson_id": LessonPage.objects.get().pk,
        "slides": 3,
        "warnings": [],
    }


def test_imported_lesson_is_an_unpublished_draft(series, author, tmp_path):
    lesson, _ = imported_lesson(build.deck_with_slides(tmp_path / "a.pptx", 2), author)

    assert not lesson.live
    assert lesson.live_revision is None
    assert lesson.has_unpublished_changes
    assert lesson.owner == author


def test_import_is_recorded_in_the_audit_log(series, author, tmp_path):
    lesson, _ = imported_lesson(build.deck_with_slides(tmp_path / "a.pptx", 2), author)

    entry = PageLogEntry.objects.get(action="gofun.lesson.import_pptx")
    assert entry.page_id == lesson.pk
    assert entry.user == author
    assert entry.data["slides"] == 2
    assert entry.message == "PowerPoint から取り込みました"


def test_two_imports_of_one_file_get_distinct_slugs(series, author, tmp_path):
    path = build.deck_with_slides(tmp_path / "a.pptx", 1)

    first, _ = imported_lesson(path, author)
    second, _ = imported_lesson(path, author)

    assert first.slug != second.slug


def test_owner_who_cannot_add_lessons_is_refused(series, learner, tmp_path):
    outcome = import_pptx(
        build.deck_with_slides(tmp_path / "a.pptx", 1),
        series="passwords",
        owner=learner.username,
    )

    assert outcome.status == 2
    assert "追加できません" in outcome.stderr
    assert not LessonPage.objects.exists()


def test_unknown_series_is_refused_with_exit_status_2(series, author, tmp_path):
    outcome = import_pptx(
        build.deck_with_slides(tmp_path / "a.pptx", 1),
        series="no-such-series",
        owner=author.username,
    )

    assert outcome.status == 2
    assert "no-such-series" in outcome.stderr


def test_picture_repeated_on_slides_is_stored_once(series, author, tmp_path):
    presentation = Presentation()
    logo = build.png_bytes("green")
    for number in (1, 2):
        deck_slide = presentation.slides.add_slide(presentation.slide_layouts[5])
        deck_slide.shapes.title.text = f"ロゴ{number}"
        deck_slide.shapes.add_picture(io.BytesIO(logo), Inches(1), Inches(2))
    lesson, _ = imported_lesson(build.save(presentation, tmp_path / "a.pptx"), author)

    assert slide(lesson, 1)["image"] == slide(lesson, 2)["image"]
    assert get_image_model().objects.count() == 1


def test_content_for_newer_powerpoint_leaves_a_warning(series, author, tmp_path):
    presentation = Presentation()
    deck_slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    deck_slide.shapes.title.text = "数式"
    tree = deck_slide.shapes._spTree
    tree.append(
        tree.makeelement(
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
            "AlternateContent",
            {},
        )
    )
    _, result = imported_lesson(build.save(presentation, tmp_path / "a.pptx"), author)

    assert result["warnings"] == [
        "スライド 1: 新しい PowerPoint 向けの内容（数式や 3D モデルなど）は"
        "取り込めないため省きました。"
    ]
