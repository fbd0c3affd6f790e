"""Acceptance 1 on the embedded engine: Japanese words found where they occur."""

import pytest
from django.db import connection

from organisation.models import JobRole
from search.backends.base import SearchFilters
from search.backends.embedded import EmbeddedSearchEngine
from search.selectors import lesson_search, lesson_title_suggestions
from tests.factories import make_series

from .helpers import found_titles, make_text_lesson

pytestmark = pytest.mark.django_db

LESSONS = [
    (
        "不審なメールへの対応",
        "業務に見せかけたメールの添付ファイルは、送信元に確認するまで開かないでください。",
    ),
    (
        "アカウントを守る",
        "推測されにくいパスワードを設定し、多要素認証を有効にしましょう。",
    ),
    (
        "ミスを防ぐ基本動作",
        "送信前に宛先を確認し、うっかりミスによる情報の漏えいを防ぎます。",
    ),
    (
        "記録媒体の扱い",
        "ＵＳＢメモリは許可されたものだけを使い、ｸﾗｳﾄﾞサービスへの保存は規則に従います。",
    ),
    (
        "機器の管理",
        "サーバの設定変更は記録を残し、ユーザの権限は必要最小限にします。",
    ),
    (
        "庁舎の外で働く",
        "自宅から接続するときは必ずVPNを使い、公衆無線LANは避けてください。",
    ),
    (
        "個人情報の取扱い",
        "個人情報を含むファイルをメールで送るときは、暗号化して送信します。",
    ),
    (
        "個人情報の保管",
        "個人情報を含む書類は鍵のかかる書庫に保管します。",
    ),
    (
        "調達の流れ",
        "要件定義から契約まで、発注者として決めるべきことを整理します。",
    ),
    (
        "ばらまき型の攻撃",
        "ばらまき型メールは不特定多数に送られます。コンピューターの更新も忘れずに。",
    ),
]


@pytest.fixture
def lessons(committed):
    first = make_series(title="情報セキュリティ", slug="security")
    second = make_series(title="テレワーク", slug="telework")
    with committed():
        return {
            title: make_text_lesson(
                series=first if index % 2 == 0 else second, title=title, body=body
            )
            for index, (title, body) in enumerate(LESSONS)
        }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("添付", "不審なメールへの対応"),  # two characters mid-sentence
        ("パスワード", "アカウントを守る"),  # katakana
        ("うっかり", "ミスを防ぐ基本動作"),  # hiragana
        ("USB", "記録媒体の扱い"),  # half-width query, full-width text
        ("ＵＳＢ", "記録媒体の扱い"),  # full-width query
        ("クラウド", "記録媒体の扱い"),  # full-width query, half-width text
        ("ｸﾗｳﾄﾞ", "記録媒体の扱い"),  # half-width query
        ("サーバー", "機器の管理"),  # long-vowel variant of サーバ
        ("ユーザー", "機器の管理"),
        ("コンピュータ", "ばらまき型の攻撃"),
        ("vpn", "庁舎の外で働く"),  # English, either case
        ("VPN", "庁舎の外で働く"),
        ("個人情報 メール", "個人情報の取扱い"),  # two words, both required
        ("ばらまき", "ばらまき型の攻撃"),
    ],
)
def test_word_finds_the_lesson_containing_it_in_the_top_three(lessons, query, expected):
    assert expected in found_titles(query)[:3]


def test_one_character_word_is_found(lessons):
    assert found_titles("鍵") == ["個人情報の保管"]


def test_two_words_are_both_required(lessons):
    assert found_titles("個人情報 メール") == ["個人情報の取扱い"]


def test_word_inside_a_katakana_compound_is_found(lessons):
    assert "ばらまき型の攻撃" in found_titles("メール")


def test_word_absent_from_every_lesson_finds_nothing(lessons):
    assert found_titles("ランサムウェア") == []


def test_title_match_ranks_above_body_match(committed):
    series = make_series()
    with committed():
        make_text_lesson(
            series=series, title="調達の基本", body="VPNの契約も含みます。"
        )
        make_text_lesson(series=series, title="VPNの使い方", body="接続の手順です。")

    assert found_titles("VPN") == ["VPNの使い方", "調達の基本"]


