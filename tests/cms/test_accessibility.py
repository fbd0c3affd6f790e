"""axe-core finds no serious or critical violation on the learner's pages.

The reader (first slide, the phone's menu, the last slide with its
checkpoint), a checkpoint attempt and search results, each on a phone and a
laptop, in Debian's Chromium against the live server. axe-core comes from
npm (package-lock.json; `make test` runs `npm ci`). Skipped, with the reason,
when Chromium is missing. The lesson editor's tag field, the review dialog
and the other editors on a page (Wagtail's own, named by
cms/static/cms/admin_accessibility.js) are checked too.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.admin.models import EditingSession
from wagtail.models import Page

from learning_series.services import lesson_import_markdown
from quizzes.services import attempt_start
from tests.browser import axe_violations, live_database, needs_chromium, screenshot
from tests.factories import make_series
from tests.quizzes.conftest import make_checkpoint

pytestmark = [needs_chromium, live_database]
BOTH = pytest.mark.parametrize("device", ["phone", "laptop"])

DECK = """---
title: 標的型メールを見抜く5つのポイント
summary: 不審なメールの見分け方を学びます。
tags: [メール, 標的型攻撃]
---
# このレッスンで学ぶこと

標的型メールは、特定の組織や職員をねらって送られる攻撃メールです。

| 観点 | 確認すること |
| --- | --- |
| 差出人 | アドレスの綴り |
| 添付ファイル | 拡張子 |

---
# まとめ

1. 差出人を確かめる
2. **迷ったら報告する**

<!-- 発表者ノート -->
"""


@pytest.fixture(autouse=True)
def _index_updates_run_inline(settings):
    """Run the index-update tasks inline, as the lesson is published.

    The search results checked here need the lesson in the index; the queue
    and its worker are tests/cms/test_worker.py's business.
    """
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture
def checkpoint(editor):
    lesson = lesson_import_markdown(
        series=make_series(slug="mail"),
        owner=editor,
        source_name="mail-1.md",
        content=DECK,
        publish=True,
    )
    return make_checkpoint(lesson=lesson)


@BOTH
def test_the_reader_has_no_serious_violations(visit, learner, checkpoint, device):
    page = visit(checkpoint.lesson.url, user=learner, device=device).page
    found = {"first slide": axe_violations(page)}
    if device == "phone":
        page.get_by_role("button", name="メニュー").click()
        found["menu open"] = axe_violations(page)
    page.keyboard.press("End")
    page.get_by_role("button", name="チェックポイントを始める").wait_for()
    found["last slide"] = axe_violations(page)
    screenshot(page, f"axe-reader-{device}")

    assert found == {state: [] for state in found}


@BOTH
def test_a_checkpoint_attempt_has_no_serious_violations(
    visit, learner, checkpoint, device
):
    attempt = attempt_start(checkpoint=checkpoint, user=learner)
    page = visit(
        reverse("quizzes:attempt", args=[attempt.pk]), user=learner, device=device
    ).page
    page.locator("input[name^=question-]").first.wait_for()
    violations = axe_violations(page)
    screenshot(page, f"axe-attempt-{device}")

    assert violations == []


@BOTH
def test_search_results_have_no_serious_violations(visit, learner, checkpoint, device):
    page = visit(
        reverse("search:search") + "?q=メール", user=learner, device=device
    ).page
    page.get_by_role("link", name="標的型メールを見抜く5つのポイント").first.wait_for()
    violations = axe_violations(page)
    screenshot(page, f"axe-search-{device}")

    assert violations == []


def test_the_lesson_editor_names_wagtails_tag_input(visit, editor, checkpoint):
    # tag-it types into an input of its own, which had no label (critical).
    page = visit(
        reverse("wagtailadmin_pages:edit", args=[checkpoint.lesson.pk]),
        user=editor,
        device="laptop",
    ).page
    tag_input = page.locator(".tagit input.ui-autocomplete-input")

    expect(tag_input).to_have_accessible_name("タグ")
    assert axe_violations(page) == []


def test_the_review_dialog_and_the_other_editors_are_named(
    visit, editor, author, checkpoint
):
    # Wagtail's workflow dialog had no name and a list of <div>s; the button
    # of someone else on the page showed only an avatar.
    lesson = checkpoint.lesson
    lesson.save_revision(user=author)
    lesson.get_workflow().start(lesson, author)
    EditingSession.objects.create(
        user=author,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(lesson.pk),
        last_seen_at=timezone.now(),
    )
    page = visit(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        user=editor,
        device="laptop",
    ).page
    page.locator("footer [data-w-dropdown-target=toggle]").last.click()
    page.locator("button[data-workflow-action-name=reject]").click()
    dialog = page.get_by_role("dialog")
    # Once faded in: axe measures contrast on what is on screen.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.modal')).opacity === '1'"
    )

    expect(dialog).to_have_accessible_name("変更をリクエスト")
    expect(page.locator(".w-editing-sessions__session")).to_have_accessible_name(
        f"{author.get_full_name()} - 閲覧中"
    )
    assert axe_violations(page) == []


def test_axe_reports_a_violation_planted_in_the_page(visit, learner, checkpoint):
    page = visit(checkpoint.lesson.url, user=learner, device="laptop").page
    page.evaluate(
        "() => document.querySelector('main')"
        ".appendChild(document.createElement('button'))"
    )

    assert [violation["rule"] for violation in axe_violations(page)] == ["button-name"]
