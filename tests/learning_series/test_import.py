"""Importing Marp-style decks: the service, the command and the admin upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.models import PageLogEntry

from learning_series.models import LessonPage
from learning_series.services import (
    LESSON_IMPORT_ACTION,
    LessonImportError,
    lesson_import_markdown,
)
from tests.factories import make_series

pytestmark = pytest.mark.django_db

DECK = """---
title: パスワードの適切な使い方
summary: 使い回しをやめる
tags: [パスワード, 多要素認証]
---

# なぜ使い回しが危ないのか

- 一つ漏れると**すべて**が危ない

<!-- 事例を一つ話す -->

---

# 多要素認証

| 要素 | 例 |
| --- | --- |
| 知識 | パスワード |
"""


@pytest.fixture
def series():
    return make_series(slug="passwords", title="パスワードの適切な使い方")


@pytest.fixture
def deck_file(tmp_path):
    path = tmp_path / "passwords-1.md"
    path.write_text(DECK, encoding="utf-8")
    return path


def test_import_creates_a_draft_lesson_owned_by_the_author(series, author):
    lesson = lesson_import_markdown(
        series=series, owner=author, source_name="passwords-1.md", content=DECK
    )

    assert not lesson.live
    assert lesson.owner == author
    assert lesson.slug == "パスワードの適切な使い方"
    assert lesson.get_parent().specific == series
    assert [block.value["title"] for block in lesson.slides] == [
        "なぜ使い回しが危ないのか",
        "多要素認証",
    ]
    assert lesson.slides[0].value["notes"] == "事例を一つ話す"
    assert sorted(tag.name for tag in lesson.tags.all()) == ["パスワード", "多要素認証"]


def test_import_is_recorded_in_the_audit_log(series, author):
    lesson = lesson_import_markdown(
        series=series, owner=author, source_name="passwords-1.md", content=DECK
    )

    entry = PageLogEntry.objects.get(page=lesson, action=LESSON_IMPORT_ACTION)
    assert entry.user == author
    assert entry.data == {"source": "passwords-1.md", "slides": 2}
    assert entry.message == "passwords-1.md から読み込み（スライド 2 枚）"


def test_editor_can_import_and_publish(series, editor):
    lesson = lesson_import_markdown(
        series=series,
        owner=editor,
        source_name="passwords-1.md",
        content=DECK,
        publish=True,
    )

    assert lesson.live
    assert lesson.live_revision.user == editor


def test_author_cannot_import_and_publish(series, author):
    with pytest.raises(LessonImportError, match="公開できません"):
        lesson_import_markdown(
            series=series,
            owner=author,
            source_name="passwords-1.md",
            content=DECK,
            publish=True,
        )

    assert not LessonPage.objects.exists()


def test_learner_cannot_import(series, learner):
    with pytest.raises(LessonImportError, match="教材を追加できません"):
        lesson_import_markdown(
            series=series, owner=learner, source_name="a.md", content=DECK
        )

    assert not LessonPage.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not utf-8", "UTF-8 のテキストファイルではありません"),
        (b"---\ntitle: [x\n---\n# a", "正しい YAML ではありません"),
        (b"x" * (1024 * 1024 + 1), "1024 KB を超えています"),
        (("---\ntitle: t\n---\n# " + "長" * 201).encode(), "200 文字を超えています"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(series, author, content, message):
    with pytest.raises(LessonImportError, match=message):
        lesson_import_markdown(
            series=series, owner=author, source_name="bad.md", content=content
        )

    assert not LessonPage.objects.exists()


def test_a_second_import_of_the_same_deck_gets_a_slug_of_its_own(series, author):
    first = lesson_import_markdown(
        series=series, owner=author, source_name="p.md", content=DECK
    )

    second = lesson_import_markdown(
        series=series, owner=author, source_name="p.md", content=DECK
    )

    assert (first.slug, second.slug) == (
        "パスワードの適切な使い方",
        "パスワードの適切な使い方-2",
    )


def test_slug_is_unique_in_the_series_only(author):
    first = make_series(slug="a", title="A")
    second = make_series(slug="b", title="B")

    one = lesson_import_markdown(
        series=first, owner=author, source_name="x.md", content=DECK
    )
    other = lesson_import_markdown(
        series=second, owner=author, source_name="x.md", content=DECK
    )

    assert one.slug == other.slug == "パスワードの適切な使い方"


def test_latin_title_gives_a_latin_slug(series, author):
    lesson = lesson_import_markdown(
        series=series,
        owner=author,
        source_name="deck.md",
        content="---\ntitle: Password Basics 2026\n---\n# a",
    )

    assert lesson.slug == "password-basics-2026"


MARP_WITH_LEFT_OUT = """---
marp: true
---

# 差出人を確かめる

