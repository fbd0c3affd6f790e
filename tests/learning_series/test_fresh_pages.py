"""The lesson, series and home pages serve cached routes, pages and shared
fragments: after a publish, an unpublish, a move, a material revision, a
view-restriction change or a checkpoint publish the next request shows the
change; one learner's standing never shows on another's page; and each page
reads at most eight queries, the view event included. Each test runs on
local memory and on Redis (tests/caches.py)."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cms.organisation import EDITORS_GROUP
from learning_series.models import LessonPage, SeriesPage
from quizzes.services import attempt_start, attempt_submit
from tests.factories import make_lesson, make_series, read_to_end
from tests.quizzes.conftest import make_checkpoint, right_answers, seeded

pytestmark = pytest.mark.django_db


@pytest.fixture
def series():
    return make_series(title="標的型メール攻撃の脅威", slug="mail")


@pytest.fixture
def lessons(series):
    return [
        make_lesson(series=series, title=title)
        for title in ("添付ファイルに注意", "差出人を確かめる", "報告の手順")
    ]


def browser_of(client, user) -> Client:
    """`user`'s own browser, signed in once: their stored copies of pages
    (cms.page_caching.PersonalPageCacheMixin) are what it is served."""
    browsers = client.__dict__.setdefault("_gofun_browsers", {})
    if user.pk not in browsers:
        browsers[user.pk] = Client()
        browsers[user.pk].force_login(user)
    return browsers[user.pk]


def page_text(client, user, url) -> str:
    response = browser_of(client, user).get(url)
    assert response.status_code == 200
    return response.content.decode().replace("<wbr>", "")


def served_stored(client, user, url) -> bool:
    """Whether the person's next request for `url` is served their stored
    copy (not built from the template)."""
    return browser_of(client, user).get(url).context is None


def republish(page, **changes):
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def restrict_to_editors(page):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name=EDITORS_GROUP))
    return restriction


# After a publish -------------------------------------------------------------


def test_lesson_page_shows_a_new_revision_at_once(
    client, learner, lessons, shared_cache
):
    lesson = lessons[1]
    assert "差出人を確かめる" in page_text(client, learner, lesson.url)
    assert served_stored(client, learner, lesson.url)

    republish(lesson, title="差出人のアドレスを確かめる", summary="改訂した要約")

    html = page_text(client, learner, lesson.url)
    assert "差出人のアドレスを確かめる" in html
    assert "改訂した要約" in html


def test_neighbours_show_a_renamed_lesson_at_once(
    client, learner, lessons, shared_cache
):
    assert "添付ファイルに注意" in page_text(client, learner, lessons[1].url)

    republish(lessons[0], title="添付ファイルを開く前に")

    html = page_text(client, learner, lessons[1].url)
    assert "添付ファイルを開く前に" in html
    assert "添付ファイルに注意" not in html


def test_series_page_lists_a_newly_published_lesson(
    client, learner, series, lessons, shared_cache
):
    assert "不審メールの実例" not in page_text(client, learner, series.url)

    make_lesson(series=series, title="不審メールの実例")

    assert "不審メールの実例" in page_text(client, learner, series.url)


def test_series_page_shows_its_own_new_revision(
    client, learner, series, lessons, shared_cache
):
    page_text(client, learner, series.url)

    republish(series, title="標的型メールに備える")

    assert "標的型メールに備える" in page_text(client, learner, series.url)


def test_home_page_lists_a_newly_published_series(
    client, learner, lessons, shared_cache
):
    assert "クラウドサービスの利用" not in page_text(client, learner, "/")

    make_lesson(series=make_series(title="クラウドサービスの利用"), title="規程")

    assert "クラウドサービスの利用" in page_text(client, learner, "/")


# After an unpublish ----------------------------------------------------------


def test_an_unpublished_lesson_is_gone_from_every_page(
    client, learner, series, lessons, shared_cache
):
    for url in (lessons[1].url, lessons[0].url, series.url):
        assert "差出人を確かめる" in page_text(client, learner, url)

    LessonPage.objects.get(pk=lessons[1].pk).unpublish()

    assert browser_of(client, learner).get(lessons[1].url).status_code == 404
    assert "差出人を確かめる" not in page_text(client, learner, lessons[0].url)
    assert "差出人を確かめる" not in page_text(client, learner, series.url)


def test_an_unpublished_series_hides_its_lessons(
    client, learner, series, lessons, shared_cache
):
    assert "標的型メール攻撃の脅威" in page_text(client, learner, "/")
    page_text(client, learner, lessons[0].url)

    SeriesPage.objects.get(pk=series.pk).unpublish()

    assert browser_of(client, learner).get(lessons[0].url).status_code == 404
    assert browser_of(client, learner).get(series.url).status_code == 404
    assert "標的型メール攻撃の脅威" not in page_text(client, learner, "/")


# After a move ----------------------------------------------------------------


def test_a_moved_lesson_is_served_at_its_new_address_only(
    client, learner, series, lessons, shared_cache
):
    other = make_series(title="テレワークの脅威", slug="telework")
    old_url = lessons[2].url
    assert "報告の手順" in page_text(client, learner, old_url)
    assert "報告の手順" in page_text(client, learner, series.url)

    LessonPage.objects.get(pk=lessons[2].pk).move(other, pos="last-child")
    moved = LessonPage.objects.get(pk=lessons[2].pk)

    assert moved.url != old_url
    old = browser_of(client, learner).get(
        old_url
    )  # Wagtail's redirects send the old address on
    assert old.status_code != 200
    assert old.status_code == 404 or old["Location"] == moved.url
    html = page_text(client, learner, moved.url)
    assert "テレワークの脅威" in html  # the breadcrumb names the new series
    assert "差出人を確かめる" not in html  # nor are the old neighbours shown
    assert "報告の手順" not in page_text(client, learner, series.url)
    assert "報告の手順" in page_text(client, learner, other.url)


# After a view-restriction change --------------------------------------------


def test_a_new_restriction_hides_the_lesson_at_once(
    client, learner, series, lessons, shared_cache
):
    for url in (lessons[1].url, lessons[0].url, series.url):
        page_text(client, learner, url)

    restrict_to_editors(lessons[1])

    assert browser_of(client, learner).get(lessons[1].url).status_code == 404
    assert "差出人を確かめる" not in page_text(client, learner, lessons[0].url)
    assert "差出人を確かめる" not in page_text(client, learner, series.url)


def test_a_removed_restriction_shows_the_lesson_at_once(
    client, learner, series, lessons, shared_cache
):
    restriction = restrict_to_editors(lessons[1])
    assert browser_of(client, learner).get(lessons[1].url).status_code in (302, 404)
    assert "差出人を確かめる" not in page_text(client, learner, series.url)

    restriction.delete()

    assert "差出人を確かめる" in page_text(client, learner, lessons[1].url)
    assert "差出人を確かめる" in page_text(client, learner, series.url)


def test_joining_the_group_of_a_restriction_shows_the_lesson(
    client, learner, series, lessons, shared_cache
):
    restrict_to_editors(lessons[1])
    assert "差出人を確かめる" not in page_text(client, learner, series.url)

    learner.groups.add(Group.objects.get(name=EDITORS_GROUP))

    assert "差出人を確かめる" in page_text(client, learner, series.url)
    assert "差出人を確かめる" in page_text(client, learner, lessons[1].url)


# After a checkpoint publish and a material revision -------------------------


def test_a_published_checkpoint_replaces_reading_to_the_end(
    client, learner, lessons, shared_cache
):
    lesson = lessons[0]
    read_url = reverse("training:lesson_read", kwargs={"lesson_id": lesson.pk})
    assert read_url in page_text(client, learner, lesson.url)

    checkpoint = make_checkpoint(lesson=lesson)

    html = page_text(client, learner, lesson.url)
    start_url = reverse(
        "quizzes:attempt_start", kwargs={"checkpoint_id": checkpoint.pk}
    )
    assert start_url in html
    assert read_url not in html


def test_an_unpublished_checkpoint_leaves_the_page(
    client, learner, lessons, shared_cache
):
    lesson = lessons[0]
    checkpoint = make_checkpoint(lesson=lesson)
    start_url = reverse(
        "quizzes:attempt_start", kwargs={"checkpoint_id": checkpoint.pk}
    )
    assert start_url in page_text(client, learner, lesson.url)

    checkpoint.unpublish()

    assert start_url not in page_text(client, learner, lesson.url)


def test_a_material_revision_reopens_a_passed_checkpoint_at_once(
    client, learner, lessons, shared_cache, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    lesson = lessons[0]
    checkpoint = make_checkpoint(lesson=lesson)
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(1))
    attempt_submit(attempt_id=attempt.pk, user=learner, answers=right_answers(attempt))
    start_url = reverse(
        "quizzes:attempt_start", kwargs={"checkpoint_id": checkpoint.pk}
    )
    assert start_url not in page_text(client, learner, lesson.url)

    with django_capture_on_commit_callbacks(execute=True):
        republish(
            lesson,
            summary="格付けの説明を改めた",
            material_change=True,
            material_change_reason="基準の改定",
        )

    html = page_text(client, learner, lesson.url)
    assert "格付けの説明を改めた" in html
    assert start_url in html


# Nobody sees another person's panel -----------------------------------------


def test_one_learners_reading_record_never_shows_on_anothers_page(
    client, learner, lessons, shared_cache
):
    from tests.factories import StaffProfileFactory

    other = StaffProfileFactory(user__username="other", roles=["general"]).user
    lesson = lessons[0]
    read_to_end(lesson=lesson, user=learner)
    read_url = reverse("training:lesson_read", kwargs={"lesson_id": lesson.pk})

    assert read_url not in page_text(client, learner, lesson.url)
    assert read_url in page_text(client, other, lesson.url)
    assert read_url not in page_text(client, learner, lesson.url)


def test_one_learners_attempts_never_show_on_anothers_page(
    client, learner, lessons, shared_cache
):
    from tests.factories import StaffProfileFactory

    other = StaffProfileFactory(user__username="other", roles=["general"]).user
    checkpoint = make_checkpoint(lesson=lessons[0])
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(1))
    attempt_submit(attempt_id=attempt.pk, user=learner, answers=right_answers(attempt))
    attempt_url = reverse("quizzes:attempt", kwargs={"attempt_id": attempt.pk})
    start_url = reverse(
        "quizzes:attempt_start", kwargs={"checkpoint_id": checkpoint.pk}
    )

    mine = page_text(client, learner, lessons[0].url)
    theirs = page_text(client, other, lessons[0].url)

    assert attempt_url in mine and start_url not in mine
    assert attempt_url not in theirs and start_url in theirs


def test_a_restricted_neighbour_seen_by_an_editor_is_not_shown_to_a_learner(
    client, learner, editor, series, lessons, shared_cache
):
    restrict_to_editors(lessons[1])

    for url in (lessons[0].url, series.url):
        assert "差出人を確かめる" in page_text(client, editor, url)
    for url in (lessons[0].url, series.url):
        assert "差出人を確かめる" not in page_text(client, learner, url)
    assert "報告の手順" in page_text(client, learner, lessons[0].url)


# Queries ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ["lesson", "series", "home"])
def test_each_page_reads_at_most_eight_queries_with_view_logging_on(
    client, learner, series, lessons, settings, django_assert_max_num_queries, page
):
    settings.GOFUN_VIEW_LOGGING = True
    url = {"lesson": lessons[1].url, "series": series.url, "home": "/"}[page]
    client.force_login(learner)
    client.get(url)  # the first request fills the caches

    with django_assert_max_num_queries(8):
        response = client.get(url)

    assert response.status_code == 200
