"""View logging: what it costs the lesson page, how long roll-ups take, how
fast the dashboard answers.

1. The lesson page with view logging against the same page with it switched
   off (GOFUN_VIEW_LOGGING=0), in one run: a signed-in learner's 10-slide
   lesson on a throwaway SQLite database holding the demo's year of views,
   each served by gunicorn with 2 workers, the two servers alternating over
   ROUNDS rounds; the median of each is compared. `wrk` (Debian's package: C,
   keep-alive connections) measures when it is installed, else bench's own
   Python client (which says so in the results). On a machine shared with
   other work throughput moves with it, so the CPU time one process spends
   per page (the SQLite database in it), logging on and off in alternating
   blocks, is reported beside it.
2. Rolling up a year of 1,000,000 raw view events (GOFUN_BENCH_VIEW_EVENTS)
   by 2,400 staff over 16 lessons, in a child process on its own database.
3. The dashboard over a year of roll-ups: the figures (needs_analysis) and
   the whole admin page as an editor gets it (catching up today's roll-up,
   rendering charts and tables), median of REPEATS, over the demo's year
   (44,261 views by 240 staff) and over the year of 1,000,000 events.

`python -m bench view_logging`. Nothing here asserts on time.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.load import (
    Measurement,
    Request,
    fetch,
    load_generator,
    median_ratio,
    summary,
)
from bench.support import (
    GUNICORN_WORKERS,
    child_figures,
    gofun_environment,
    gunicorn_server,
    run_checked,
)

REPOSITORY = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("GOFUN_BENCH_ROUNDS", "3"))
WARM_UP_REQUESTS = 20
EVENTS = int(os.environ.get("GOFUN_BENCH_VIEW_EVENTS", "1000000"))
STAFF = 2400
REPEATS = 5
CPU_BLOCKS = 10
CPU_BLOCK_REQUESTS = 50


def _lesson_page_with_and_without_logging() -> dict:
    generator = load_generator()
    with tempfile.TemporaryDirectory(prefix="gofun-bench-") as temporary:
        env = gofun_environment(Path(temporary))
        print("  preparing a database with the demo's year of views …", flush=True)
        run_checked(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=REPOSITORY,
            env=env,
        )
        prepared = child_figures("bench.view_logging", "prepare-page", env=env)
        cookie = {"Cookie": f"sessionid={prepared['session']}"}
        rounds: dict[str, list[Measurement]] = {"logging_off": [], "logging_on": []}
        for number in range(1, ROUNDS + 1):
            for name, switch in (("logging_off", "0"), ("logging_on", "1")):
                print(f"  round {number}/{ROUNDS}: {name} …", flush=True)
                with gunicorn_server(
                    "cms.wsgi:application",
                    cwd=REPOSITORY,
                    env={**env, "GOFUN_VIEW_LOGGING": switch},
                    ready_path="/healthz",
                ) as base_url:
                    lesson = [
                        Request(base_url + prepared["lesson_path"], headers=cookie)
                    ]
                    for _ in range(WARM_UP_REQUESTS):  # warm the workers' caches
                        fetch(lesson[0])
                    rounds[name].append(generator.for_duration(lesson))
        counted = child_figures("bench.view_logging", "count-views", env=env)
    return {
        "setup": {
            **generator.setup(),
            "gunicorn_workers": GUNICORN_WORKERS,
            "rounds_alternating": ROUNDS,
            "database": "SQLite (temporary), demo year of views",
        },
        "logging_on": summary(rounds["logging_on"]),
        "logging_off": summary(rounds["logging_off"]),
        "ratio_on_to_off": median_ratio(rounds["logging_on"], rounds["logging_off"]),
        "cpu_per_request_in_process": prepared["cpu_per_request"],
        "sql_queries": prepared["queries"],
        "views_written_while_logging": counted["views"] - prepared["views_before"],
        "dashboard_over_the_demo_year": prepared["dashboard_over_the_demo_year"],
    }


def _year_of_events() -> dict:
    with tempfile.TemporaryDirectory(prefix="gofun-bench-") as temporary:
        env = gofun_environment(Path(temporary))
        run_checked(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=REPOSITORY,
            env=env,
        )
        print(f"  writing {EVENTS:,} view events and rolling them up …", flush=True)
        return child_figures("bench.view_logging", "year", env=env)


def run() -> dict:
    return {
        "lesson_page": _lesson_page_with_and_without_logging(),
        "year_of_events": _year_of_events(),
    }


# Child processes (bench settings, a throwaway database).


def _setup_django():
    import django

    django.setup()


def _dashboard_timings(editor) -> dict:
    import datetime

    from django.test import Client
    from django.utils import timezone

    from analytics.needs import needs_analysis

    today = timezone.localdate()
    since = today - datetime.timedelta(days=364)
    needs_analysis(since=since, until=today)  # load dictionaries, warm caches
    figures = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        needs_analysis(since=since, until=today)
        figures.append(time.perf_counter() - started)
    client = Client()
    client.force_login(editor)
    client.get("/admin/needs-analysis/")
    pages = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = client.get("/admin/needs-analysis/")
        pages.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"the dashboard answered {response.status_code}")
    return {
        "figures_ms_median": round(statistics.median(figures) * 1000, 1),
        "page_ms_median": round(statistics.median(pages) * 1000, 1),
        "page_ms_all": [round(value * 1000, 1) for value in pages],
    }


def _editor():
    from django.contrib.auth import get_user_model

    editor, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_superuser": True, "is_staff": True}
    )
    return editor


def prepare_page() -> dict:
    """The demo's organisation, lessons and year of views; a 10-slide lesson;
    a signed-in learner; the lesson page's SQL queries with and without
    logging; and the dashboard over the demo's year."""
    _setup_django()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from analytics.demo import analytics_demo_load
    from bench.lesson_page import markdown_deck
    from cms.demo import DemoReport
    from learning_series.demo import learning_series_demo_load
    from learning_series.models import SeriesPage
    from learning_series.services import lesson_import_markdown
    from organisation.demo import organisation_demo_load

    report = DemoReport()
    with transaction.atomic():
        organisation_demo_load(report)
        learning_series_demo_load(report)
        analytics_demo_load(report)
    series = SeriesPage.objects.order_by("path").first()
    lesson = lesson_import_markdown(
        series=series,
        owner=report.users["editor"],
        source_name="bench-10.md",
        content=markdown_deck(title="10枚のレッスン", slides=10),
        publish=True,
    )
    client = Client()
    client.force_login(report.users["learner"])
    client.get(lesson.url)
    queries = {}
    for name, switch in (("logging_on", True), ("logging_off", False)):
        with override_settings(GOFUN_VIEW_LOGGING=switch):
            client.get(lesson.url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(lesson.url)
        if response.status_code != 200:
            raise RuntimeError(f"{lesson.url} answered {response.status_code}")
        queries[name] = len(captured)
    from analytics.models import LessonView

    return {
        "cpu_per_request": _cpu_per_request(client, lesson.url),
        "lesson_path": lesson.url,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "queries": queries,
        "views_before": LessonView.objects.count(),
        "dashboard_over_the_demo_year": _dashboard_timings(report.users["editor"]),
    }


def _cpu_per_request(client, path: str) -> dict:
    """CPU time this process spends on one lesson page (the database is in
    it: SQLite), logging on and off in alternating blocks: unlike requests
    per second, other work on the machine hardly moves it."""
    from django.test import override_settings

    spent: dict[str, list[float]] = {"logging_on": [], "logging_off": []}
    for _ in range(CPU_BLOCKS):
        for name, switch in (("logging_off", False), ("logging_on", True)):
            with override_settings(GOFUN_VIEW_LOGGING=switch):
                started = time.process_time()
                for _ in range(CPU_BLOCK_REQUESTS):
                    client.get(path)
                spent[name].append(
                    (time.process_time() - started) / CPU_BLOCK_REQUESTS * 1000
                )
    on = statistics.median(spent["logging_on"])
    off = statistics.median(spent["logging_off"])
    return {
        "blocks": f"{CPU_BLOCKS} alternating blocks of {CPU_BLOCK_REQUESTS} requests",
        "logging_on_ms": round(on, 3),
        "logging_off_ms": round(off, 3),
        "ratio_off_to_on": round(off / on, 3),
    }


def count_views() -> dict:
    _setup_django()
    from analytics.models import LessonView

    return {"views": LessonView.objects.count()}


def year() -> dict:
    """EVENTS raw view events by STAFF people over a year, rolled up; then
    the dashboard over that year, and over the demo's year for comparison."""
    _setup_django()
    import datetime
    import random

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from analytics.bulk import insert_rows
    from analytics.models import VIEW_FIELDS, LessonDayRollup, LessonView, role_key
    from analytics.rollups import days_between, rollup_days
    from analytics.services import new_view_id
    from learning_series.marp import Deck, Slide
    from learning_series.models import SeriesIndexPage, SeriesPage
    from learning_series.services import lesson_create_from_deck
    from organisation.models import Division, JobRole, Post

    rng = random.Random("gofun-bench-views")  # noqa: S311 -- benchmark data
    index = SeriesIndexPage.objects.get(slug="series")
    lessons = []
    for number in range(4):
        series = index.add_child(
            instance=SeriesPage(title=f"シリーズ{number}", slug=f"series-{number}")
        )
        for part in range(4):
            lesson, revision = lesson_create_from_deck(
                series=series,
                deck=Deck(
                    title=f"教材{number}-{part}",
                    slides=[
                        Slide(title=f"{n}", body="本文" * 100) for n in range(1, 9)
                    ],
                ),
                owner=None,
            )
            revision.publish()
            lesson.refresh_from_db()
            lessons.append((lesson.pk, series.pk, lesson.live_revision_id))
    divisions = [
        Division.objects.create(name=f"第{n}課", code=f"division-{n}").pk
        for n in range(8)
    ]
    posts = [
        Post.objects.create(name=f"勤務先{n}", kind="headquarters").pk for n in range(3)
    ]
    roles = list(JobRole.objects.values_list("pk", flat=True))
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"bench-{n:05d}", is_active=False) for n in range(STAFF)
    )
    people = [
        (
            pk,
            role_key(
                [roles[0]] + ([rng.choice(roles[1:])] if rng.random() < 0.3 else [])
            ),
            rng.choice(divisions),
            rng.choice(posts),
        )
        for pk in User.objects.filter(username__startswith="bench-").values_list(
            "pk", flat=True
        )
    ]
    today = timezone.localdate()
    days = days_between(today - datetime.timedelta(days=364), today)
    zone = timezone.get_current_timezone()

    def events():
        for _ in range(EVENTS):
            user_id, roles_held, division, post = rng.choice(people)
            lesson_id, series_id, revision_id = rng.choice(lessons)
            day = rng.choice(days)
            at = datetime.datetime.combine(
                day,
                datetime.time(
                    rng.randrange(8, 20),
                    rng.randrange(60),
                    rng.randrange(60),
                    rng.randrange(1_000_000),
                ),
                tzinfo=zone,
            )
            furthest = None if rng.random() < 0.05 else rng.randint(1, 8)
            yield (
                new_view_id(now=at),
                user_id,
                lesson_id,
                series_id,
                revision_id,
                at,
                8,
                furthest,
                furthest,
                None if furthest is None else rng.randint(5, 400),
                roles_held,
                division,
                post,
            )

    def unique(rows):
        # Two events in one millisecond share an id one time in a million.
        seen = set()
        for row in rows:
            while row[0] in seen:
                row = (row[0] + 1, *row[1:])
            seen.add(row[0])
            yield row

    started = time.perf_counter()
    with transaction.atomic():
        insert_rows(LessonView, VIEW_FIELDS, unique(events()), batch_size=5000)
    written = time.perf_counter() - started
    started = time.perf_counter()
    outcome = rollup_days(days=days)
    rolled = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    dashboard = _dashboard_timings(_editor())
    return {
        "view_events": EVENTS,
        "staff": STAFF,
        "lessons": len(lessons),
        "days": len(days),
        "write_seconds": round(written, 2),
        "rollup_seconds": round(rolled, 2),
        "rollup_events_per_second": round(outcome.views / rolled),
        "rollup_rows": LessonDayRollup.objects.count(),
        "dashboard_over_the_year": dashboard,
    }


if __name__ == "__main__":
    commands = {"prepare-page": prepare_page, "count-views": count_views, "year": year}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python -m bench.view_logging {{{','.join(commands)}}}")
    print(json.dumps(commands[sys.argv[1]]()))