def test_snippet_marks_where_the_word_matched(lessons):
    _, results = lesson_search(query="添付")

    assert "<mark>添付</mark>" in results.hits[0].snippet


def test_snippet_marks_the_variant_written_in_the_text(lessons):
    _, results = lesson_search(query="サーバー")

    assert "<mark>サーバ</mark>" in results.hits[0].snippet


def test_snippet_escapes_lesson_text(committed):
    with committed():
        make_text_lesson(
            series=make_series(), title="記号", body="<b>添付</b> & メール"
        )

    _, results = lesson_search(query="添付")

    assert "<b>" not in results.hits[0].snippet


def test_series_facet_counts_matching_lessons_per_series(lessons):
    _, results = lesson_search(query="メール")

    counts = {facet.label: facet.count for facet in results.series_facets}
    assert counts == {"情報セキュリティ": 2, "テレワーク": 1}


def test_series_filter_keeps_only_that_series(lessons):
    series_id = lessons["個人情報の取扱い"].get_parent().pk

    titles = found_titles("メール", filters=SearchFilters(series_id=series_id))

    assert sorted(titles) == ["不審なメールへの対応", "個人情報の取扱い"]


def test_job_role_facet_counts_lessons_of_series_aimed_at_the_role(committed):
    series = make_series(title="PJMO向け")
    series.target_roles.set(JobRole.objects.filter(code="pjmo"))
    series.save_revision().publish()
    with committed():
        make_text_lesson(series=series, title="調達計画", body="調達の計画を立てます。")
        make_text_lesson(series=make_series(), title="調達一般", body="調達の概要。")

    _, results = lesson_search(query="調達")
    _, filtered = lesson_search(query="調達", filters=SearchFilters(job_role="pjmo"))

    assert [(f.value, f.count) for f in results.job_role_facets] == [("pjmo", 1)]
    assert [hit.title for hit in filtered.hits] == ["調達計画"]


def test_results_are_paginated(committed):
    series = make_series()
    with committed():
        for number in range(12):
            make_text_lesson(series=series, title=f"教材{number}", body="共通の言葉")

    _, first = lesson_search(query="共通", limit=10)
    _, second = lesson_search(query="共通", offset=10, limit=10)

    assert first.total == 12
    assert len(first.hits) == 10
    assert len(second.hits) == 2
    assert not {h.page_id for h in first.hits} & {h.page_id for h in second.hits}


def test_suggestions_find_titles_by_their_beginning_first(lessons):
    titles = [s.title for s in lesson_title_suggestions(text="個人")]

    assert titles == ["個人情報の保管", "個人情報の取扱い"]


def test_suggestions_find_words_inside_titles(lessons):
    titles = [s.title for s in lesson_title_suggestions(text="攻撃")]

    assert titles == ["ばらまき型の攻撃"]


def test_full_text_index_lives_in_the_database_in_use(lessons):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM gofun_search_fts")
        else:
            cursor.execute(
                "SELECT count(*) FROM gofun_search_searchentry "
                "WHERE search_vector IS NOT NULL"
            )
        assert cursor.fetchone()[0] == len(LESSONS)


@pytest.fixture
def many_matches(committed):
    """Seven lessons containing 共通; the later lessons say it more often."""
    series = make_series()
    with committed():
        return [
            make_text_lesson(
                series=series,
                title=f"教材{number}",
                body="共通の言葉。" * (1 + number % 3) + "ほかの話。" * 5,
            )
            for number in range(7)
        ]


def _all_pages(engine, query: str, *, page_size: int) -> list[int]:
    found, offset = [], 0
    while True:
        _, results = lesson_search(
            query=query, offset=offset, limit=page_size, engine=engine
        )
        found += [hit.page_id for hit in results.hits]
        offset += page_size
        if offset >= results.total:
            return found


