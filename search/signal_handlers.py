"""Thin receivers of Wagtail's page signals: they only enqueue index updates.

The task is enqueued when the transaction commits, so a worker never reads
the page before the change that triggered it is visible.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from learning_series.models import LessonPage

from .selectors import lesson_ids_within
from .tasks import search_index_remove_task, search_index_update_task


def _enqueue_update(page_ids: list[int]) -> None:
    if page_ids:
        transaction.on_commit(lambda: search_index_update_task.enqueue(page_ids))


def _update_lessons_within(sender, instance: Page, **kwargs) -> None:
    # A series (or any ancestor) changing status or place changes its lessons'
    # URLs, series title, roles or visibility.
    _enqueue_update(lesson_ids_within(page=instance))


def _lesson_saved(sender, instance: LessonPage, raw: bool = False, **kwargs) -> None:
    # Drafts are indexed too, for the admin's page search; learners' searches
    # read only the entries marked searchable.
    if not raw:
        _enqueue_update([instance.pk])


def _lesson_deleted(sender, instance: LessonPage, **kwargs) -> None:
    page_ids = [instance.pk]
    transaction.on_commit(lambda: search_index_remove_task.enqueue(page_ids))


def _restriction_changed(sender, instance: PageViewRestriction, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        _enqueue_update(lesson_ids_within(page=page))


def register_signal_handlers() -> None:
    page_published.connect(_update_lessons_within, dispatch_uid="gofun_search_pub")
    page_unpublished.connect(_update_lessons_within, dispatch_uid="gofun_search_unpub")
    post_page_move.connect(_update_lessons_within, dispatch_uid="gofun_search_move")
    post_save.connect(
        _lesson_saved, sender=LessonPage, dispatch_uid="gofun_search_save"
    )
    post_delete.connect(
        _lesson_deleted, sender=LessonPage, dispatch_uid="gofun_search_delete"
    )
    for signal, uid in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"gofun_search_restriction_{uid}",
        )
