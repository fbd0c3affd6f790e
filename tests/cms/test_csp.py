"""A Content-Security-Policy on the learner site; report-only in the admin."""

import re

import pytest

from tests.factories import make_lesson, make_series

pytestmark = pytest.mark.django_db


def test_lesson_page_is_served_under_a_strict_policy(client, learner):
    lesson = make_lesson(series=make_series(slug="csp"))
    client.force_login(learner)

    response = client.get(lesson.url)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_learner_pages_have_no_inline_script_or_style(client, learner):
    lesson = make_lesson(series=make_series(slug="inline"))
    client.force_login(learner)

    for url in ("/", lesson.url, "/search/?q=メール", "/quizzes/records/"):
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=\"", html), url
        assert not re.search(r"\son[a-z]+=\"", html), url


def test_sign_in_page_is_served_under_the_policy(client):
    response = client.get("/accounts/login/")

    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_admin_policy_is_report_only(client, editor):
    client.force_login(editor)

    response = client.get("/admin/")

    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]
