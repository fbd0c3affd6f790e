"""Signed-in learners reading a lesson, the home page and a series page,
against a bare Wagtail site's home page, in one run.

Both sites are served by gunicorn (bench.support.GUNICORN_WORKERS sync
workers) on throwaway SQLite databases with production-like settings (Gofun
with Redis as its cache, as in production, when redis-server is installed:
a throwaway one), and
measured by bench.load's generator (wrk when installed) in alternating rounds:
bare home page, lesson, home, series, then again, ROUNDS times; each page's
figure is the median of its rounds, with the spread, and its ratio to the
bare page is the ratio of the medians. The signed-in requests rotate over the
demo's learners' sessions (each with their own roles and records). Before the
rounds each page is checked to answer 200 to every session, and the
generator's own ceiling is measured on the health check of the same server
(a trivial page: database round trip, no session) so a page far below it is
the server's figure, not the client's; with wrk, the Python client measures
the bare page and the health check too, for comparison.

Also in the run: the SQL queries of each page (the lesson at 3, 10 and 30
slides), and the time and peak Python memory to import a 50-slide Markdown
deck. The Django work runs in child processes (`python -m bench.lesson_page
prepare`), so the runner itself never configures Django or touches a
developer's database.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from bench.load import (
    PythonClient,
    Request,
    Wrk,
    alternating_rounds,
    fetch,
    load_generator,
    median_ratio,
    summary,
)
from bench.support import (
    GUNICORN_WORKERS,
    gunicorn_server,
    redis_server,
    redis_version,
)
from bench.support import gofun_environment as _gofun_environment
from bench.support import run_checked as _run

REPOSITORY = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("GOFUN_BENCH_ROUNDS", "3"))
WARMUP_REQUESTS = 20
LESSON_SLIDES = 10
SLIDE_COUNTS = (3, LESSON_SLIDES, 30)
IMPORT_SLIDES = 50
# The bare Wagtail home page is the baseline every signed-in page is divided by.
BASELINE = "bare_wagtail_home_page"
PAGES = ("lesson_page", "home_page", "series_page")

# The template's `search` app (a search view, no models) shares its name with
# Gofun's `search`, which Gofun's editable install maps for every submodule the
# template's app lacks (Wagtail imports `search.wagtail_hooks`); leaving it out
# of INSTALLED_APPS keeps Gofun's code out of the bare site. Its home page, the
# page measured, does not use it.
BARE_SETTINGS = """from .base import *  # noqa

DEBUG = False
SECRET_KEY = "bare-wagtail-bench-key-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "search"]  # noqa
"""


def markdown_deck(*, title: str, slides: int) -> str:
    """A Marp-style deck shaped like the seed's lessons: lists, a table, notes."""
    parts = [
        f"---\ntitle: {title}\nsummary: ベンチマーク用の教材\n"
        "tags: [ベンチマーク]\n---\n"
    ]
    for number in range(1, slides + 1):
        parts.append(
            f"# {number}. 標的型メールを見分けるポイント\n\n"
            "業務に関係がありそうな件名でも、**差出人のアドレス**と本文の"
            "不自然な日本語を確かめましょう。\n\n"
            "- 添付ファイルを開く前に、差出人に別の手段で確認する\n"
            "- リンク先の [URL](https://www.nisc.go.jp/) を確かめる\n"
            "- 不審なときは情報システム担当に報告する\n\n"
            "| 確認すること | 例 |\n| --- | --- |\n"
            "| 差出人 | 署名と送信元が一致するか |\n"
            "| 添付 | 拡張子が実行形式でないか |\n\n"
            f"<!-- {number} 枚目：実例を一つ紹介する -->\n"
        )
    return "\n---\n\n".join(parts)


def _bare_wagtail_site(directory: Path) -> tuple[Path, dict[str, str]]:
    site = directory / "bare"
    site.mkdir()
    wagtail = Path(sys.executable).with_name("wagtail")
    _run(
        [str(wagtail), "start", "bare", str(site)], cwd=directory, env=dict(os.environ)
    )
    (site / "bare" / "settings" / "bench.py").write_text(BARE_SETTINGS)
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "bare.settings.bench"
    _run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=site, env=env)
    return site, env


