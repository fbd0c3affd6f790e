"""The Elasticsearch engine, through the elasticsearch-dsl API (elasticsearch.dsl).

One document per lesson in an index reached through an alias: a rebuild fills
a new index, then swaps the alias in one atomic step and drops the old index,
so searches never see a half-built index. The Japanese analyzer is chosen by
the ANALYZER parameter:

* ``cjk`` (default, built into Elasticsearch): width folding, lower case,
  the katakana long-vowel rule (サーバー = サーバ) and bigrams, with unigrams
  at index time so that one-character words are found;
* ``kuromoji`` (analysis-kuromoji plugin) and ``sudachi`` (analysis-sudachi
  plugin): morphological analysis with base and normalised forms.

Queries are built from match clauses only: what a person types is data,
never query-string syntax, so no input can make the query fail to parse.

GOFUN_SEARCH = {"BACKEND": "search.backends.elasticsearch.ElasticsearchSearchEngine",
"URL": "https://es.example:9200", "INDEX": "gofun-lessons", "ANALYZER": "cjk"}
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.safestring import mark_safe
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
    tokenizer,
)
from elasticsearch.helpers import bulk

from organisation.models import JobRole
from search.analysis import ParsedQuery
from search.documents import LessonDocument

from .base import (
    BaseSearchEngine,
    FacetValue,
    SearchFilters,
    SearchHit,
    SearchResults,
    Suggestion,
)

logger = logging.getLogger("gofun.search")

DEFAULT_INDEX = "gofun-lessons"
DEFAULT_ANALYZER = "cjk"
# Title above the headings, headings above the body: the same order as the
# embedded engine's weights.
SEARCH_FIELDS = [
    "title^4",
    "summary^2",
    "tags^2",
    "slide_titles^2",
    "body",
    "notes",
]
HIGHLIGHT_FIELDS = ["body", "notes", "summary", "slide_titles"]
# Every lesson is indexed; learners find only those marked searchable (live,
# public, under live pages). Documents indexed before the flag existed lack
# it and are not found until `rebuild_search_index` runs.
SEARCHABLE = Q("term", searchable=True)


@dataclass(frozen=True)
class JapaneseAnalysis:
    """The analyzers a text field is indexed and searched with."""

    name: str
    index_analyzer: object
    search_analyzer: object


def _cjk() -> JapaneseAnalysis:
    long_vowel = token_filter(
        "gofun_katakana_long_vowel",
        "pattern_replace",
        pattern="(?<=[ァ-ヺ][ァ-ヺー][ァ-ヺー])ー+$",
        replacement="",
    )
    filters = ["cjk_width", "lowercase", long_vowel]
    return JapaneseAnalysis(
        name="cjk",
        index_analyzer=analyzer(
            "gofun_ja_index",
            tokenizer="standard",
            filter=[
                *filters,
                token_filter(
                    "gofun_bigram_unigrams", "cjk_bigram", output_unigrams=True
                ),
            ],
        ),
        search_analyzer=analyzer(
            "gofun_ja_search",
            tokenizer="standard",
            filter=[*filters, "cjk_bigram"],
        ),
    )


def _kuromoji() -> JapaneseAnalysis:
    ja = analyzer(
        "gofun_ja_kuromoji",
        tokenizer=tokenizer("gofun_kuromoji", "kuromoji_tokenizer", mode="search"),
        filter=[
            "cjk_width",
            "kuromoji_baseform",
            "kuromoji_part_of_speech",
            "kuromoji_stemmer",
            "lowercase",
        ],
    )
    return JapaneseAnalysis(name="kuromoji", index_analyzer=ja, search_analyzer=ja)


def _sudachi() -> JapaneseAnalysis:
    # Mode A and the normalised form: the embedded engine's analysis, in Java.
    ja = analyzer(
        "gofun_ja_sudachi",
        tokenizer=tokenizer(
            "gofun_sudachi",
            "sudachi_tokenizer",
            split_mode="A",
            discard_punctuation=True,
        ),
        filter=["sudachi_normalizedform", "cjk_width", "lowercase"],
    )
    return JapaneseAnalysis(name="sudachi", index_analyzer=ja, search_analyzer=ja)


ANALYSES = {"cjk": _cjk, "kuromoji": _kuromoji, "sudachi": _sudachi}


def japanese_analysis(name: str) -> JapaneseAnalysis:
    try:
        return ANALYSES[name]()
    except KeyError:
        raise ImproperlyConfigured(
            f"GOFUN_SEARCH ANALYZER must be one of {sorted(ANALYSES)}, not {name!r}"
        ) from None


def lesson_document_class(analysis: JapaneseAnalysis) -> type[Document]:
    """The Document class for lessons, its text fields using `analysis`."""

    def text(**options):
        return Text(
            analyzer=analysis.index_analyzer,
            search_analyzer=analysis.search_analyzer,
            **options,
        )

    attributes = {
        "title": text(fields={"keyword": Keyword(ignore_above=256)}),
        "summary": text(),
        "tags": text(multi=True, fields={"keyword": Keyword()}),
        "slide_titles": text(multi=True),
        "body": text(),
        "notes": text(),
        "url": Keyword(index=False),
        "series_id": Integer(),
        "series_title": Keyword(),
        "job_roles": Keyword(multi=True),
        "first_published_at": Date(),
        "last_published_at": Date(),
        "searchable": Boolean(),
        "__module__": __name__,
    }
    return type("LessonSearchDocument", (Document,), attributes)


class ElasticsearchSearchEngine(BaseSearchEngine):
    def __init__(self, params: dict, *, client: Elasticsearch | None = None):
        super().__init__(params)
        self.alias = params.get("INDEX", DEFAULT_INDEX)
        self.analysis = japanese_analysis(params.get("ANALYZER", DEFAULT_ANALYZER))
        self.document_class = lesson_document_class(self.analysis)
        self._client = client

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            url = self.params.get("URL")
            if not url:
                raise ImproperlyConfigured("GOFUN_SEARCH needs a URL for Elasticsearch")
            self._client = Elasticsearch(
                url, request_timeout=self.params.get("TIMEOUT", 10)
            )
        return self._client

    # Index definition and documents -------------------------------------

    def index_definition(self, name: str) -> Index:
        """A concrete index for lessons: settings, analysis and mapping."""
        index = Index(name)
        index.settings(
            number_of_shards=1,
            number_of_replicas=self.params.get("REPLICAS", 0),
        )
        index.document(self.document_class)
        return index

    def document(self, lesson: LessonDocument, *, index: str) -> Document:
        return self.document_class(
            meta={"id": lesson.page_id, "index": index},
            title=lesson.title,
            summary=lesson.summary,
            tags=list(lesson.tags),
            slide_titles=list(lesson.slide_titles),
            body="\n".join(lesson.slide_texts),
            notes="\n".join(note for note in lesson.notes if note),
            url=lesson.url,
            series_id=lesson.series_id,
            series_title=lesson.series_title,
            job_roles=list(lesson.job_role_codes),
            first_published_at=lesson.first_published_at,
            last_published_at=lesson.last_published_at,
            searchable=lesson.searchable,
        )

    def bulk_actions(
        self, lessons: Iterable[LessonDocument], *, index: str
    ) -> Iterator[dict]:
        """Bulk "index" actions, one per lesson."""
        for lesson in lessons:
            yield self.document(lesson, index=index).to_dict(include_meta=True)

    def delete_actions(self, page_ids: Iterable[int], *, index: str) -> Iterator[dict]:
        for page_id in page_ids:
            yield {"_op_type": "delete", "_index": index, "_id": page_id}

    # Writing -------------------------------------------------------------

    def _ensure_alias(self) -> None:
        if not self.client.indices.exists_alias(name=self.alias):
            name = self._new_index_name()
            self.index_definition(name).create(using=self.client)
            self.client.indices.put_alias(index=name, name=self.alias)

    def _new_index_name(self) -> str:
        return f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"

    def index(self, documents: Iterable[LessonDocument]) -> int:
        self._ensure_alias()
        written, _ = bulk(
            self.client,
            self.bulk_actions(documents, index=self.alias),
            refresh="wait_for",
        )
        return written

    def remove(self, page_ids: Iterable[int]) -> None:
        self._ensure_alias()
        # A page that was never indexed answers 404, which is what we want.
        bulk(
            self.client,
            self.delete_actions(page_ids, index=self.alias),
            raise_on_error=False,
            refresh="wait_for",
        )

    def rebuild(self, documents: Iterable[LessonDocument]) -> int:
        name = self._new_index_name()
        self.index_definition(name).create(using=self.client)
        written, _ = bulk(self.client, self.bulk_actions(documents, index=name))
        self.client.indices.refresh(index=name)
        previous = (
            list(self.client.indices.get_alias(name=self.alias))
            if self.client.indices.exists_alias(name=self.alias)
            else []
        )
        self.client.indices.update_aliases(actions=self.alias_actions(name, previous))
        for old in previous:
            self.client.indices.delete(index=old)
        return written

    def alias_actions(self, new_index: str, previous: list[str]) -> list[dict]:
        """Move the alias to new_index in one atomic step."""
        return [
            *({"remove": {"index": old, "alias": self.alias}} for old in previous),
            {"add": {"index": new_index, "alias": self.alias}},
        ]

    # Searching -----------------------------------------------------------

    def build_search(
        self,
        query: ParsedQuery,
        *,
        filters: SearchFilters,
        offset: int = 0,
        limit: int = 10,
    ) -> Search:
        """The search request: every word a phrase that must match somewhere."""
        # Words as typed, without punctuation: plain text for match queries.
        words = list(query.phrases)
        must = [
            Q("multi_match", query=word, type="phrase", fields=SEARCH_FIELDS)
            for word in words
        ]
        should = [
            Q(
                "multi_match",
                query=" ".join(words),
                type="best_fields",
                operator="and",
                fields=SEARCH_FIELDS,
            )
        ]
        series_filter = (
            Q("term", series_id=filters.series_id) if filters.series_id else None
        )
        role_filter = (
            Q("term", job_roles=filters.job_role) if filters.job_role else None
        )
        search = (
            Search(index=self.alias)
            .query(Q("bool", must=must, should=should, filter=[SEARCHABLE]))
            .source(["title", "url", "series_title"])
            .highlight(
                *HIGHLIGHT_FIELDS,
                fragment_size=120,
                number_of_fragments=1,
                no_match_size=120,
            )
            .highlight_options(
                pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html"
            )
            .extra(track_total_hits=True)
        )
        # Each facet counts with the other facet's filter only, so choosing a
        # series still shows how many lessons each role has in it.
        chosen = [f for f in (series_filter, role_filter) if f is not None]
        if chosen:
            search = search.post_filter(Q("bool", filter=chosen))
        series_agg = search.aggs.bucket(
            "series", "filter", filter=role_filter or Q("match_all")
        ).bucket("values", "terms", field="series_id", size=50)
        series_agg.bucket("titles", "terms", field="series_title", size=1)
        search.aggs.bucket(
            "job_roles", "filter", filter=series_filter or Q("match_all")
        ).bucket("values", "terms", field="job_roles", size=50)
        return search[offset : offset + limit]

    def search(
        self,
        query: ParsedQuery,
        *,
        filters: SearchFilters,
        offset: int = 0,
        limit: int = 10,
    ) -> SearchResults:
        if query.is_empty:
            return SearchResults()
        try:
            response = (
                self.build_search(query, filters=filters, offset=offset, limit=limit)
                .using(self.client)
                .execute()
            )
        except NotFoundError:
            # Nothing has been indexed yet: there is no alias to search.
            return SearchResults()
        role_names = dict(JobRole.objects.values_list("code", "name"))
        hits = []
        for hit in response:
            highlight = getattr(hit.meta, "highlight", None)
            fragment = ""
            if highlight is not None:
                for field in HIGHLIGHT_FIELDS:
                    if field in highlight and "<mark>" in highlight[field][0]:
                        fragment = highlight[field][0]
                        break
                else:
                    fields = [f for f in HIGHLIGHT_FIELDS if f in highlight]
                    fragment = highlight[fields[0]][0] if fields else ""
            hits.append(
                SearchHit(
                    page_id=int(hit.meta.id),
                    title=hit.title,
                    url=hit.url,
                    score=round(float(hit.meta.score or 0), 6),
                    # Highlighting ran with the html encoder: text is escaped.
                    snippet=mark_safe(fragment),  # noqa: S308
                    series_title=getattr(hit, "series_title", "") or "",
                )
            )
        aggregations = response.aggregations
        return SearchResults(
            total=response.hits.total.value,
            hits=hits,
            series_facets=[
                FacetValue(
                    value=str(bucket.key),
                    label=(
                        bucket.titles.buckets[0].key
                        if bucket.titles.buckets
                        else str(bucket.key)
                    ),
                    count=bucket.doc_count,
                )
                for bucket in aggregations.series["values"].buckets
            ],
            job_role_facets=[
                FacetValue(
                    value=bucket.key,
                    label=role_names.get(bucket.key, bucket.key),
                    count=bucket.doc_count,
                )
                for bucket in aggregations.job_roles["values"].buckets
            ],
        )

    def build_suggest(self, text: str, *, limit: int = 8) -> Search:
        return (
            Search(index=self.alias)
            .query(
                Q(
                    "bool",
                    must=[Q("match_phrase_prefix", title={"query": text})],
                    filter=[SEARCHABLE],
                )
            )
            .source(["title", "url"])[:limit]
        )

    def suggest(self, text: str, *, limit: int = 8) -> list[Suggestion]:
        try:
            response = (
                self.build_suggest(text, limit=limit).using(self.client).execute()
            )
        except NotFoundError:
            return []
        return [
            Suggestion(title=hit.title, url=hit.url, page_id=int(hit.meta.id))
            for hit in response
        ]

    def build_page_ids(
        self, query: ParsedQuery, *, prefix: bool = False, limit: int = 1000
    ) -> Search:
        """Every lesson matching every word, searchable by learners or not."""
        words = list(query.phrases)
        must = [
            Q(
                "multi_match",
                query=word,
                type=("phrase_prefix" if prefix and number == len(words) else "phrase"),
                fields=SEARCH_FIELDS,
            )
            for number, word in enumerate(words, 1)
        ]
        return (
            Search(index=self.alias).query(Q("bool", must=must)).source(False)[:limit]
        )

    def page_ids(
        self, query: ParsedQuery, *, prefix: bool = False, limit: int = 1000
    ) -> list[int]:
        if query.is_empty:
            return []
        try:
            response = (
                self.build_page_ids(query, prefix=prefix, limit=limit)
                .using(self.client)
                .execute()
            )
        except NotFoundError:
            return []
        return [int(hit.meta.id) for hit in response]
