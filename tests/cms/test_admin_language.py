"""Acceptance 2: the admin pages authors, editors and training admins use speak
Japanese in the Japanese interface, and the English interface shows no
Japanese identifiers (group, workflow and task names).

To cover a new admin page, add a line to ADMIN_PAGES: who opens it and how
to reach it (a URL name, or a function of the Scene built below). To catch
another English leftover, add it to UNTRANSLATED.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page

from cms.organisation import (
    AUTHORS_GROUP,
    EDITORIAL_TASK,
    EDITORIAL_WORKFLOW,
    EDITORS_GROUP,
    TRAINING_ADMINS_GROUP,
)
from learning_series.models import LessonPage
from quizzes.models import Quiz
from tests.factories import make_lesson, make_series

from ..learning_series.test_workflow import submit_for_review

pytestmark = pytest.mark.django_db

# English the Japanese admin must not show: every string issue 11 names, and
# the admin's chrome around them.
UNTRANSLATED = [
    "Help",
    "Search all pages…",
    "Privacy and access",
    "Your pages and snippets in a workflow",
    "Task submitted by",
    "In Moderation",
    "Collapse all",
    "Saved",
    "New:",
    "Filter by",
    "Aging pages",
    "created in",
    "Editor Guide",
    "Shortcuts",
    "Show keyboard shortcuts",
    "Toggle sidebar",
    "Save changes",
    "Add or show comments",
    "Keyboard shortcuts",
    "Select all",
    "Bulk actions",
    "Side panels",
    "Toggle side panel",
    "Preview in new tab",
    "Content metrics",
    "Workflow progress",
    "Access level",
    "Last login",
    "Locking status",
    "Last published",
    "Page visibility",
    "Skip to main content",
    "Search…",
]
# Strings the admin's scripts show, from its JavaScript catalogue.
UNTRANSLATED_IN_SCRIPTS = ["Collapse all", "Expand all", "Insert a block", "Main menu"]
IDENTIFIERS = [
    AUTHORS_GROUP,
    EDITORS_GROUP,
    TRAINING_ADMINS_GROUP,
    EDITORIAL_WORKFLOW,
    EDITORIAL_TASK,
]


@dataclass
class Scene:
    series: Page
    draft: LessonPage
    in_review: LessonPage
    quiz: Quiz


Where = str | Callable[[Scene], str]

ADMIN_PAGES: list[tuple[str, Where]] = [
    # (who, where)
    ("author", "wagtailadmin_home"),
    ("author", "wagtailadmin_explore_root"),
    ("author", lambda s: reverse("wagtailadmin_explore", args=[s.series.pk])),
    ("author", lambda s: reverse("wagtailadmin_pages:edit", args=[s.draft.pk])),
    ("author", lambda s: reverse("wagtailadmin_pages:history", args=[s.draft.pk])),
    (
        "author",
        lambda s: reverse(
            "wagtailadmin_pages:add",
            args=["learning_series", "lessonpage", s.series.pk],
        ),
    ),
    ("author", lambda s: reverse("wagtailadmin_pages:search") + "?q=メール"),
    ("author", "learning_series_markdown_import"),
    ("author", "learning_series_pptx_import"),
    ("author", "wagtailimages:index"),
    ("author", "wagtaildocs:index"),
    ("author", "wagtailsnippets_quizzes_quiz:list"),
    ("author", "wagtailadmin_account"),
    ("editor", "wagtailadmin_home"),
    ("editor", lambda s: reverse("wagtailadmin_pages:edit", args=[s.in_review.pk])),
    (
        "editor",
        lambda s: reverse("wagtailadmin_pages:workflow_history", args=[s.in_review.pk]),
    ),
    ("editor", "wagtailadmin_reports:aging_pages"),
    ("editor", "wagtailadmin_reports:locked_pages"),
    ("editor", "wagtailadmin_reports:workflow"),
    ("editor", "wagtailadmin_reports:site_history"),
    ("editor", "gofun_search_reports:frequent"),
    ("editor", "gofun_search_reports:zero_results"),
    ("editor", "quizzes_item_analysis"),
    ("editor", "wagtailsnippets_quizzes_checkpoint:list"),
    (
        "editor",
        lambda s: reverse("wagtailsnippets_quizzes_quiz:edit", args=[s.quiz.pk]),
    ),
    ("trainer", "wagtailadmin_home"),
    ("trainer", "wagtailsnippets_organisation_staffprofile:list"),
    ("trainer", "wagtailsnippets_organisation_jobrole:list"),
    ("trainer", "wagtailsnippets_organisation_division:list"),
    ("trainer", "wagtailsnippets_organisation_post:list"),
    ("trainer", "completion_ledger:index"),
    ("trainer", "hr_export:training_records"),
    ("trainer", "reminder_mails:index"),
    ("trainer", "wagtailadmin_account"),
    ("trainer", "wagtailsnippets_training_curriculum:list"),
    ("trainer", "wagtailsnippets_training_curriculum:add"),
    ("trainer", "wagtailsnippets_training_externaltraining:list"),
    ("trainer", "training_external_record"),
    ("trainer", "training_attendance_import"),
    ("trainer", "training_staff_search"),
    ("trainer", lambda s: reverse("training_staff", args=[s.draft.owner_id])),
    ("trainer", "training_reports:matrix"),
    ("trainer", "training_reports:rates"),
    ("trainer", "training_reports:overdue"),
    ("trainer", "training_reports:certifications"),
    ("editor", "training_reports:rates"),
]


@pytest.fixture
def scene(client, author, editor, training_admin):
    series = make_series(title="情報セキュリティ", slug="security")
    series.save_revision().publish()
    draft = make_lesson(series=series, owner=author, live=False, title="下書きの教材")
    in_review = make_lesson(
        series=series, owner=author, live=False, title="確認待ちの教材"
    )
    submit_for_review(client, author, in_review)
    client.logout()
    quiz = Quiz.objects.create(title="情報セキュリティの確認", live=True)
    return Scene(series=series, draft=draft, in_review=in_review, quiz=quiz)


def _url(where: Where, scene: Scene) -> str:
    return reverse(where) if isinstance(where, str) else where(scene)


def _text(response) -> str:
    # Text, attribute values and the JSON the admin's scripts render from,
    # with entities decoded.
    return html_lib.unescape(response.content.decode())


def _crawl(client, users, scene, *, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for who, where in ADMIN_PAGES:
        client.force_login(users[who])
        url = _url(where, scene)
        response = client.get(url, follow=True)
        assert response.status_code == 200, (who, url, response.status_code)
        yield who, url, _text(response)


@pytest.fixture
def users(author, editor, training_admin):
    return {"author": author, "editor": editor, "trainer": training_admin}


def test_japanese_admin_shows_no_english_leftovers(client, users, scene):
    found = []
    for who, url, text in _crawl(client, users, scene, language="ja"):
        for english in UNTRANSLATED:
            if re.search(rf"(?<![A-Za-z]){re.escape(english)}(?![A-Za-z])", text):
                found.append((who, url, english))

    assert found == []


def test_admin_scripts_have_japanese_for_what_they_show(client, author):
    client.force_login(author)

    catalogue = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()

    missing = [
        english
        for english in UNTRANSLATED_IN_SCRIPTS
        if f'"{english}"' not in html_lib.unescape(catalogue)
    ]
    assert missing == []


def test_english_admin_shows_no_japanese_identifiers(client, users, scene):
    found = []
    for who, url, text in _crawl(client, users, scene, language="en"):
        for identifier in IDENTIFIERS:
            for match in re.finditer(re.escape(identifier), text):
                found.append(
                    (who, url, text[max(0, match.start() - 60) : match.end() + 20])
                )

    assert found == []


def test_the_scene_has_what_the_crawl_needs(scene):
    assert scene.in_review.workflow_in_progress
    assert Group.objects.filter(name=EDITORS_GROUP).exists()