def _signed_in(base_url: str, path: str, sessions: list[str]) -> list[Request]:
    return [
        Request(base_url + path, headers={"Cookie": f"sessionid={session}"})
        for session in sessions
    ]


def _checked(requests: list[Request]) -> list[Request]:
    """The requests, once each has answered 200 (and warmed the server up)."""
    for request in requests:
        response = fetch(request)
        if response.status != 200:
            raise RuntimeError(f"{request.url} answered {response.status}, not 200")
    for number in range(WARMUP_REQUESTS):
        fetch(requests[number % len(requests)])
    return requests


def _cache_setup(redis_url: str | None) -> str:
    if redis_url:
        return (
            f"Redis {redis_version()} (redis-server on the loopback), shared by "
            "the workers as in production: sessions read from it, pages kept "
            "per person"
        )
    return (
        "local memory (redis-server is not installed): each worker its own, "
        "so pages built for a person are not kept (GOFUN_PERSONAL_PAGE_CACHE)"
    )


def run() -> dict:
    with redis_server() as redis_url:
        return _measure(redis_url)


def _measure(redis_url: str | None) -> dict:
    generator = load_generator()
    with tempfile.TemporaryDirectory(prefix="gofun-bench-") as temporary:
        directory = Path(temporary)
        gofun_env = _gofun_environment(directory)
        if redis_url:
            gofun_env["GOFUN_REDIS_URL"] = redis_url
        print("  preparing the Gofun demo database …", flush=True)
        _run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=REPOSITORY,
            env=gofun_env,
        )
        prepared = json.loads(
            _run(
                [sys.executable, "-m", "bench.lesson_page", "prepare"],
                cwd=REPOSITORY,
                env=gofun_env,
            )
        )
        print("  preparing a bare Wagtail site (wagtail start) …", flush=True)
        bare_site, bare_env = _bare_wagtail_site(directory)

        with (
            gunicorn_server(
                "bare.wsgi:application", cwd=bare_site, env=bare_env
            ) as bare_url,
            gunicorn_server(
                "cms.wsgi:application",
                cwd=REPOSITORY,
                env=gofun_env,
                ready_path="/healthz",
            ) as gofun_url,
        ):
            requests = {
                BASELINE: _checked([Request(bare_url + "/")]),
                **{
                    page: _checked(
                        _signed_in(
                            gofun_url, prepared["paths"][page], prepared["sessions"]
                        )
                    )
                    for page in PAGES
                },
            }
            rounds = alternating_rounds(
                [
                    (
                        name,
                        lambda requests=requests[name]: generator.for_duration(
                            requests
                        ),
                    )
                    for name in (BASELINE, *PAGES)
                ],
                rounds=ROUNDS,
            )
            print("  checking the load generator's ceiling (/healthz) …", flush=True)
            health = _checked([Request(gofun_url + "/healthz")])
            check = {"health_check": generator.for_duration(health).as_dict()}
            if isinstance(generator, Wrk):
                python = PythonClient(duration=generator.duration)
                check["python_client"] = {
                    "setup": python.setup(),
                    "health_check": python.for_duration(health).as_dict(),
                    BASELINE: python.for_duration(requests[BASELINE]).as_dict(),
                }

    baseline_median = summary(rounds[BASELINE])["median_requests_per_second"]
    check["baseline_median_share_of_health_check"] = (
        round(baseline_median / check["health_check"]["requests_per_second"], 3)
        if check["health_check"]["requests_per_second"]
        else None
    )
    return {
        "setup": {
            **generator.setup(),
            "gunicorn_workers": GUNICORN_WORKERS,
            "rounds": ROUNDS,
            "signed_in_learners": len(prepared["sessions"]),
            "database": "SQLite (temporary), bench.settings (DEBUG off)",
            "cache": _cache_setup(redis_url),
            # As bench.settings reads it.
            "view_recorder": (
                "BufferedViewRecorder (queued)"
                if os.environ.get("GOFUN_BENCH_VIEW_RECORDER") == "buffered"
                else "DatabaseViewRecorder (one INSERT per view)"
            ),
        },
        BASELINE: summary(rounds[BASELINE]),
        **{
            page: {
                "path": prepared["paths"][page],
                "sql_queries": prepared["queries"][page],
                "ratio_to_bare_wagtail": median_ratio(rounds[page], rounds[BASELINE]),
                **summary(rounds[page]),
            }
            for page in PAGES
        },
        "load_generator_check": check,
        "lesson_page_sql_queries_by_slide_count": prepared["queries"][
            "lesson_page_by_slide_count"
        ],
        f"import_{IMPORT_SLIDES}_slide_deck": prepared["import"],
    }


