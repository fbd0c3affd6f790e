"""The search page, title suggestions and the query log they write."""

import pytest
from django.urls import reverse

from search.models import SearchQuery
from tests.factories import StaffProfileFactory, make_series

from .helpers import make_text_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(committed):
    series = make_series(title="標的型メール攻撃の脅威", slug="mail")
    with committed():
        make_text_lesson(
            series=series,
            title="添付ファイルに注意",
            body="業務を装ったメールの添付ファイルは開く前に確認します。",
        )
        make_text_lesson(
            series=series,
            title="パスワードの作り方",
            body="長いパスワードと多要素認証で守ります。",
        )


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def search(client, **params):
    return client.get(reverse("search:search"), params)


def test_search_page_shows_matching_lesson_with_the_word_marked(signed_in, lessons):
    response = search(signed_in, q="添付")

    body = response.content.decode()
    assert response.status_code == 200
    assert "1 件の教材が見つかりました" in body
    assert "添付ファイルに注意" in body
    assert "<mark>添付</mark>" in body


def test_search_page_says_when_nothing_matched(signed_in, lessons):
    body = search(signed_in, q="ランサムウェア").content.decode()

    assert "この言葉を含む教材はありません" in body


def test_search_page_offers_series_filter_with_counts(signed_in, lessons):
    body = search(signed_in, q="メール").content.decode()

    assert '<span lang="ja">標的型メール攻撃の脅威</span> (1)' in body


def test_search_page_lists_matching_titles_without_javascript(signed_in, lessons):
    body = search(signed_in, q="パスワード").content.decode()

    assert "教材のタイトル" in body
    assert "パスワードの作り方" in body


def test_search_requires_signing_in(client, lessons):
    response = search(client, q="添付")

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "あ" * 100_000,
        "a" * 100_000,
        '"',
        '"添付',
        "(((添付",
        "添付)]}",
        "添付 OR メール AND NOT パスワード",
        "title:添付* NEAR(メール) ^2 ~1 -x +y",
        "' OR 1=1 --",
        "\x00\x01\x1b[31m添付",
        "\u202e\ufeff添付",
        "%",
        "_",
        "\\",
    ],
)
def test_bad_input_answers_with_the_search_page(signed_in, lessons, query):
    response = search(signed_in, q=query)

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>教材を検索</h1>" in body
    assert "\x00" not in body
    assert "\x1b" not in body
    if "件の教材が見つかりました" in body:
        assert (
            'class="search-results__list"' in body
            or "この言葉を含む教材はありません" in body
        )
    if not any(character.isalnum() for character in query):
        assert 'class="search-results__list"' not in body


@pytest.mark.parametrize(
    "params",
    [
        {"q": "添付", "series": "abc"},
        {"q": "添付", "series": "-1"},
        {"q": "添付", "role": "<script>"},
        {"q": "添付", "page": "0"},
        {"q": "添付", "page": "999999999999"},
        {"q": "添付", "page": "x"},
    ],
)
def test_malformed_parameters_are_ignored(signed_in, lessons, params):
    response = search(signed_in, **params)

    assert response.status_code == 200
    assert "添付ファイルに注意" in response.content.decode()


def test_operators_in_a_query_are_ignored_and_every_word_required(signed_in, lessons):
    body = search(signed_in, q='"添付" AND (メール)').content.decode()

    assert "添付ファイルに注意" in body


def test_search_is_logged_with_roles_but_not_the_person(client, lessons):
    profile = StaffProfileFactory(roles=["general", "lan_it"])
    profile.save()  # roles are a ParentalManyToManyField: written on save
    client.force_login(profile.user)

    search(client, q="添付")

    entry = SearchQuery.objects.get()
    assert entry.query == "添付"
    assert entry.result_count == 1
    assert sorted(entry.job_roles.values_list("code", flat=True)) == [
        "general",
        "lan_it",
    ]
    assert entry.searched_at.minute == 0
    assert not [f for f in SearchQuery._meta.get_fields() if f.name == "user"]


def test_search_without_results_is_logged_with_zero(signed_in, lessons):
    search(signed_in, q="ランサムウェア")

    assert SearchQuery.objects.get().result_count == 0


def test_empty_search_is_not_logged(signed_in, lessons):
    search(signed_in, q="")

    assert not SearchQuery.objects.exists()


def test_choosing_a_filter_or_page_is_not_logged_again(signed_in, lessons):
    search(signed_in, q="メール")
    search(signed_in, q="メール", role="general")
    search(signed_in, q="メール", page="2")

    assert SearchQuery.objects.count() == 1


def test_suggestions_answer_json_for_the_search_box(signed_in, lessons):
    response = signed_in.get(reverse("search:suggest"), {"q": "パス", "format": "json"})

    assert response.json()["suggestions"][0]["title"] == "パスワードの作り方"


def test_suggestions_answer_a_page_of_links_without_javascript(signed_in, lessons):
    response = signed_in.get(reverse("search:suggest"), {"q": "添付"})

    assert "添付ファイルに注意" in response.content.decode()


def test_every_page_header_has_a_labelled_search_box(signed_in, lessons):
    body = signed_in.get("/").content.decode()

    assert 'role="search"' in body
    assert (
        '<label class="visually-hidden" for="site-search-input">教材を検索</label>'
        in body
    )


def test_each_search_landmark_has_its_own_name(client, learner):
    client.force_login(learner)

    html = client.get("/search/", {"q": "メール"}).text

    assert 'role="search" aria-label="教材を検索"' in html
    assert 'role="search" aria-label="検索条件を変更"' in html
