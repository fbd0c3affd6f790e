"""A signed-in learner reading a 10-slide lesson, against a bare Wagtail site.

In one run: requests per second for the lesson page and for the default home
page of a bare Wagtail project (`wagtail start` into a temporary directory),
both served by gunicorn with 2 workers on a throwaway SQLite database; the
number of SQL queries the lesson page makes for 3, 10 and 30 slides; and the
time and peak Python memory to import a 50-slide Markdown deck.

The Django work runs in child processes (`python -m bench.lesson_page
prepare`), so the runner itself never configures Django or touches a
developer's database.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from bench.support import gofun_environment as _gofun_environment
from bench.support import gunicorn_server, measure_throughput
from bench.support import run_checked as _run

REPOSITORY = Path(__file__).resolve().parent.parent
REQUESTS = 400
CONCURRENCY = 4
ROUNDS = 2  # alternate the two sites; keep each one's best round
SLIDE_COUNTS = (3, 10, 30)
IMPORT_SLIDES = 50

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


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="gofun-bench-") as temporary:
        directory = Path(temporary)
        gofun_env = _gofun_environment(directory)
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

        session = {"Cookie": f"sessionid={prepared['session']}"}
        lesson_rounds, bare_rounds = [], []
        for round_number in range(1, ROUNDS + 1):
            print(f"  measuring, round {round_number}/{ROUNDS} …", flush=True)
            with gunicorn_server(
                "bare.wsgi:application", cwd=bare_site, env=bare_env
            ) as base_url:
                bare_rounds.append(
                    measure_throughput(
                        base_url + "/", requests=REQUESTS, concurrency=CONCURRENCY
                    )
                )
            with gunicorn_server(
                "cms.wsgi:application",
                cwd=REPOSITORY,
                env=gofun_env,
                ready_path="/healthz",
            ) as base_url:
                lesson_rounds.append(
                    measure_throughput(
                        base_url + prepared["lesson_path"],
                        headers=session,
                        requests=REQUESTS,
                        concurrency=CONCURRENCY,
                    )
                )

    lesson = max(lesson_rounds, key=lambda result: result.requests_per_second)
    bare = max(bare_rounds, key=lambda result: result.requests_per_second)
    return {
        "setup": {
            "gunicorn_workers": 2,
            "client_threads": CONCURRENCY,
            "requests_per_measurement": REQUESTS,
            "rounds_best_of": ROUNDS,
            "database": "SQLite (temporary)",
        },
        "lesson_page_10_slides_signed_in": lesson.as_dict(),
        "bare_wagtail_home_page": bare.as_dict(),
        "ratio_to_bare_wagtail": round(
            lesson.requests_per_second / bare.requests_per_second, 3
        )
        if bare.requests_per_second
        else None,
        "sql_queries_by_slide_count": prepared["queries"],
        f"import_{IMPORT_SLIDES}_slide_deck": prepared["import"],
    }


def prepare() -> dict:
    """In a child process with bench settings: build the demo and count queries."""
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
    from learning_series.demo import DEMO_CONTENT
    from learning_series.models import SeriesIndexPage, SeriesPage
    from learning_series.services import lesson_import_markdown

    if (DEMO_CONTENT / "series.yaml").exists():
        demo_load()
    User = get_user_model()
    editor, _ = User.objects.get_or_create(
        username="bench-editor", defaults={"is_superuser": True, "is_staff": True}
    )
    learner, _ = User.objects.get_or_create(username="bench-learner")
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

    client = Client()
    client.force_login(learner)
    lessons = {
        slides: import_deck(slides, f"slides-{slides}") for slides in SLIDE_COUNTS
    }
    queries = {}
    for slides, lesson in lessons.items():
        client.get(lesson.url)  # the first view fills the rendered-HTML cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(lesson.url)
        if response.status_code != 200:
            raise RuntimeError(f"{lesson.url} answered {response.status_code}")
        queries[str(slides)] = len(captured)

    started = time.perf_counter()
    import_deck(IMPORT_SLIDES, "import-timed")
    seconds = time.perf_counter() - started
    tracemalloc.start()
    import_deck(IMPORT_SLIDES, "import-traced")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    return {
        "lesson_path": lessons[10].url,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "queries": queries,
        "import": {
            "seconds": round(seconds, 3),
            "peak_python_memory_mib": round(peak / 1024 / 1024, 2),
        },
    }


if __name__ == "__main__":
    if sys.argv[1:] != ["prepare"]:
        sys.exit("usage: python -m bench.lesson_page prepare")
    print(json.dumps(prepare()))