![bg left](sender.png)
"""


def test_command_names_what_was_left_out(series, author, tmp_path, capsys):
    path = tmp_path / "deck.md"
    path.write_text(MARP_WITH_LEFT_OUT, encoding="utf-8")

    call_command(
        "import_markdown", str(path), "--series", "passwords", "--owner", "author"
    )

    err = capsys.readouterr().err
    assert "deck.md: スライド 1: 背景画像 sender.png は取り込めませんでした。" in err
    assert LessonPage.objects.get().slug == "差出人を確かめる"


def test_admin_upload_names_what_was_left_out(client, series, author):
    client.force_login(author)

    response = client.post(
        reverse("learning_series_markdown_import"),
        {
            "series": series.pk,
            "file": SimpleUploadedFile(
                "deck.md", MARP_WITH_LEFT_OUT.encode(), content_type="text/markdown"
            ),
        },
        follow=True,
    )

    html = response.content.decode()
    assert "取り込めなかった内容があります" in html
    assert "スライド 1: 背景画像 sender.png は取り込めませんでした。" in html


def test_command_imports_files_as_drafts(series, author, deck_file, capsys):
    call_command(
        "import_markdown", str(deck_file), "--series", "passwords", "--owner", "author"
    )

    lesson = LessonPage.objects.get()
    assert not lesson.live
    assert lesson.owner == author
    assert "「パスワードの適切な使い方」を読み込みました" in capsys.readouterr().out


def test_command_publishes_for_an_editor(series, editor, deck_file):
    call_command(
        "import_markdown",
        str(deck_file),
        "--series=passwords",
        "--owner=editor",
        "--publish",
    )

    assert LessonPage.objects.get().live


def test_command_refuses_to_publish_for_an_author_with_status_2(
    series, author, deck_file
):
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_markdown",
            str(deck_file),
            "--series=passwords",
            "--owner=author",
            "--publish",
        )

    assert refused.value.returncode == 2
    assert "\n" not in str(refused.value)
    assert "author は教材を公開できません" in str(refused.value)
    assert not LessonPage.objects.exists()


def test_command_imports_all_files_or_none(series, author, deck_file, tmp_path):
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: [t\n---\n本文だけ", encoding="utf-8")

    with pytest.raises(CommandError, match="broken.md: フロントマターが") as refused:
        call_command(
            "import_markdown",
            str(deck_file),
            str(broken),
            "--series=passwords",
            "--owner=author",
        )

    assert refused.value.returncode == 2
    assert not LessonPage.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--series=nothing", "--owner=author"],
            "スラッグ「nothing」のシリーズはありません",
        ),
        (["--series=passwords", "--owner=nobody"], "ユーザー「nobody」はいません"),
    ],
)
def test_command_refuses_unknown_series_or_owner(
    series, author, deck_file, options, message
):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("import_markdown", str(deck_file), *options)

    assert refused.value.returncode == 2


def test_command_refuses_a_missing_file(series, author, tmp_path):
    with pytest.raises(CommandError, match="ファイルを読み込めません") as refused:
        call_command(
            "import_markdown",
            str(tmp_path / "missing.md"),
            "--series=passwords",
            "--owner=author",
        )

    assert refused.value.returncode == 2


def upload(content: bytes = DECK.encode(), name: str = "passwords-1.md"):
    return SimpleUploadedFile(name, content, content_type="text/markdown")


def test_author_imports_a_deck_in_the_admin(client, series, author):
    client.force_login(author)

    response = client.post(
        reverse("learning_series_markdown_import"),
        {"series": series.pk, "file": upload()},
    )

    lesson = LessonPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    assert not lesson.live
    assert lesson.owner == author


def test_admin_import_shows_a_broken_deck_as_a_form_error(client, series, author):
    client.force_login(author)

    response = client.post(
        reverse("learning_series_markdown_import"),
        {"series": series.pk, "file": upload(b"---\ntitle: [broken\n---\n# a")},
    )

    assert response.status_code == 200
    assert "正しい YAML ではありません" in response.text
    assert not LessonPage.objects.exists()


def test_authors_are_not_offered_publishing_in_the_admin(client, series, author):
    client.force_login(author)

    response = client.get(reverse("learning_series_markdown_import"))

    assert response.status_code == 200
    assert 'name="publish"' not in response.text
    assert series.title in response.text


def test_authors_cannot_publish_through_the_admin_form(client, series, author):
    client.force_login(author)

    client.post(
        reverse("learning_series_markdown_import"),
        {"series": series.pk, "file": upload(), "publish": "on"},
    )

    assert not LessonPage.objects.get().live


def test_learners_cannot_reach_the_import(client, series, learner):
    client.force_login(learner)

    response = client.get(reverse("learning_series_markdown_import"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_without_page_permissions_cannot_import(client, series, training_admin):
    client.force_login(training_admin)

    response = client.post(
        reverse("learning_series_markdown_import"),
        {"series": series.pk, "file": upload()},
    )

    assert response.status_code in (302, 403)
    assert not response.get("Location", "").startswith(
        reverse("learning_series_markdown_import")
    )
    assert not LessonPage.objects.exists()


def test_staff_without_page_permissions_do_not_see_the_import_page(
    client, series, training_admin
):
    client.force_login(training_admin)

    response = client.get(reverse("learning_series_markdown_import"))

    assert response.status_code in (302, 403)
    assert "Markdown" not in response.text


def test_an_overflowing_series_id_is_a_form_error(client, series, author):
    client.force_login(author)

    response = client.post(
        reverse("learning_series_markdown_import"),
        {"series": "9" * 25, "file": upload()},
    )

    assert response.status_code == 200
    assert not LessonPage.objects.exists()


def test_series_admin_page_offers_the_import_to_authors(client, series, author):
    client.force_login(author)

    html = client.get(reverse("wagtailadmin_explore", args=[series.pk])).text

    assert f"{reverse('learning_series_markdown_import')}?series={series.pk}" in html
    assert "Markdown 読み込み" in html


def test_import_form_preselects_the_series_it_was_opened_from(client, series, author):
    other = make_series(slug="other", title="別のシリーズ")
    client.force_login(author)

    html = client.get(
        reverse("learning_series_markdown_import"), {"series": other.pk}
    ).text

    assert f'<option value="{other.pk}" selected>' in html


def test_editor_can_import_and_publish_in_the_admin(client, series, editor):
    client.force_login(editor)

    client.post(
        reverse("learning_series_markdown_import"),
        {"series": series.pk, "file": upload(), "publish": "on"},
    )

    lesson = LessonPage.objects.get()
    assert lesson.live
    assert lesson.owner == editor
