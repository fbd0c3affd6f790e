"""Reviewing lessons: rejection with comments, Wagtail's notifications to both
sides, and the audit log from import to approval."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import PageLogEntry, WorkflowState

from learning_series.services import LESSON_IMPORT_ACTION, lesson_import_markdown
from tests.factories import make_series
from tests.learning_series.test_workflow import submit_for_review

pytestmark = pytest.mark.django_db

DECK = "---\ntitle: 標的型メールの見分け方\n---\n# 差出人を確かめる\n\n本文\n"


@pytest.fixture
def imported_lesson(author, editor):
    return lesson_import_markdown(
        series=make_series(), owner=author, source_name="mail-1.md", content=DECK
    )


def act(client, editor, lesson, task_state, action: str, comment: str):
    client.force_login(editor)
    return client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[lesson.pk, action, task_state.pk],
        ),
        {"comment": comment},
    )


def test_submission_notifies_the_editors(client, author, editor, imported_lesson):
    mail.outbox.clear()

    submit_for_review(client, author, imported_lesson)

    recipients = [address for message in mail.outbox for address in message.to]
    assert editor.email in recipients
    assert author.email not in recipients


def test_editor_rejects_with_a_comment_and_the_author_is_told(
    client, author, editor, imported_lesson
):
    task_state = submit_for_review(client, author, imported_lesson)
    mail.outbox.clear()

    act(
        client,
        editor,
        imported_lesson,
        task_state,
        "reject",
        "図の出典を追記してください。",
    )

    imported_lesson.refresh_from_db()
    assert not imported_lesson.live
    state = WorkflowState.objects.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state.refresh_from_db()
    assert task_state.get_comment() == "図の出典を追記してください。"
    assert [message.to for message in mail.outbox] == [[author.email]]


def test_approval_notifies_the_author(client, author, editor, imported_lesson):
    task_state = submit_for_review(client, author, imported_lesson)
    mail.outbox.clear()

    act(client, editor, imported_lesson, task_state, "approve", "公開します。")

    imported_lesson.refresh_from_db()
    assert imported_lesson.live
    assert [message.to for message in mail.outbox] == [[author.email]]


def test_audit_log_shows_who_imported_edited_submitted_and_approved(
    client, author, editor, imported_lesson
):
    task_state = submit_for_review(client, author, imported_lesson)
    act(client, editor, imported_lesson, task_state, "approve", "")

    entries = [
        (entry.action, entry.user.username)
        for entry in PageLogEntry.objects.filter(page=imported_lesson).order_by(
            "timestamp", "pk"
        )
    ]
    assert (LESSON_IMPORT_ACTION, "author") in entries
    assert ("wagtail.edit", "author") in entries
    assert ("wagtail.workflow.start", "author") in entries
    assert ("wagtail.workflow.approve", "editor") in entries
    assert ("wagtail.publish", "editor") in entries
    actions = [action for action, _ in entries]
    assert actions.index(LESSON_IMPORT_ACTION) < actions.index("wagtail.workflow.start")
    assert actions.index("wagtail.workflow.start") < actions.index(
        "wagtail.workflow.approve"
    )


def test_history_page_names_the_import(client, editor, imported_lesson):
    client.force_login(editor)

    html = client.get(
        reverse("wagtailadmin_pages:history", args=[imported_lesson.pk])
    ).text

    assert "mail-1.md から読み込み（スライド 1 枚）" in html
