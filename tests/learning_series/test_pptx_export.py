"""PowerPoint export: the command, the editors' link, and export → import."""

from __future__ import annotations

import io

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from pptx import Presentation
from wagtail.images import get_image_model

from learning_series.demo import DEMO_CONTENT
from learning_series.marp import Deck, Slide, parse_deck
from learning_series.models import LessonPage
from learning_series.services import lesson_create_from_deck
from tests.factories import make_series
from tests.learning_series.pptx_builders import png_bytes
from tests.learning_series.pptx_helpers import import_pptx

pytestmark = pytest.mark.django_db

BODIES = [
    "本文1：**標的型メール**の見分け方",
    "添付ファイルを開く前に：\n差出人を確かめる\n\n*急ぎ*と書かれていても慌てない",
    "- 長くする\n  - 12文字以上\n    - 辞書の単語は避ける\n- 使い回さない",
    "1. 報告する\n2. [窓口](https://intra.example.go.jp/help)に相談する",
    "| 手続 | 担当 |\n| --- | --- |\n| 申請 | LAN・IT機器担当 |",
    "表の前\n\n| 項目 | 値 |\n| --- | --- |\n| 文字数 | 12 |\n\n表の後",
    "記号 5 \\* 3 と \\_下線\\_ はそのまま",
]


@pytest.fixture
def image(author):
    return get_image_model().objects.create(
        title="図",
        file=ImageFile(io.BytesIO(png_bytes()), name="figure.png"),
        uploaded_by_user=author,
    )


@pytest.fixture
def lesson(author, image) -> LessonPage:
    series = make_series(slug="export")
    deck = Deck(
        title="書き出しの確認",
        slides=[
            Slide(
                title=f"スライド{number}",
                body=body,
                notes=f"ノート{number}\n\n二段落目",
                image=image if number == 1 else None,
                image_alt="図の説明" if number == 1 else "",
            )
            for number, body in enumerate(BODIES, 1)
        ],
    )
    lesson, _ = lesson_create_from_deck(series=series, deck=deck, owner=author)
    return lesson


def export(lesson, path) -> Presentation:
    call_command("export_pptx", str(lesson.pk), str(path), stdout=io.StringIO())
    return Presentation(str(path))


def slide_values(lesson) -> list[dict]:
    return [block.value for block in lesson.get_latest_revision_as_object().slides]


def test_export_writes_one_slide_per_lesson_slide_with_titles(lesson, tmp_path):
    presentation = export(lesson, tmp_path / "out.pptx")

    assert [slide.shapes.title.text for slide in presentation.slides] == [
        f"スライド{number}" for number in range(1, len(BODIES) + 1)
    ]


def test_export_carries_tables_images_and_notes(lesson, tmp_path):
    presentation = export(lesson, tmp_path / "out.pptx")

    first, table_slide = presentation.slides[0], presentation.slides[4]
    pictures = [shape for shape in first.shapes if shape.shape_type == 13]
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == "図の説明"
    table = next(shape for shape in table_slide.shapes if shape.has_table).table
    assert table.cell(1, 1).text == "LAN・IT機器担当"
    assert first.notes_slide.notes_text_frame.text == "ノート1\n\n二段落目"


def test_export_then_import_gives_back_titles_texts_and_notes(lesson, author, tmp_path):
    export(lesson, tmp_path / "out.pptx")

    outcome = import_pptx(tmp_path / "out.pptx", series="export", owner=author.username)

    assert outcome.status == 0, outcome.stderr
    again = LessonPage.objects.get(pk=outcome.json["lesson_id"])
    assert again.title == lesson.title
    original, imported = slide_values(lesson), slide_values(again)
    assert [value["title"] for value in imported] == [
        value["title"] for value in original
    ]
    assert [value["body"] for value in imported] == BODIES
    assert [value["notes"] for value in imported] == [
        value["notes"] for value in original
    ]
    assert imported[0]["image_alt"] == "図の説明"


@pytest.mark.parametrize("stem", ["passwords-1", "targeted-email-1"])
def test_demo_deck_survives_export_then_import(author, tmp_path, stem):
    deck = parse_deck((DEMO_CONTENT / "lessons" / f"{stem}.md").read_text("utf-8"))
    lesson, _ = lesson_create_from_deck(
        series=make_series(slug="export"), deck=deck, owner=author
    )
    export(lesson, tmp_path / "out.pptx")

    outcome = import_pptx(tmp_path / "out.pptx", series="export", owner=author.username)

    assert outcome.status == 0, outcome.stderr
    again = LessonPage.objects.get(pk=outcome.json["lesson_id"])
    assert slide_values(again) == [
        {**value, "image": None} for value in slide_values(lesson)
    ]


def test_export_uses_the_latest_draft(lesson, tmp_path):
    draft = lesson.get_latest_revision_as_object()
    draft.slides[0].value["title"] = "直したタイトル"
    draft.save_revision()

    presentation = export(lesson, tmp_path / "out.pptx")

    assert presentation.slides[0].shapes.title.text == "直したタイトル"


def test_export_of_unknown_lesson_fails_with_status_2(db, tmp_path):
    with pytest.raises(Exception) as raised:
        call_command("export_pptx", "999999", str(tmp_path / "out.pptx"))

    assert raised.value.returncode == 2
    assert str(raised.value) == "ID 999999 の教材はありません。"


def test_editor_downloads_lesson_as_pptx(client, editor, lesson):
    client.force_login(editor)

    response = client.get(reverse("learning_series_pptx_export", args=[lesson.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.presentationml"
    )
    assert "attachment" in response["Content-Disposition"]
    presentation = Presentation(io.BytesIO(response.content))
    assert len(presentation.slides) == len(BODIES)


def test_learner_cannot_download_lesson_as_pptx(client, learner, lesson):
    client.force_login(learner)

    response = client.get(reverse("learning_series_pptx_export", args=[lesson.pk]))

    assert response.status_code in (302, 403)
    assert response.get("Content-Type", "").startswith("text/html")


def test_lesson_header_offers_export_to_editors(client, editor, lesson):
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))

    assert "PowerPoint に書き出す" in response.content.decode()
    assert reverse("learning_series_pptx_export", args=[lesson.pk]) in (
        response.content.decode()
    )


def test_webp_image_is_exported_as_png(author, tmp_path):
    webp = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(webp, format="WEBP")
    image = get_image_model().objects.create(
        title="WebP", file=ImageFile(webp, name="figure.webp"), uploaded_by_user=author
    )
    deck = Deck(title="WebP", slides=[Slide(title="一枚", body="", image=image)])
    lesson, _ = lesson_create_from_deck(
        series=make_series(slug="webp"), deck=deck, owner=author
    )

    presentation = export(lesson, tmp_path / "out.pptx")

    picture = next(s for s in presentation.slides[0].shapes if s.shape_type == 13)
    assert picture.image.content_type == "image/png"
