"""The stack itself: each service does its part, seen from outside as a
browser or an operator would (HTTP through the proxy, manage.py, SQL)."""

from __future__ import annotations

from pathlib import Path

import redis
import requests

from e2e.learners import sign_in, wait_until
from e2e.stack import Stack

DEMO_PASSWORD = "gofun-demo"  # noqa: S105 -- the demo's published password


def signed_in(stack: Stack, username: str) -> requests.Session:
    """A session signed in through the login form, as a browser would."""
    return sign_in(stack, username, DEMO_PASSWORD)


def shell(stack: Stack, code: str) -> str:
    """Run Python in manage.py shell against the stack; its last line."""
    output = stack.manage("shell", "--no-imports", "-c", code).stdout
    return output.strip().splitlines()[-1]


def test_health_answers_through_the_proxy(stack):
    response = requests.get(f"{stack.url}/healthz", timeout=10)

    assert response.status_code == 200
    assert response.text.strip() == "ok"
    assert response.headers["Server"].startswith("nginx")


def test_a_learner_signs_in_over_http(stack):
    session = signed_in(stack, "learner")

    page = session.get(f"{stack.url}/", timeout=30)

    assert page.status_code == 200
    assert "一般 一郎 さんでサインイン中" in page.text


def test_an_anonymous_visitor_is_sent_to_sign_in(stack):
    response = requests.get(f"{stack.url}/", allow_redirects=False, timeout=30)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_sessions_are_kept_in_redis(stack):
    session = signed_in(stack, "learner")
    key = session.cookies["sessionid"]

    client = redis.Redis.from_url(stack.env["GOFUN_REDIS_URL"])

    assert list(client.scan_iter(match=f"gofun:*{key}"))


IMAGE_RENDITION = """
import io
from django.core.files.images import ImageFile
from PIL import Image as Picture
from wagtail.images import get_image_model
data = io.BytesIO()
Picture.new("RGB", (64, 48), (200, 40, 40)).save(data, "PNG")
image = get_image_model().objects.create(
    title="stack smoke", file=ImageFile(data, name="stack-smoke.png")
)
print(image.file.url, image.get_rendition("width-32").url)
"""


def test_the_proxy_serves_image_renditions_itself_and_no_other_media(stack):
    original, rendition = shell(stack, IMAGE_RENDITION).split()
    assert rendition.startswith("/media/images/")

    served = requests.get(f"{stack.url}{rendition}", timeout=30)
    refused = requests.get(f"{stack.url}{original}", timeout=30)

    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.content.startswith(b"\x89PNG")
    # nginx sent it from MEDIA_ROOT; gunicorn never saw the request.
    access_log = (stack.dir / "logs" / "gunicorn-access.log").read_text()
    assert rendition not in access_log
    assert original.startswith("/media/original_images/")
    assert refused.status_code == 404


DOCUMENT = """
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
document = get_document_model().objects.create(
    title="stack smoke", file=ContentFile(b"kept for staff", name="stack-smoke.txt")
)
print(document.file.url, document.url)
"""


def test_a_document_is_served_only_through_djangos_serve_view(stack):
    file_url, serve_url = shell(stack, DOCUMENT).split()
    assert serve_url.startswith("/documents/")
    session = signed_in(stack, "learner")

    direct = session.get(f"{stack.url}{file_url}", timeout=30)
    anonymous = requests.get(
        f"{stack.url}{serve_url}", allow_redirects=False, timeout=30
    )
    served = session.get(f"{stack.url}{serve_url}", timeout=30)

    assert file_url.startswith("/media/documents/")
    assert direct.status_code == 404
    assert anonymous.status_code == 302
    assert served.status_code == 200
    assert served.content == b"kept for staff"


def test_the_worker_runs_a_queued_task_and_the_lrs_receives_its_statements(stack):
    task_id = shell(
        stack,
        "from hr_export.tasks import lrs_push_task; print(lrs_push_task.enqueue().id)",
    )

    status = wait_until(
        lambda: (
            stack.sql(
                "SELECT status, worker_ids, return_value "
                "FROM django_tasks_database_dbtaskresult WHERE id = %s",
                task_id,
            )[0]
            if stack.sql(
                "SELECT 1 FROM django_tasks_database_dbtaskresult "
                "WHERE id = %s AND status IN ('SUCCESSFUL', 'FAILED')",
                task_id,
            )
            else None
        )
    )

    state, workers, report = status
    assert state == "SUCCESSFUL"
    assert workers
    assert report["rejected"] == 0
    # The demo's ledger went out with the pushes its records queued.
    assert stack.sql(
        "SELECT count(*) FROM hr_export_lrsoutboxentry WHERE status = 'sent'"
    )[0][0]
    stored = requests.get(
        f"{stack.env['GOFUN_LRS_URL']}statements?limit=10",
        auth=(stack.env["GOFUN_LRS_USERNAME"], stack.env["GOFUN_LRS_PASSWORD"]),
        timeout=60,
    )
    assert stored.status_code == 200
    assert stored.json()["statements"]


def test_mail_goes_to_the_sink(stack):
    before = len(stack.mails())

    stack.manage("sendtestemail", "stack-smoke@example.go.jp", check=True)

    mails = wait_until(lambda: stack.mails()[before:] or None, timeout=30)
    assert mails[0]["To"] == "stack-smoke@example.go.jp"


def test_the_app_role_is_not_a_superuser(stack):
    role = stack.env["DATABASE_URL"].split("//", 1)[1].split("@", 1)[0]

    rows = stack.sql("SELECT rolsuper FROM pg_roles WHERE rolname = %s", role)

    assert rows == [(False,)]


def test_the_env_file_holds_what_the_tests_run_with(stack):
    lines = Path(stack.dir, "env").read_text("utf-8").splitlines()
    names = {line.split("=", 1)[0] for line in lines}

    assert stack.env["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"
    assert {
        "GOFUN_STACK_URL",
        "DATABASE_URL",
        "GOFUN_STACK_SUPERUSER_DATABASE_URL",
        "GOFUN_REDIS_URL",
        "GOFUN_LRS_URL",
        "GOFUN_EMAIL_PORT",
    } <= names
