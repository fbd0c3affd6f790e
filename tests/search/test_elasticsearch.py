"""Acceptance 3: the Elasticsearch engine's mapping, queries and bulk actions.

No cluster runs here: these tests check the JSON the engine would send.
test_elasticsearch_live.py runs the same behaviour against a cluster when
ELASTICSEARCH_URL is set.
"""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from wagtail.models import PageViewRestriction

from search.analysis import parse_query
from search.backends.base import SearchFilters
from search.backends.elasticsearch import ElasticsearchSearchEngine
from search.selectors import lesson_documents
from tests.factories import make_series

from .helpers import make_text_lesson

TEXT_FIELDS = ["title", "summary", "tags", "slide_titles", "body", "notes"]


def engine(analyzer: str = "cjk") -> ElasticsearchSearchEngine:
    return ElasticsearchSearchEngine({"INDEX": "gofun-test", "ANALYZER": analyzer})


def mapping(analyzer: str) -> dict:
    return engine(analyzer).index_definition("gofun-test-1").to_dict()


def query_body(text: str, **filters) -> dict:
    return (
        engine()
        .build_search(parse_query(text), filters=SearchFilters(**filters))
        .to_dict()
    )


def keys_in(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


@pytest.mark.parametrize(
    ("analyzer", "index_analyzer", "tokenizer"),
    [
        ("cjk", "gofun_ja_index", "standard"),
        ("kuromoji", "gofun_ja_kuromoji", "gofun_kuromoji"),
        ("sudachi", "gofun_ja_sudachi", "gofun_sudachi"),
    ],
)
def test_text_fields_use_the_configured_analyzer(analyzer, index_analyzer, tokenizer):
    definition = mapping(analyzer)

    properties = definition["mappings"]["properties"]
    analysis = definition["settings"]["analysis"]
    assert {properties[field]["analyzer"] for field in TEXT_FIELDS} == {index_analyzer}
    assert analysis["analyzer"][index_analyzer]["tokenizer"] == tokenizer


def test_kuromoji_tokenizer_is_the_plugins():
    analysis = mapping("kuromoji")["settings"]["analysis"]

    assert analysis["tokenizer"]["gofun_kuromoji"]["type"] == "kuromoji_tokenizer"


def test_sudachi_splits_into_shortest_units_and_normalises():
    analysis = mapping("sudachi")["settings"]["analysis"]

    assert analysis["tokenizer"]["gofun_sudachi"]["split_mode"] == "A"
    assert (
        "sudachi_normalizedform" in analysis["analyzer"]["gofun_ja_sudachi"]["filter"]
    )


def test_cjk_indexes_unigrams_so_one_character_words_are_found():
    analysis = mapping("cjk")["settings"]["analysis"]
    index_filters = analysis["analyzer"]["gofun_ja_index"]["filter"]

    assert analysis["filter"][index_filters[-1]] == {
        "type": "cjk_bigram",
        "output_unigrams": True,
    }
    assert "cjk_width" in index_filters


def test_cjk_folds_the_katakana_long_vowel_like_the_embedded_engine():
    analysis = mapping("cjk")["settings"]["analysis"]

    assert analysis["filter"]["gofun_katakana_long_vowel"]["type"] == "pattern_replace"


def test_unknown_analyzer_is_refused():
    with pytest.raises(ImproperlyConfigured):
        engine("icu")


def test_facet_and_filter_fields_are_keywords():
    properties = mapping("cjk")["mappings"]["properties"]

    assert properties["job_roles"]["type"] == "keyword"
    assert properties["series_id"]["type"] == "integer"
    assert properties["url"] == {"type": "keyword", "index": False}


@pytest.mark.parametrize(
    "text",
    [
        '"添付" AND (メール OR title:x*)',
        "((( ^2 ~1 -x +y NEAR/3 \\",
        "' OR 1=1 --",
        "あ" * 100_000,
    ],
)
def test_query_uses_no_query_string_syntax(text):
    body = query_body(text)

    assert not keys_in(body) & {"query_string", "simple_query_string", "regexp"}


def test_operators_typed_by_a_person_reach_elasticsearch_as_plain_words():
    body = query_body('"添付ファイル" AND (メール)')

    phrases = [
        clause["multi_match"]["query"] for clause in body["query"]["bool"]["must"]
    ]
    assert phrases == ["添付ファイル", "メール"]
    assert all(not set('"()*:') & set(phrase) for phrase in phrases)


def test_every_word_must_match_somewhere():
    body = query_body("個人情報 メール")

    must = body["query"]["bool"]["must"]
    assert [clause["multi_match"]["type"] for clause in must] == ["phrase", "phrase"]
    assert must[0]["multi_match"]["fields"][0] == "title^4"


def test_query_is_bounded_in_words_and_length():
    body = query_body(" ".join(f"語{n}" for n in range(100)) + "あ" * 100_000)

    assert len(body["query"]["bool"]["must"]) == 8
    assert len(json.dumps(body, ensure_ascii=False)) < 5000


def test_query_asks_for_escaped_highlights_and_facets():
    body = query_body("添付")

    assert body["highlight"]["encoder"] == "html"
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    assert set(body["aggs"]) == {"series", "job_roles"}


def test_each_facet_counts_under_the_other_facets_filter():
    body = query_body("添付", series_id=7, job_role="pjmo")

    assert body["post_filter"]["bool"]["filter"] == [
        {"term": {"series_id": 7}},
        {"term": {"job_roles": "pjmo"}},
    ]
    assert body["aggs"]["series"]["filter"] == {"term": {"job_roles": "pjmo"}}
    assert body["aggs"]["job_roles"]["filter"] == {"term": {"series_id": 7}}


def test_query_pages_by_offset():
    body = (
        engine()
        .build_search(parse_query("添付"), filters=SearchFilters(), offset=20, limit=10)
        .to_dict()
    )

    assert (body["from"], body["size"]) == (20, 10)


@pytest.mark.django_db
def test_bulk_actions_index_every_lesson_marking_the_live_public_ones():
    series = make_series()
    unpublished_series = make_series(title="非公開シリーズ", slug="hidden")
    live = make_text_lesson(series=series, title="公開", body="添付ファイル")
    make_text_lesson(series=series, title="下書き", body="添付", live=False)
    private = make_text_lesson(series=series, title="限定", body="添付")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    ).groups.set(Group.objects.filter(name="編集者"))
    withdrawn = make_text_lesson(series=series, title="取り下げ", body="添付")
    withdrawn.unpublish()
    make_text_lesson(series=unpublished_series, title="非公開の中", body="添付")
    unpublished_series.unpublish()

    actions = list(engine().bulk_actions(lesson_documents(), index="gofun-test-1"))

    assert len(actions) == 5
    searchable = [
        (a["_id"], a["_index"]) for a in actions if a["_source"]["searchable"]
    ]
    assert searchable == [(live.pk, "gofun-test-1")]
    source = next(a for a in actions if a["_id"] == live.pk)["_source"]
    assert source["title"] == "公開"
    assert source["body"] == "添付ファイル"
    assert source["url"] == live.get_url()
    assert source["series_id"] == series.pk


