"""Search latency over generated lessons: the embedded engine against Wagtail's
default database search backend (wagtail.search.backends.database), same
lessons, same queries, same run. Gofun keeps lessons out of Wagtail's index;
the baseline puts them back into Wagtail's own backend, named by its dotted
path, as a project without Gofun's engine would have them.

The lessons are built in a throwaway test database (SQLite, or PostgreSQL when
DATABASE_URL says so) from sentences like the demo's. Each sentence carries the
concepts it mentions, so every query has a known set of lessons that contain
it, whichever width or spelling the sentence used: "found" is how many of those
an engine returned, "recall" the share.

Then the corpus grows to LARGE_LESSONS and the embedded engine alone is
measured again (Wagtail's backend already takes seconds per query at the first
size). The added lessons are written the fast way: their pages are bare
`Page` rows inserted in bulk (the engine only needs a page id to index
against), and their documents go through the engine's own indexing path,
`engine.index()` (analysis and batched writes), as a rebuild would.

GOFUN_BENCH_SEARCH_LESSONS sets the first size (5,000 by default),
GOFUN_BENCH_SEARCH_LARGE_LESSONS the second (50,000) and
GOFUN_BENCH_SEARCH_REPEATS the runs per query (10).
"""

from __future__ import annotations

import io
import os
import random
import statistics
import time

LESSONS = int(os.environ.get("GOFUN_BENCH_SEARCH_LESSONS", "5000"))
LARGE_LESSONS = int(os.environ.get("GOFUN_BENCH_SEARCH_LARGE_LESSONS", "50000"))
GROW_BATCH = 1000
REPEATS = int(os.environ.get("GOFUN_BENCH_SEARCH_REPEATS", "10"))
SERIES = 12
WAGTAIL_BACKEND = "wagtail.search.backends.database"
SLIDES_PER_LESSON = 4
SENTENCES_PER_SLIDE = 3

# (sentence, concepts it contains). Variants of one concept are written in
# different spellings on purpose, as real authors do.
SENTENCES = [
    (
        "業務を装ったメールの添付ファイルは、差出人を確かめてから開きます。",
        {"添付", "メール"},
    ),
    ("心当たりのない添付ファイルは開かずに相談してください。", {"添付"}),
    ("標的型メールは特定の組織や職員をねらって送られます。", {"メール"}),
    ("ばらまき型メールは不特定多数に同じ内容で届きます。", {"メール", "ばらまき"}),
    ("パスワードは十分に長くし、使い回さないでください。", {"パスワード"}),
    ("推測されにくいパスワードと多要素認証を組み合わせます。", {"パスワード"}),
    ("自宅から接続するときは必ずVPNを使います。", {"vpn"}),
    ("ＶＰＮの接続が切れたら作業を中断します。", {"vpn"}),
    ("Always connect through the VPN when working from home.", {"vpn"}),
    ("サーバの設定を変えたら記録を残します。", {"サーバー"}),
    ("サーバーの管理者は権限を定期的に見直します。", {"サーバー"}),
    ("個人情報を含む書類は鍵のかかる書庫に保管します。", {"個人情報"}),
    ("個人情報をメールで送るときは暗号化します。", {"個人情報", "メール"}),
    ("ＵＳＢメモリは許可されたものだけを使います。", {"usb"}),
    ("私物のUSBメモリを業務端末に挿してはいけません。", {"usb"}),
    ("ｸﾗｳﾄﾞサービスに保存する前に規則を確認します。", {"クラウド"}),
    ("クラウドサービスの利用は申請してから始めます。", {"クラウド"}),
    ("送信前に宛先を確認し、うっかりミスを防ぎます。", {"うっかり"}),
    ("ユーザの権限は必要最小限にとどめます。", {"ユーザー"}),
    ("コンピュータの更新プログラムは速やかに適用します。", {"コンピューター"}),
    ("会議の合間に一本ずつ読み進めてください。", set()),
    ("発注者として決めるべきことを整理します。", set()),
    ("要件定義から契約までの流れをつかみます。", set()),
    ("生成AIに業務の情報を入力する前に確認します。", set()),
    ("文書は作成から廃棄まで決められた手順で管理します。", set()),
    ("庁舎の外で働くときは周りの視線にも注意します。", set()),
    ("不審な点があればすぐに情報システム担当へ報告します。", set()),
]
TOPICS = ["情報セキュリティ", "文書管理", "テレワーク", "調達", "生成AI", "情報保全"]
QUERIES = [
    ("添付", {"添付"}),
    ("パスワード", {"パスワード"}),
    ("VPN", {"vpn"}),
    ("サーバー", {"サーバー"}),
    ("個人情報", {"個人情報"}),
    ("ＵＳＢ", {"usb"}),
    ("ｸﾗｳﾄﾞ", {"クラウド"}),
    ("うっかり", {"うっかり"}),
    ("メール", {"メール"}),
    ("個人情報 メール", {"個人情報", "メール"}),
]