def prepare() -> dict:
    """In a child process with bench settings: build the demo, sign the demo's
    learners in, and count each page's queries."""
    import time
    import tracemalloc

    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cms.demo import demo_load
    from cms.models import HomePage
    from learning_series.demo import DEMO_CONTENT
    from learning_series.models import SeriesIndexPage, SeriesPage
    from learning_series.services import lesson_import_markdown
    from organisation.demo import ACCOUNTS

    if (DEMO_CONTENT / "series.yaml").exists():
        demo_load()
    User = get_user_model()
    editor, _ = User.objects.get_or_create(
        username="bench-editor", defaults={"is_superuser": True, "is_staff": True}
    )
    # The demo's learners (no editorial group), each with roles and records.
    learners = list(
        User.objects.filter(
            is_active=True,
            username__in=[
                account.username
                for account in ACCOUNTS
                if not account.groups and not account.superuser
            ],
        ).order_by("username")
    ) or [User.objects.get_or_create(username="bench-learner")[0]]
    index = SeriesIndexPage.objects.order_by("path").first()
    series = SeriesPage(title="ベンチマーク", slug="bench-series", live=False)
    index.add_child(instance=series)
    series.save_revision(user=editor).publish(user=editor)

    def import_deck(slides: int, name: str):
        return lesson_import_markdown(
            series=series,
            owner=editor,
            source_name=f"{name}.md",
            content=markdown_deck(title=f"{slides}枚のレッスン {name}", slides=slides),
            publish=True,
        )

    sessions = []
    for learner in learners:
        client = Client()
        client.force_login(learner)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    client = Client()
    client.force_login(learners[0])

    def queries(url: str) -> int:
        client.get(url)  # the first view fills the caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return len(captured)

    lessons = {
        slides: import_deck(slides, f"slides-{slides}") for slides in SLIDE_COUNTS
    }
    # The demo's first series (the seed's lessons), else the benchmark's own.
    shown_series = (
        SeriesPage.objects.live().exclude(pk=series.pk).order_by("path").first()
        or series
    )
    paths = {
        "lesson_page": lessons[LESSON_SLIDES].url,
        "home_page": HomePage.objects.get().url,
        "series_page": shown_series.url,
    }
    counted = {page: queries(path) for page, path in paths.items()}
    counted["lesson_page_by_slide_count"] = {
        str(slides): queries(lesson.url) for slides, lesson in lessons.items()
    }

    started = time.perf_counter()
    import_deck(IMPORT_SLIDES, "import-timed")
    seconds = time.perf_counter() - started
    tracemalloc.start()
    import_deck(IMPORT_SLIDES, "import-traced")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    return {
        "paths": paths,
        "sessions": sessions,
        "queries": counted,
        "import": {
            "seconds": round(seconds, 3),
            "peak_python_memory_mib": round(peak / 1024 / 1024, 2),
        },
    }


if __name__ == "__main__":
    if sys.argv[1:] != ["prepare"]:
        sys.exit("usage: python -m bench.lesson_page prepare")
    print(json.dumps(prepare()))
