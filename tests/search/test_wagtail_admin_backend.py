"""Acceptance 3: the admin's searches understand Japanese, with one index for
lessons (search.backends.wagtail_admin)."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from learning_series.models import LessonPage, SeriesPage
from search.selectors import lesson_search
from tests.factories import make_series

from .helpers import make_text_lesson

pytestmark = pytest.mark.django_db

SENTENCE = "不審なメールの添付ファイルは、送信元に確かめるまで開かないでください。"


@pytest.fixture
def lesson(committed):
    with committed():
        return make_text_lesson(
            series=make_series(title="情報セキュリティ", slug="security"),
            title="標的型メール攻撃への備え",
            body=SENTENCE,
        )


def listed_titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(
        r'<a [^>]*class="[^"]*title-wrapper[^"]*"[^>]*>\s*(.*?)\s*<', html
    )


def page_search(client, query: str):
    return client.get(reverse("wagtailadmin_pages:search"), {"q": query})


def test_admin_page_search_finds_a_lesson_by_a_two_character_word_mid_sentence(
    client, editor, lesson
):
    client.force_login(editor)

    response = page_search(client, "添付")

    assert response.status_code == 200
    assert "標的型メール攻撃への備え" in response.content.decode()


def test_admin_page_search_finds_a_lesson_by_a_word_inside_its_title(
    client, editor, lesson
):
    client.force_login(editor)

    response = page_search(client, "メール")

    assert "標的型メール攻撃への備え" in response.content.decode()


def test_admin_page_search_leaves_out_lessons_without_the_word(client, editor, lesson):
    client.force_login(editor)

    response = page_search(client, "パスワード")

    assert "標的型メール攻撃への備え" not in response.content.decode()


def test_admin_finds_drafts_that_learners_cannot(client, author, committed):
    with committed():
        make_text_lesson(
            series=make_series(), title="書きかけの教材", body=SENTENCE, live=False
        )
    client.force_login(author)

    response = page_search(client, "添付")

    assert "書きかけの教材" in response.content.decode()
    _, results = lesson_search(query="添付")
    assert results.total == 0


def test_search_as_you_type_finds_the_beginning_of_a_word(client, editor, lesson):
    client.force_login(editor)

    response = page_search(client, "添付ファイ")

    assert "標的型メール攻撃への備え" in response.content.decode()


def test_series_page_is_found_by_a_word_inside_its_title(client, editor, committed):
    with committed():
        make_series(title="標的型メール攻撃の脅威", slug="targeted")
    client.force_login(editor)

    response = page_search(client, "メール")

    assert "標的型メール攻撃の脅威" in response.content.decode()


def test_page_type_filter_counts_lessons_and_series(client, editor, lesson):
    make_series(title="メールの基本", slug="mail")
    client.force_login(editor)

    response = page_search(client, "メール")

    counts = {
        content_type.model_class(): count
        for content_type, count in response.context["content_types"]
    }
    assert counts == {LessonPage: 1, SeriesPage: 1}


def test_explorer_search_within_a_series_finds_its_lesson(client, editor, lesson):
    client.force_login(editor)
    series = lesson.get_parent()

    response = client.get(
        reverse("wagtailadmin_explore", args=[series.pk]), {"q": "添付"}
    )

    assert response.status_code == 200
    assert "標的型メール攻撃への備え" in response.content.decode()


def test_page_chooser_finds_a_lesson_by_a_word_inside_its_title(client, editor, lesson):
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "メール"})

    assert response.status_code == 200
    assert "標的型メール攻撃への備え" in response.content.decode()


def test_lessons_are_not_in_wagtails_own_index(lesson):
    lesson_type = ContentType.objects.get_for_model(LessonPage)

    assert not IndexEntry.objects.filter(content_type=lesson_type).exists()
    assert IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(lesson.get_parent().specific)
    ).exists()


def test_queryset_search_over_lessons_asks_gofuns_engine(lesson):
    found = list(LessonPage.objects.search("添付"))

    assert found == [lesson]


def test_queryset_search_keeps_the_querysets_filters(lesson, committed):
    with committed():
        draft = make_text_lesson(
            series=lesson.get_parent().specific,
            title="下書き",
            body=SENTENCE,
            live=False,
        )

    assert list(Page.objects.live().search("添付")) == [lesson.page_ptr]
    assert list(Page.objects.filter(live=False).search("添付")) == [draft.page_ptr]


@pytest.mark.parametrize(
    "query", ["！？", "*", "AND", "' OR 1=1 --", "(((", "あ" * 5000, "添付" * 300]
)
def test_hostile_queries_find_nothing_and_fail_nothing(client, editor, lesson, query):
    client.force_login(editor)

    response = page_search(client, query)

    assert response.status_code == 200
    assert "標的型メール攻撃への備え" not in response.content.decode()


@pytest.mark.parametrize("query", ['"', "\x00", "   "])
def test_queries_wagtail_reads_as_empty_list_every_page(client, editor, lesson, query):
    client.force_login(editor)

    response = page_search(client, query)

    assert response.status_code == 200
    assert "標的型メール攻撃への備え" in response.content.decode()


def test_image_listing_finds_a_word_inside_a_japanese_title(client, editor):
    get_image_model().objects.create(
        title="標的型メール訓練のポスター", file=get_test_image_file("poster.png")
    )
    get_image_model().objects.create(
        title="パスワードの図", file=get_test_image_file("password.png")
    )
    client.force_login(editor)

    response = client.get(reverse("wagtailimages:index"), {"q": "メール"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "標的型メール訓練のポスター" in html
    assert "パスワードの図" not in html


def test_document_listing_finds_a_word_inside_a_japanese_title(client, editor):
    from django.core.files.base import ContentFile

    document = get_document_model()(title="標的型メール訓練の手順書")
    document.file.save("drill.txt", ContentFile(b"drill"), save=True)
    client.force_login(editor)

    response = client.get(reverse("wagtaildocs:index"), {"q": "訓練"})

    assert response.status_code == 200
    assert "標的型メール訓練の手順書" in response.content.decode()


def test_user_listing_search_still_works(client, editor, author):
    client.force_login(
        type(editor).objects.create_superuser("root", "root@example.go.jp", "x")
    )

    response = client.get(reverse("wagtailusers_users:index"), {"q": "author"})

    assert response.status_code == 200
    assert list(response.context["object_list"]) == [author]


def test_snippet_listing_search_finds_a_word_inside_a_japanese_title(client, editor):
    from quizzes.models import Quiz

    Quiz.objects.create(title="標的型メール攻撃への備え 確認テスト", live=True)
    Quiz.objects.create(title="パスワードの確認テスト", live=True)
    client.force_login(editor)

    response = client.get(reverse("wagtailsnippets_quizzes_quiz:list"), {"q": "メール"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "標的型メール攻撃への備え 確認テスト" in html
    assert "パスワードの確認テスト" not in html
