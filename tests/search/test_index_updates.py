"""Acceptance 2: the index follows publishing, unpublishing, moves and deletion."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from search.models import SearchEntry
from search.selectors import (
    lesson_ids_for_admin_search,
    lesson_search,
    lesson_title_suggestions,
)
from search.services import search_index_rebuild
from tests.factories import make_series

from .helpers import found_titles, make_text_lesson

pytestmark = pytest.mark.django_db

BODY = "添付ファイルは開く前に差出人を確かめます。"


def test_draft_lesson_is_not_found(committed):
    with committed():
        make_text_lesson(series=make_series(), title="下書き", body=BODY, live=False)

    assert found_titles("添付") == []


def test_publishing_makes_a_lesson_findable(committed):
    lesson = make_text_lesson(series=make_series(), title="公開", body=BODY, live=False)

    with committed():
        lesson.save_revision().publish()

    assert found_titles("添付") == ["公開"]


def test_unpublishing_removes_a_lesson(committed):
    with committed():
        lesson = make_text_lesson(series=make_series(), title="取り下げ", body=BODY)

    with committed():
        lesson.unpublish()

    assert found_titles("添付") == []


def test_a_newer_draft_does_not_replace_the_published_text(committed):
    with committed():
        lesson = make_text_lesson(series=make_series(), title="公開版", body=BODY)
    lesson.slides[0].value["body"] = "下書きだけにあるパスワードの話"

    with committed():
        lesson.save_revision()

    assert found_titles("添付") == ["公開版"]
    assert found_titles("パスワード") == []


def test_private_lesson_is_removed_from_the_index(committed):
    with committed():
        lesson = make_text_lesson(series=make_series(), title="限定", body=BODY)

    with committed():
        restriction = PageViewRestriction.objects.create(
            page=lesson, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set(Group.objects.filter(name="編集者"))

    assert found_titles("添付") == []


def test_lesson_under_a_private_series_is_not_indexed(committed):
    series = make_series()
    PageViewRestriction.objects.create(
        page=series, restriction_type=PageViewRestriction.GROUPS
    ).groups.set(Group.objects.filter(name="編集者"))

    with committed():
        make_text_lesson(series=series, title="限定シリーズ", body=BODY)

    assert found_titles("添付") == []


def test_unpublishing_a_series_removes_its_lessons(committed):
    series = make_series()
    series.save_revision().publish()
    with committed():
        make_text_lesson(series=series, title="シリーズ内", body=BODY)

    with committed():
        series.unpublish()

    assert found_titles("添付") == []


def test_deleted_lesson_leaves_the_index(committed):
    with committed():
        lesson = make_text_lesson(series=make_series(), title="削除", body=BODY)

    with committed():
        lesson.delete()

    assert found_titles("添付") == []
    assert not SearchEntry.objects.exists()


def test_moved_lesson_is_found_with_its_new_series_and_url(committed):
    first = make_series(title="移動前", slug="before")
    second = make_series(title="移動後", slug="after")
    with committed():
        lesson = make_text_lesson(series=first, title="移動", body=BODY)

    with committed():
        lesson.move(second, pos="last-child")

    _, results = lesson_search(query="添付")
    assert results.hits[0].series_title == "移動後"
    assert results.hits[0].url.startswith("/series/after/")


def test_rebuild_indexes_every_lesson_and_learners_find_the_live_public_ones(
    committed,
):
    series = make_series()
    make_text_lesson(series=series, title="公開", body=BODY)
    make_text_lesson(series=series, title="下書き", body=BODY, live=False)
    private = make_text_lesson(series=series, title="限定", body=BODY)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    ).groups.set(Group.objects.filter(name="編集者"))

    count = search_index_rebuild()

    assert count == 3
    assert found_titles("添付") == ["公開"]
    assert dict(SearchEntry.objects.values_list("title", "searchable")) == {
        "公開": True,
        "下書き": False,
        "限定": False,
    }


def test_draft_lesson_is_indexed_for_the_admin_only(committed):
    with committed():
        lesson = make_text_lesson(
            series=make_series(), title="下書き", body=BODY, live=False
        )

    assert found_titles("添付") == []
    assert lesson_ids_for_admin_search(query="添付") == [lesson.pk]


def test_suggestions_leave_out_lessons_learners_cannot_find(committed):
    with committed():
        make_text_lesson(
            series=make_series(), title="添付の下書き", body=BODY, live=False
        )

    assert lesson_title_suggestions(text="添付") == []


def test_rebuild_drops_entries_of_pages_no_longer_searchable(committed):
    with committed():
        lesson = make_text_lesson(series=make_series(), title="古い", body=BODY)
    # Changed behind the signals' back, as a bulk update or a failed task would.
    type(lesson).objects.filter(pk=lesson.pk).update(live=False)

    search_index_rebuild()

    assert found_titles("添付") == []


def test_lesson_every_signed_in_person_may_read_is_found(committed):
    # The whole site is behind sign-in, so a "signed-in users" restriction
    # keeps nobody out: the visibility rule lets every member of staff in.
    series = make_series()
    PageViewRestriction.objects.create(
        page=series, restriction_type=PageViewRestriction.LOGIN
    )

    with committed():
        make_text_lesson(series=series, title="職員向け", body=BODY)

    assert found_titles("添付") == ["職員向け"]


def test_hits_and_suggestions_the_person_may_not_see_are_dropped(
    committed, learner, editor
):
    with committed():
        lesson = make_text_lesson(series=make_series(), title="添付の手引", body=BODY)
    # A restriction the index has not caught up with yet (no signal sent).
    restriction = PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=lesson, restriction_type="groups")]
    )[0]
    restriction.groups.set(Group.objects.filter(name="編集者"))

    assert found_titles("添付", user=learner) == []
    assert lesson_title_suggestions(text="添付", user=learner) == []
    assert found_titles("添付", user=editor) == ["添付の手引"]
    assert [s.title for s in lesson_title_suggestions(text="添付", user=editor)] == [
        "添付の手引"
    ]
