"""The behaviour every engine owes, run on each: the embedded engine always,
Elasticsearch when ELASTICSEARCH_URL names a cluster (skipped otherwise).

ELASTICSEARCH_ANALYZER picks the analyzer to check (cjk by default; kuromoji
or sudachi where the cluster has the plugin). Each run uses its own alias and
deletes its indices afterwards.
"""

import os
import uuid

import pytest

from search.backends.base import SearchFilters
from search.backends.elasticsearch import ElasticsearchSearchEngine
from search.backends.embedded import EmbeddedSearchEngine
from search.selectors import lesson_search, lesson_title_suggestions
from search.services import search_index_rebuild, search_index_update
from tests.factories import make_series

from .helpers import make_text_lesson

pytestmark = pytest.mark.django_db

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()


@pytest.fixture(params=["embedded", "elasticsearch"])
def engine(request):
    if request.param == "embedded":
        yield EmbeddedSearchEngine({})
        return
    if not ELASTICSEARCH_URL:
        pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch cluster to test")
    alias = f"gofun-test-{uuid.uuid4().hex[:12]}"
    engine = ElasticsearchSearchEngine(
        {
            "URL": ELASTICSEARCH_URL,
            "INDEX": alias,
            "ANALYZER": os.environ.get("ELASTICSEARCH_ANALYZER", "cjk"),
        }
    )
    yield engine
    engine.client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)


@pytest.fixture
def lessons():
    series = make_series(title="情報セキュリティ", slug="security")
    made = {
        title: make_text_lesson(series=series, title=title, body=body)
        for title, body in [
            ("メール", "業務を装ったメールの添付ファイルは開かないでください。"),
            ("アカウント", "推測されにくいパスワードと多要素認証で守ります。"),
            ("媒体", "ＵＳＢメモリとｸﾗｳﾄﾞサービスの扱い。"),
            ("機器", "サーバの管理者はユーザの権限を見直します。"),
            ("在宅", "自宅からはVPNで接続します。うっかりミスに注意。"),
            ("保管", "個人情報を含む書類は鍵のかかる書庫に保管します。"),
        ]
    }
    made["下書き"] = make_text_lesson(
        series=series, title="下書き", body="添付ファイルの下書き", live=False
    )
    return made


def titles(engine, query, **filters):
    _, results = lesson_search(
        query=query, filters=SearchFilters(**filters), engine=engine
    )
    return [hit.title for hit in results.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("添付", "メール"),
        ("パスワード", "アカウント"),
        ("うっかり", "在宅"),
        ("usb", "媒体"),
        ("ＵＳＢ", "媒体"),
        ("クラウド", "媒体"),
        ("サーバー", "機器"),
        ("ユーザー", "機器"),
        ("VPN", "在宅"),
        ("個人情報 書庫", "保管"),
        ("鍵", "保管"),
    ],
)
def test_engine_finds_the_lesson_in_the_top_three(engine, lessons, query, expected):
    search_index_rebuild(engine=engine)

    assert expected in titles(engine, query)[:3]


def test_engine_never_returns_drafts(engine, lessons):
    search_index_rebuild(engine=engine)

    assert "下書き" not in titles(engine, "添付")


def test_engine_requires_every_word(engine, lessons):
    search_index_rebuild(engine=engine)

    assert titles(engine, "個人情報 VPN") == []


def test_engine_forgets_an_unpublished_lesson(engine, lessons):
    search_index_rebuild(engine=engine)
    lessons["メール"].unpublish()

    search_index_update(page_ids=[lessons["メール"].pk], engine=engine)

    assert "メール" not in titles(engine, "添付")


def test_engine_marks_the_match_in_the_snippet(engine, lessons):
    search_index_rebuild(engine=engine)

    _, results = lesson_search(query="添付", engine=engine)

    assert "<mark>" in results.hits[0].snippet


def test_engine_counts_series_facets(engine, lessons):
    search_index_rebuild(engine=engine)

    _, results = lesson_search(query="添付", engine=engine)

    assert [(f.label, f.count) for f in results.series_facets] == [
        ("情報セキュリティ", 1)
    ]


def test_engine_suggests_titles(engine, lessons):
    search_index_rebuild(engine=engine)

    suggestions = lesson_title_suggestions(text="アカ", engine=engine)

    assert [s.title for s in suggestions] == ["アカウント"]
