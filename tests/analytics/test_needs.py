"""The needs analysis: totals, groups under the k rule, searches, hard questions,
suggested topics, and `needs_report`."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from analytics.needs import needs_analysis
from analytics.needs.quiz_items import hardest_quiz_items
from analytics.needs.searches import zero_result_searches
from analytics.needs.topics import SIGNAL_ABANDONED, SIGNAL_SEARCHED, suggested_topics
from organisation.models import JobRole, Post
from search.analysis import fold
from search.models import SearchQuery
from tests.factories import PostFactory, make_lesson, make_series

from .conftest import at_noon, make_view, rolled_up, staff

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 12)


def role_ids(*codes):
    from analytics.models import role_key

    return role_key(JobRole.objects.filter(code__in=codes).values_list("pk", flat=True))


def read(person, lesson, *, times=1, day=DAY, furthest=None):
    profile = person.staff_profile
    roles = role_ids(*profile.role_assignments.values_list("role__code", flat=True))
    for _ in range(times):
        make_view(
            lesson=lesson,
            user=person,
            at=at_noon(day),
            furthest=furthest,
            roles=roles,
            division=profile.division,
            post=profile.post,
        )


def analysis(**options):
    rolled_up(DAY)
    return needs_analysis(since=DAY, until=DAY, **options)


# Figures over the roll-ups.


@pytest.fixture
def lessons():
    series = make_series(title="標的型メール攻撃の脅威", slug="mail")
    other = make_series(title="パスワードの適切な使い方", slug="passwords")
    return (
        make_lesson(series=series, title="添付ファイルに注意", slides=4),
        make_lesson(series=series, title="報告の流れ", slides=4),
        make_lesson(series=other, title="パスフレーズ", slides=4),
    )


def test_totals_series_and_lessons_add_up(lessons):
    first, second, third = lessons
    ann = staff("ann", roles=["general"])
    bob = staff("bob", roles=["general"])
    read(ann, first, times=3, furthest=4)
    read(bob, first, furthest=1)
    read(bob, second, times=2)
    read(ann, third)

    figures = analysis().as_json()

    assert (figures["total_views"], figures["unique_viewers"]) == (7, 2)
    assert figures["series"] == [
        {
            "title": "標的型メール攻撃の脅威",
            "views": 6,
            "unique_viewers": 2,
            "completions": 0,
        },
        {
            "title": "パスワードの適切な使い方",
            "views": 1,
            "unique_viewers": 1,
            "completions": 0,
        },
    ]
    assert sum(row["views"] for row in figures["series"]) == figures["total_views"]
    lesson_rows = {row["title"]: row for row in figures["lessons"]}
    assert lesson_rows["添付ファイルに注意"]["views"] == 4
    assert lesson_rows["添付ファイルに注意"]["reached_last_share"] == 0.75


def test_a_person_with_several_roles_counts_once_under_each(lessons):
    lesson = lessons[0]
    for number in range(5):
        read(staff(f"general-{number}", roles=["general"]), lesson)
    for number in range(5):
        read(staff(f"pjmo-{number}", roles=["general", "pjmo"]), lesson)

    figures = analysis().as_json()

    by_role = {row["role"]: row for row in figures["by_role"]}
    assert by_role["一般職員"] == {
        "role": "一般職員",
        "views": 10,
        "unique_viewers": 10,
    }
    assert by_role["PJMO"] == {"role": "PJMO", "views": 5, "unique_viewers": 5}
    assert figures["total_views"] == 10


def test_groups_under_k_people_are_left_out_of_every_breakdown(lessons):
    lesson = lessons[0]
    mission = PostFactory(name="在シンガポール日本国大使館", kind=Post.Kind.MISSION)
    for number in range(6):
        read(staff(f"hq-{number}", roles=["general"]), lesson, times=3)
    lonely = staff("lonely", division="人事課", roles=["general", "regional"])
    lonely.staff_profile.post = mission
    lonely.staff_profile.save()
    read(lonely, lesson, times=9)

    figures = analysis().as_json()

    def names(key, label):
        return [row[label] for row in figures[key]]

    assert "広域担当官" not in names("by_role", "role")
    assert "人事課" not in names("by_division", "division")
    assert "在シンガポール日本国大使館" not in names("by_post", "post")
    # Hiding 人事課 alone would give it away (the total minus 総務課): so
    # 総務課 goes too.
    assert figures["by_division"] == []
    assert figures["by_division_hidden_groups"] == 2
    for key in ("by_role", "by_division", "by_post"):
        assert all(row["unique_viewers"] >= 5 for row in figures[key])


@override_settings(GOFUN_PRIVACY_MIN_GROUP_SIZE=3)
def test_breakdowns_follow_the_one_privacy_rules_k(lessons):
    for number in range(3):
        read(staff(f"ga-{number}", division="総務課", roles=["general"]), lessons[0])
        read(staff(f"ac-{number}", division="会計課", roles=["general"]), lessons[0])

    figures = analysis().as_json()

    assert figures["k"] == 3
    assert {row["division"] for row in figures["by_division"]} == {"総務課", "会計課"}


def test_people_are_counted_over_the_range_not_summed_over_days(lessons):
    lesson = lessons[0]
    person = staff("daily", roles=["general"])
    for offset in range(6):
        read(person, lesson, day=DAY + datetime.timedelta(days=offset))
    rolled_up(*(DAY + datetime.timedelta(days=n) for n in range(6)))

    figures = needs_analysis(
        since=DAY, until=DAY + datetime.timedelta(days=5)
    ).as_json()

    assert (figures["total_views"], figures["unique_viewers"]) == (6, 1)
    assert figures["by_role"] == []  # one person, six days: still one person


def test_drop_off_shows_the_share_of_views_reaching_each_slide(lessons, learner):
    lesson = lessons[0]
    for furthest in (1, 2, 4, 4):
        make_view(lesson=lesson, user=learner, at=at_noon(DAY), furthest=furthest)

    dropoff = analysis(lesson_id=lesson.pk).dropoff

    assert [(row["slide"], row["views_reached"]) for row in dropoff.slides] == [
        (1, 4),
        (2, 3),
        (3, 2),
        (4, 2),
    ]
    assert [row["share"] for row in dropoff.slides] == [1, 0.75, 0.5, 0.5]
    assert dropoff.slides[0]["title"] == "スライド1"


def test_views_over_time_follow_the_range_by_day_week_or_month(lessons, learner):
    lesson = lessons[0]
    make_view(lesson=lesson, user=learner, at=at_noon(DAY))
    make_view(lesson=lesson, user=learner, at=at_noon(DAY + datetime.timedelta(3)))
    rolled_up(DAY, DAY + datetime.timedelta(3))

    short = needs_analysis(since=DAY, until=DAY + datetime.timedelta(6))
    year = needs_analysis(
        since=DAY - datetime.timedelta(300), until=DAY + datetime.timedelta(3)
    )

    assert short.timeline.unit == "day"
    assert short.timeline.totals == [1, 0, 0, 1, 0, 0, 0]
    assert year.timeline.unit == "month"
    assert year.timeline.totals[-1] == 2


# Searches without results.


def search_log(query, times, *, found=0, day=DAY):
    """Searches as search logs them (folded, at the hour)."""
    SearchQuery.objects.bulk_create(
        SearchQuery(
            query=query,
            query_folded=fold(query),
            result_count=found,
            searched_at=at_noon(day),
        )
        for _ in range(times)
    )


def test_searches_differing_in_width_or_case_are_one():
    search_log("ＵＳＢ 持ち出し", 3)
    search_log("usb 持ち出し", 2)
    search_log("USB　持ち出し", 1)
    search_log("USB 持ち出し", 5, found=2)  # found something: not counted

    [missed] = zero_result_searches(since=DAY, until=DAY)

    assert (missed.query, missed.searches) == ("usb 持ち出し", 6)


def test_searches_outside_the_range_are_left_out():
    search_log("電子決裁", 2, day=DAY - datetime.timedelta(days=1))

    assert zero_result_searches(since=DAY, until=DAY) == []


# Suggested topics.


def test_a_lesson_abandoned_more_than_others_is_a_topic_with_its_evidence(lessons):
    easy, hard, _ = lessons
    lesson_rows = [
        {
            "lesson_id": easy.pk,
            "lesson": easy.title,
            "reached_last_share": 0.9,
            "views_tracked": 100,
        },
        {
            "lesson_id": hard.pk,
            "lesson": hard.title,
            "reached_last_share": 0.4,
            "views_tracked": 100,
        },
    ]

    [topic] = suggested_topics(
        lessons=lesson_rows,
        views_tracked=200,
        reached_last=130,
        hard_items=[],
        missed_searches=[],
    )

    assert topic.title == hard.title
    assert topic.signals == [SIGNAL_ABANDONED]
    assert "60%" in topic.evidence[0]["text"]


def test_a_missed_search_joins_the_lesson_it_names_or_stands_alone(lessons):
    search_log("パスフレーズ 作り方", 4)
    search_log("電子決裁", 3)
    third = lessons[2]
    rows = [
        {
            "lesson_id": third.pk,
            "lesson": third.title,
            "reached_last_share": None,
            "views_tracked": 0,
        }
    ]

    topics = suggested_topics(
        lessons=rows,
        views_tracked=0,
        reached_last=0,
        hard_items=[],
        missed_searches=zero_result_searches(since=DAY, until=DAY),
    )

    assert [(topic.title, topic.kind) for topic in topics] == [
        ("パスフレーズ", "lesson"),
        ("電子決裁", "search"),
    ]
    assert topics[0].signals == [SIGNAL_SEARCHED]


# needs_report.


def report(*arguments) -> dict:
    output = StringIO()
    call_command("needs_report", *arguments, "--json", stdout=output)
    return json.loads(output.getvalue())


def test_needs_report_prints_the_figures_as_json(lessons):
    read(staff("ann", roles=["general"]), lessons[0], times=2)
    search_log("ＵＳＢ", 2, day=timezone.localdate())

    figures = report("--since", DAY.isoformat())

    assert figures["total_views"] == 2
    assert figures["unique_viewers"] == 1
    assert {
        "series",
        "by_role",
        "by_division",
        "by_post",
        "zero_result_queries",
        "hardest_items",
        "suggested_topics",
    } <= set(figures)
    assert figures["zero_result_queries"][0]["query"] == "usb"


def test_needs_report_counts_todays_views_without_waiting_for_the_night(lessons):
    make_view(lesson=lessons[0], user=staff("today", roles=["general"]))

    assert report()["total_views"] == 1


@pytest.mark.parametrize(
    "arguments",
    [
        ["--since", "2026-13-01"],
        ["--until", "not-a-date"],
        ["--since", "2026-06-10", "--until", "2026-06-01"],
        ["--since", "1900-01-01"],
    ],
)
def test_needs_report_refuses_bad_dates_with_status_2_and_a_reason(arguments):
    with pytest.raises(CommandError) as refusal:
        call_command("needs_report", *arguments, "--json", stdout=StringIO())

    assert refusal.value.returncode == 2
    assert str(refusal.value)


# Hardest quiz questions, from item analysis.


def answer_all_but(attempt, text: str) -> dict[int, list[int]]:
    from tests.quizzes.conftest import right_answers, wrong_answers

    keys = {block.id for block in attempt.quiz.questions if block.value["text"] == text}
    right, wrong = right_answers(attempt), wrong_answers(attempt)
    return {
        question.position: wrong[question.position]
        if question.question_key in keys
        else right[question.position]
        for question in attempt.questions.all()
    }


def checkpoint_taken(lesson, *, takers: int, getting_wrong: str):
    """A checkpoint drawing the four common questions, taken today by
    `takers` people who answer all but one question right."""
    from quizzes.services import attempt_start, attempt_submit
    from tests.quizzes.conftest import make_checkpoint

    checkpoint = make_checkpoint(lesson=lesson, questions_per_attempt=4)
    for number in range(takers):
        person = staff(f"taker-{number}", roles=["general"])
        attempt = attempt_start(checkpoint=checkpoint, user=person)
        attempt_submit(
            attempt_id=attempt.pk,
            user=person,
            answers=answer_all_but(attempt, getting_wrong),
        )


def test_the_hardest_questions_of_the_range_come_first(lessons):
    checkpoint_taken(lessons[0], takers=12, getting_wrong="共通問題4")
    today = timezone.localdate()

    items = hardest_quiz_items(since=today, until=today)
    earlier = hardest_quiz_items(
        since=today - datetime.timedelta(days=30),
        until=today - datetime.timedelta(days=1),
    )

    assert (items[0].question, items[0].answers, items[0].facility) == (
        "共通問題4",
        12,
        0,
    )
    assert items[0].lesson == lessons[0].title
    assert all(item.facility == 1 for item in items[1:])
    assert earlier == []


def test_questions_answered_too_rarely_to_say_are_left_out(lessons):
    checkpoint_taken(lessons[0], takers=4, getting_wrong="共通問題4")
    today = timezone.localdate()

    assert hardest_quiz_items(since=today, until=today) == []