BAD_INPUTS = [
    "",
    "あ" * 100_000,
    "a" * 100_000,
    '"添付',
    "(((添付 OR メール)) AND NOT",
    "title:添付* NEAR(メール) ^2 ~1 -x +y",
    "\x00\x01\x1b[31m添付\u202e",
    " ".join(["メール"] * 5_000),
]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django

    django.setup()


def _lesson_text(
    random_source: random.Random, number: int
) -> tuple[dict, list[tuple[str, str]], set[str]]:
    """Lesson `number`: its fields, its slides (title, body) and its concepts."""
    concepts: set[str] = set()
    slides = []
    for slide_number in range(SLIDES_PER_LESSON):
        chosen = random_source.sample(SENTENCES, SENTENCES_PER_SLIDE)
        for _, sentence_concepts in chosen:
            concepts |= sentence_concepts
        slides.append(
            (
                f"ポイント{slide_number + 1}",
                "\n".join(sentence for sentence, _ in chosen),
            )
        )
    topic = TOPICS[number % len(TOPICS)]
    fields = {
        "title": f"{topic}の基本 第{number + 1}回",
        "slug": f"bench-lesson-{number}",
        "summary": f"{topic}について5分で学びます。",
    }
    return fields, slides, concepts


def _generate(random_source: random.Random) -> dict[int, set[str]]:
    """Create the lessons; return each lesson's concepts, by page id."""
    from django.db import transaction
    from django.db.models.signals import post_save
    from django.utils import timezone
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from learning_series.models import LessonPage, SeriesPage
    from tests.factories import lesson_tree_root

    concepts_by_page: dict[int, set[str]] = {}
    # Both indexes are built afterwards in one pass each (update_index,
    # search_index_rebuild) and timed, rather than page by page here.
    post_save.disconnect(post_save_signal_handler, sender=LessonPage)
    post_save.disconnect(sender=LessonPage, dispatch_uid="gofun_search_save")
    root = lesson_tree_root()
    now = timezone.now()
    # Wagtail's reference index is no part of what is measured.
    with transaction.atomic(), disable_reference_index_auto_update():
        series_pages = []
        for number in range(SERIES):
            series = SeriesPage(
                title=f"{TOPICS[number % len(TOPICS)]}シリーズ{number + 1}",
                slug=f"bench-series-{number}",
            )
            root.add_child(instance=series)
            series_pages.append(series)
        for number in range(LESSONS):
            fields, slides, concepts = _lesson_text(random_source, number)
            lesson = LessonPage(
                **fields,
                slides=[
                    (
                        "slide",
                        {
                            "title": title,
                            "body": body,
                            "notes": "",
                            "image": None,
                            "image_alt": "",
                        },
                    )
                    for title, body in slides
                ],
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
            series_pages[number % SERIES].add_child(instance=lesson)
            concepts_by_page[lesson.pk] = concepts
    post_save.connect(post_save_signal_handler, sender=LessonPage)
    return concepts_by_page


def _grow(
    random_source: random.Random,
    concepts_by_page: dict[int, set[str]],
    *,
    engine,
    lessons: int,
) -> dict:
    """Add lessons up to `lessons`: bare page rows in bulk, their documents
    through engine.index(); return the time each part took."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from learning_series.models import SeriesPage
    from search.documents import LessonDocument

    series_pages = list(
        SeriesPage.objects.filter(slug__startswith="bench-series-").order_by("path")
    )
    children = {series.pk: series.numchild for series in series_pages}
    content_type = ContentType.objects.get_for_model(Page)
    now = timezone.now()
    pages_seconds = index_seconds = 0.0
    for start in range(len(concepts_by_page), lessons, GROW_BATCH):
        started = time.perf_counter()
        pages, texts = [], []
        for number in range(start, min(start + GROW_BATCH, lessons)):
            series = series_pages[number % SERIES]
            children[series.pk] += 1
            fields, slides, concepts = _lesson_text(random_source, number)
            pages.append(
                Page(
                    title=fields["title"],
                    slug=fields["slug"],
                    draft_title=fields["title"],
                    path=Page._get_path(
                        series.path, series.depth + 1, children[series.pk]
                    ),
                    depth=series.depth + 1,
                    content_type=content_type,
                    locale_id=series.locale_id,
                    url_path=f"{series.url_path}{fields['slug']}/",
                    live=True,
                    first_published_at=now,
                    last_published_at=now,
                )
            )
            texts.append((series, fields, slides, concepts))
        with transaction.atomic():
            Page.objects.bulk_create(pages)
        pages_seconds += time.perf_counter() - started
        documents = [
            LessonDocument(
                page_id=page.pk,
                title=fields["title"],
                summary=fields["summary"],
                tags=(),
                slide_titles=tuple(title for title, _ in slides),
                slide_texts=tuple(body for _, body in slides),
                notes=(),
                url=page.url_path,
                series_id=series.pk,
                series_title=series.title,
                job_role_codes=(),
                first_published_at=now,
                last_published_at=now,
            )
            for page, (series, fields, slides, _) in zip(pages, texts, strict=True)
        ]
        started = time.perf_counter()
        engine.index(documents)
        index_seconds += time.perf_counter() - started
        for page, (_, _, _, concepts) in zip(pages, texts, strict=True):
            concepts_by_page[page.pk] = concepts
    for series in series_pages:
        Page.objects.filter(pk=series.pk).update(numchild=children[series.pk])
    return {
        "pages_seconds": round(pages_seconds, 1),
        "embedded_index_seconds": round(index_seconds, 1),
    }


def _lessons_in_wagtails_database_backend() -> None:
    from modelsearch.abstract_models import TextIDGenericRelation
    from wagtail.models import Page
    from wagtail.search import index
    from wagtail.search.models import IndexEntry

    from learning_series.models import LessonPage

    LessonPage.search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("slides"),
    ]
    # The relation Wagtail's backend gives every indexed model when the
    # project starts (its PostgreSQL queries join through it).
    if not any(
        field.name == "index_entries" for field in LessonPage._meta.get_fields()
    ):
        TextIDGenericRelation(IndexEntry).contribute_to_class(
            LessonPage, "index_entries"
        )


def _analyze(connection) -> None:
    """The planner's statistics, as a running site's database keeps them
    (PostgreSQL's autovacuum); without them it plans for empty tables."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _latency(search) -> dict:
    samples: list[float] = []
    for text, _ in QUERIES:
        search(text)  # warm caches once, as a running site would be
        for _ in range(REPEATS):
            started = time.perf_counter()
            search(text)
            samples.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(_percentile(samples, 0.95), 2),
        "queries_timed": len(samples),
    }


def _recall(found: dict[str, list[int]], concepts_by_page: dict[int, set[str]]):
    """Per query: the lessons containing it, those found and those found wrongly;
    and the share of all relevant lessons found."""
    per_query = {}
    total_relevant = total_found = 0
    for text, required in QUERIES:
        relevant = {
            page_id
            for page_id, concepts in concepts_by_page.items()
            if required <= concepts
        }
        hits = len(relevant & set(found[text]))
        total_relevant += len(relevant)
        total_found += hits
        per_query[text] = {
            "lessons_containing": len(relevant),
            "found": hits,
            "wrong": len(set(found[text]) - relevant),
        }
    return per_query, round(total_found / total_relevant, 3)


def _slowest_bad_input_ms(engine) -> float:
    from search.analysis import parse_query
    from search.backends.base import SearchFilters

    times = []
    for text in BAD_INPUTS:
        started = time.perf_counter()
        engine.search(parse_query(text), filters=SearchFilters())
        times.append((time.perf_counter() - started) * 1000)
    return round(max(times), 2)


def run() -> dict:
    _setup_django()
    from django.core.management import call_command
    from django.db import connection
    from wagtail.search.models import IndexEntry

    from learning_series.models import LessonPage
    from search.analysis import parse_query
    from search.backends.base import SearchFilters
    from search.backends.embedded import EmbeddedSearchEngine
    from search.models import SearchEntry
    from search.services import search_index_rebuild

    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        concepts_by_page = _generate(random.Random(5))
        generated_seconds = time.perf_counter() - started
        _analyze(connection)

        _lessons_in_wagtails_database_backend()
        started = time.perf_counter()
        call_command("update_index", backend_name=WAGTAIL_BACKEND, stdout=io.StringIO())
        wagtail_index_seconds = time.perf_counter() - started

        engine = EmbeddedSearchEngine({})
        started = time.perf_counter()
        indexed = search_index_rebuild(engine=engine)
        index_seconds = time.perf_counter() - started
        _analyze(connection)

        def embedded(text: str, limit: int = LESSONS) -> list[int]:
            # Every match, for the recall figure.
            results = engine.search(
                parse_query(text), filters=SearchFilters(), limit=limit
            )
            return [hit.page_id for hit in results.hits]

        def embedded_page(text: str) -> list[int]:
            # What the search page does: first page ranked, with the total,
            # facet counts and snippets.
            results = engine.search(parse_query(text), filters=SearchFilters())
            return [hit.page_id for hit in results.hits]

        def wagtail_default(text: str) -> list[int]:
            # Every match from Wagtail's own search (WAGTAILSEARCH_BACKENDS
            # "default", the database backend).
            return [
                page.pk
                for page in LessonPage.objects.live().search(
                    text, backend=WAGTAIL_BACKEND
                )
            ]

        def wagtail_default_page(text: str) -> list[int]:
            # The same first page: total and ten results.
            results = LessonPage.objects.live().search(text, backend=WAGTAIL_BACKEND)
            results.count()
            return [page.pk for page in results[:10]]

        embedded_figures = _latency(embedded_page)
        wagtail_figures = _latency(wagtail_default_page)
        embedded_queries, embedded_recall = _recall(
            {text: embedded(text) for text, _ in QUERIES}, concepts_by_page
        )
        wagtail_queries, wagtail_recall = _recall(
            {text: wagtail_default(text) for text, _ in QUERIES}, concepts_by_page
        )
        first = {
            "database": connection.vendor,
            "lessons": indexed,
            "generate_seconds": round(generated_seconds, 1),
            "embedded_index_seconds": round(index_seconds, 1),
            "embedded_lessons_per_second": round(indexed / index_seconds, 1),
            "wagtail_default_index_seconds": round(wagtail_index_seconds, 1),
            "wagtail_default_index_entries": IndexEntry.objects.count(),
            "embedded": {**embedded_figures, "recall": embedded_recall},
            "wagtail_default_database_backend": {
                **wagtail_figures,
                "recall": wagtail_recall,
            },
            "bad_input_slowest_ms": _slowest_bad_input_ms(engine),
            "median_ratio_embedded_to_wagtail": round(
                embedded_figures["median_ms"] / wagtail_figures["median_ms"], 2
            ),
            "queries": {
                text: {
                    "lessons_containing": figures["lessons_containing"],
                    "found_embedded": figures["found"],
                    "found_wagtail_default": wagtail_queries[text]["found"],
                    "wrong_embedded": figures["wrong"],
                }
                for text, figures in embedded_queries.items()
            },
        }
        if LARGE_LESSONS <= LESSONS:
            return first

        print(f"  growing the corpus to {LARGE_LESSONS:,} lessons …", flush=True)
        started = time.perf_counter()
        grown = _grow(
            random.Random(50), concepts_by_page, engine=engine, lessons=LARGE_LESSONS
        )
        grow_seconds = time.perf_counter() - started
        _analyze(connection)
        added = LARGE_LESSONS - indexed
        large_figures = _latency(embedded_page)
        started = time.perf_counter()
        large_queries, large_recall = _recall(
            {text: embedded(text, limit=LARGE_LESSONS) for text, _ in QUERIES},
            concepts_by_page,
        )
        recall_seconds = time.perf_counter() - started
        return {
            **first,
            "larger_corpus": {
                "lessons": SearchEntry.objects.count(),
                "added_lessons": added,
                "added_seconds": round(grow_seconds, 1),
                "added_page_rows_seconds": grown["pages_seconds"],
                "added_embedded_index_seconds": grown["embedded_index_seconds"],
                "embedded_lessons_per_second": round(
                    added / grown["embedded_index_seconds"], 1
                )
                if grown["embedded_index_seconds"]
                else None,
                "embedded": {**large_figures, "recall": large_recall},
                "recall_listing_seconds": round(recall_seconds, 1),
                "bad_input_slowest_ms": _slowest_bad_input_ms(engine),
                "queries": large_queries,
            },
        }
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)