@pytest.mark.django_db
def test_bulk_action_carries_tags_slides_notes_roles_and_dates():
    series = make_series()
    series.target_roles.set([])
    lesson = make_text_lesson(
        series=series,
        title="教材",
        body="本文",
        notes="話す内容",
        summary="要約",
        tags=("メール",),
    )

    (action,) = engine().bulk_actions(lesson_documents(), index="i")

    source = action["_source"]
    assert source["tags"] == ["メール"]
    assert source["slide_titles"] == ["概要"]
    assert source["notes"] == "話す内容"
    assert source["summary"] == "要約"
    assert source["first_published_at"] == lesson.first_published_at


def test_delete_actions_name_the_pages():
    actions = list(engine().delete_actions([3, 5], index="gofun-test"))

    assert actions == [
        {"_op_type": "delete", "_index": "gofun-test", "_id": 3},
        {"_op_type": "delete", "_index": "gofun-test", "_id": 5},
    ]


def test_rebuild_moves_the_alias_in_one_step():
    actions = engine().alias_actions("gofun-test-2", ["gofun-test-1"])

    assert actions == [
        {"remove": {"index": "gofun-test-1", "alias": "gofun-test"}},
        {"add": {"index": "gofun-test-2", "alias": "gofun-test"}},
    ]


def test_suggestions_match_the_beginning_of_title_words():
    body = engine().build_suggest("パス", limit=5).to_dict()

    assert body["query"]["bool"]["must"] == [
        {"match_phrase_prefix": {"title": {"query": "パス"}}}
    ]
    assert body["query"]["bool"]["filter"] == [{"term": {"searchable": True}}]
    assert body["size"] == 5


def test_learners_query_only_lessons_marked_searchable():
    body = query_body("添付")

    assert body["query"]["bool"]["filter"] == [{"term": {"searchable": True}}]


def test_admin_query_reads_every_lesson_and_completes_the_last_word():
    body = (
        engine()
        .build_page_ids(parse_query("個人情報 メー"), prefix=True, limit=50)
        .to_dict()
    )

    assert "filter" not in body["query"]["bool"]
    assert [
        clause["multi_match"]["type"] for clause in body["query"]["bool"]["must"]
    ] == ["phrase", "phrase_prefix"]
    assert body["size"] == 50
