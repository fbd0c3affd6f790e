"""The database refuses the site's writes to the view table while a learner
reads and takes a checkpoint: the pages still serve, the views are lost at
most, and the completion ledger loses nothing and gains what was earned."""

from __future__ import annotations

import pytest

from e2e.learners import learner_with_a_checkpoint

LEDGER = (
    "SELECT count(*), coalesce(max(id), 0), "
    "md5(coalesce(string_agg(t::text, '|' ORDER BY id), '')) "
    "FROM quizzes_completionrecord t WHERE id <= %s"
)


def app_role(stack) -> str:
    return stack.env["DATABASE_URL"].split("//", 1)[1].split("@", 1)[0]


def views_of(stack, learner) -> int:
    return stack.sql(
        "SELECT count(*) FROM analytics_lessonview "
        "WHERE user_id = %s AND lesson_id = %s",
        learner.user_id,
        learner.lesson_id,
    )[0][0]


def passes_of(stack, learner) -> int:
    return stack.sql(
        "SELECT count(*) FROM quizzes_completionrecord r "
        "JOIN quizzes_attempt a ON a.id = r.attempt_id "
        "WHERE a.user_id = %s AND a.checkpoint_id = %s AND a.passed",
        learner.user_id,
        learner.checkpoint_id,
    )[0][0]


@pytest.fixture
def views_refused(stack):
    """The app role may not INSERT into the view table until the test ends."""
    role = app_role(stack)
    stack.sql(f'REVOKE INSERT ON analytics_lessonview FROM "{role}"')
    yield
    stack.sql(f'GRANT INSERT ON analytics_lessonview TO "{role}"')


def test_a_learner_reads_and_passes_while_view_writes_are_refused(stack, views_refused):
    learner = learner_with_a_checkpoint(stack, skip=0)
    highest = stack.sql("SELECT coalesce(max(id), 0) FROM quizzes_completionrecord")
    ledger_before = stack.sql(LEDGER, highest[0][0])
    views_before = views_of(stack, learner)

    page = learner.get(learner.lesson_url)
    attempt_id = learner.start_attempt()
    result = learner.submit(attempt_id, right=True)

    assert page.status_code == 200
    assert 'id="checkpoint"' in page.text
    assert result.status_code == 200
    assert views_of(stack, learner) == views_before  # lost, as the log says
    assert passes_of(stack, learner) == 1
    # The rows that were there are there, unchanged.
    assert stack.sql(LEDGER, highest[0][0]) == ledger_before


def test_views_are_counted_again_once_the_database_takes_them(stack):
    learner = learner_with_a_checkpoint(stack, skip=1)
    role = app_role(stack)
    views_before = views_of(stack, learner)
    stack.sql(f'REVOKE INSERT ON analytics_lessonview FROM "{role}"')
    try:
        refused = learner.get(learner.lesson_url)
    finally:
        stack.sql(f'GRANT INSERT ON analytics_lessonview TO "{role}"')

    taken = learner.get(learner.lesson_url)

    assert refused.status_code == 200
    assert taken.status_code == 200
    assert views_of(stack, learner) == views_before + 1


LEARNER_PAGES = ["/", "/training/records/", "/search/?q=VPN"]


def test_pages_serve_while_the_role_is_read_only(stack):
    learner = learner_with_a_checkpoint(stack, skip=0)
    role = app_role(stack)
    views_before = views_of(stack, learner)
    searches_before = stack.sql("SELECT count(*) FROM gofun_search_searchquery")
    stack.sql(
        f'REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM "{role}"'
    )
    try:
        answers = {
            path: learner.get(path).status_code
            for path in [learner.lesson_url, *LEARNER_PAGES]
        }
    finally:
        stack.sql(
            f'GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'
        )

    assert set(answers.values()) == {200}, answers
    assert views_of(stack, learner) == views_before
    assert stack.sql("SELECT count(*) FROM gofun_search_searchquery") == searches_before