def test_more_matches_than_candidates_first_page_ranks_the_newest(many_matches):
    engine = EmbeddedSearchEngine({"RANKED_CANDIDATES": 3})
    newest = {lesson.pk for lesson in many_matches[-3:]}
    full = EmbeddedSearchEngine({"RANKED_CANDIDATES": 100})

    _, first = lesson_search(query="共通", limit=3, engine=engine)
    _, ranked = lesson_search(query="共通", limit=7, engine=full)

    assert first.total == 7
    assert {hit.page_id for hit in first.hits} == newest
    # Within the candidates, the order is the relevance order.
    assert [hit.page_id for hit in first.hits] == [
        hit.page_id for hit in ranked.hits if hit.page_id in newest
    ]


def test_more_matches_than_candidates_every_match_has_one_place(many_matches):
    engine = EmbeddedSearchEngine({"RANKED_CANDIDATES": 3})

    found = _all_pages(engine, "共通", page_size=2)

    assert sorted(found) == sorted(lesson.pk for lesson in many_matches)


def test_more_matches_than_candidates_facets_count_every_match(many_matches):
    engine = EmbeddedSearchEngine({"RANKED_CANDIDATES": 3})

    _, results = lesson_search(query="共通", limit=2, engine=engine)

    assert [facet.count for facet in results.series_facets] == [7]


def test_up_to_the_candidates_every_match_is_ranked_as_one_list(many_matches):
    engine = EmbeddedSearchEngine({"RANKED_CANDIDATES": 7})

    _, results = lesson_search(query="共通", limit=7, engine=engine)

    # Lessons saying 共通 three times first, whatever their age.
    scores = [hit.score for hit in results.hits]
    assert scores == sorted(scores, reverse=True)
    assert {hit.page_id for hit in results.hits[:2]} == {
        many_matches[2].pk,
        many_matches[5].pk,
    }


def test_search_reads_the_same_number_of_queries_for_few_and_many_matches(
    committed, django_assert_num_queries
):
    series = make_series()
    with committed():
        make_text_lesson(series=series, title="少数", body="珍しい言葉")
        for number in range(12):
            make_text_lesson(series=series, title=f"多数{number}", body="共通の言葉")
    engine = EmbeddedSearchEngine({"RANKED_CANDIDATES": 5})

    # Counts (series, job roles), the ranking, the entries shown and the
    # series' titles; with more matches than candidates, where the newest
    # candidates end and the ranking of the older ones that fill the page.
    # PostgreSQL runs them in a transaction that sets the planner up.
    planner = 5 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(5 + planner):
        lesson_search(query="珍しい", engine=engine)
    with django_assert_num_queries(7 + planner):
        lesson_search(query="共通", engine=engine)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="term pairs live in PostgreSQL's vectors"
)
def test_vectors_written_before_pairs_and_mark_get_them_from_the_migration(lessons):
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps

    lesson = lessons["個人情報の取扱い"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM gofun_search_searchentry "
            "WHERE page_id = %s",
            [lesson.pk],
        )
        written = cursor.fetchone()[0]
        # As the engine wrote vectors before: terms only, no pairs, no mark.
        cursor.execute(
            "UPDATE gofun_search_searchentry SET search_vector = ts_delete("
            "search_vector, ARRAY(SELECT lexeme FROM unnest(search_vector) "
            "WHERE position(' ' in lexeme) > 0 OR lexeme LIKE E'\\x01%%'))"
        )
    assert found_titles("個人情報 メール") == []
    migration = import_module("search.migrations.0008_vector_pairs_and_searchable_mark")

    migration.add_pairs_and_mark(apps, SimpleNamespace(connection=connection))

    assert found_titles("個人情報 メール") == ["個人情報の取扱い"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM gofun_search_searchentry "
            "WHERE page_id = %s",
            [lesson.pk],
        )
        assert cursor.fetchone()[0] == written


def test_a_phrase_of_three_terms_needs_them_in_order(committed):
    series = make_series()
    with committed():
        make_text_lesson(series=series, title="順番どおり", body="標的型メール攻撃")
        # Every neighbouring pair is there, but not the four terms in a row.
        make_text_lesson(
            series=series, title="ばらばら", body="標的型メールと、メール攻撃"
        )

    assert found_titles("標的型メール攻撃") == ["順番どおり"]
