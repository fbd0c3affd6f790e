"""Demo views: a year of reading by the simulated staff, rolled up.

44,261 views — the seed deck's count over its twelve series — spread over
the past year by the 240 simulated staff, so that the dashboard tells a
story on first run:

- what people read follows who they are: PJMO read project management and
  procurement, LAN・IT機器担当 and 広域担当官 their own series, staff at
  missions telework and targeted email, personnel division document
  management; mandatory series are read by everyone, most in the security
  month (about four months ago), and AI basics gains readers all year;
- staff read on working days, in office hours, more in April (new staff);
- views drop off slide by slide, more in some lessons (procurement's second
  lesson, AI basics after its fourth slide) than in others, and less among
  the roles a series is aimed at; about one view in twenty comes from a
  browser without JavaScript (slide and time unknown);
- each simulated checkpoint attempt (quizzes' demo) follows a view of its
  lesson that reached the last slide;
- the search log gets searches that found nothing (ＵＳＢ and usb among
  them, folded as search logs them) beside ones that did.

Seeded, bulk-inserted and rolled up at once; a second load adds nothing.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict

from django.utils import timezone

from learning_series.models import LessonPage
from organisation.demo import simulated_staff
from organisation.models import Division, JobRole, Post, RoleAssignment, StaffProfile
from organisation.roles import LAN_IT_OFFICER, PROJECT_MANAGER, REGIONAL_IT_OFFICER
from quizzes.models import Attempt
from search.analysis import fold
from search.models import SearchQuery

from .bulk import insert_rows
from .models import VIEW_FIELDS, LessonView, role_key
from .rollups import days_between, rollup_days
from .services import new_view_id

TOTAL_VIEWS = 44_261
DAYS = 365
NO_JAVASCRIPT_SHARE = 0.05
JUMP_TO_END_SHARE = 0.04

# How much each series is read, before who reads it changes that.
SERIES_WEIGHT = {
    "information-security": 1.6,
    "targeted-email": 1.4,
    "document-management": 1.3,
    "information-protection": 1.2,
    "ai-basics": 1.2,
    "passwords": 1.1,
    "cybersecurity": 1.0,
    "telework-threats": 0.8,
    "external-services": 0.6,
    "it-procurement": 0.5,
    "pjmo-basics": 0.15,
    "lan-it-officer": 0.15,
}
MANDATORY = {"information-security", "document-management", "information-protection"}
ROLE_INTEREST = {
    PROJECT_MANAGER: {"pjmo-basics": 14, "it-procurement": 4, "external-services": 1.5},
    LAN_IT_OFFICER: {
        "lan-it-officer": 12,
        "external-services": 3,
        "it-procurement": 1.5,
        "cybersecurity": 1.3,
    },
    REGIONAL_IT_OFFICER: {"lan-it-officer": 10, "telework-threats": 1.5},
}
MISSION_INTEREST = {
    "telework-threats": 2.5,
    "targeted-email": 1.4,
    "document-management": 0.7,
}
DIVISION_INTEREST = {
    "it-governance": {"cybersecurity": 1.5, "ai-basics": 1.5, "external-services": 1.5},
    "personnel": {"document-management": 1.6, "information-protection": 1.3},
    "accounting": {"it-procurement": 2.0},
    "general-affairs": {"document-management": 1.4},
    "consular-policy": {"information-protection": 1.5},
}
DIVISION_ACTIVITY = {"consular-policy": 0.6, "it-governance": 1.3}
# Chance of stopping at each next slide; some lessons lose more readers.
STOPPING = {
    "it-procurement-2": 0.11,
    "ai-basics-1": 0.05,
    "information-protection-1": 0.07,
    "pjmo-basics-1": 0.06,
}
STOPPING_DEFAULT = 0.035
# AI basics loses readers after its fourth slide.
STOPPING_AFTER = {"ai-basics-1": (4, 0.16)}

ZERO_RESULT_SEARCHES = [
    ("ＵＳＢ 持ち出し", 18),
    ("usb 持ち出し", 11),
    ("USB 持ち出し", 7),
    ("生成AI 議事録", 14),
    ("マイナンバー 取扱い", 12),
    ("電子決裁", 10),
    ("テレワーク 印刷", 9),
    ("パスワード 忘れた", 9),
    ("Teams 外部共有", 8),
    ("ｔｅａｍｓ 外部共有", 5),
    ("SNS 投稿", 7),
    ("私物スマホ", 7),
    ("BYOD", 6),
    ("ISMAP 申請", 4),
    ("庁舎 入館証", 2),
]
FOUND_SEARCHES = [
    ("標的型メール", 31, 2),
    ("パスワード", 25, 1),
    ("ランサムウェア", 14, 1),
    ("VPN", 12, 1),
    ("文書管理", 11, 1),
    ("クラウド", 9, 2),
    ("調達", 8, 2),
    ("PJMO", 6, 1),
]


def _day_weight(day: datetime.date) -> float:
    weight = {5: 0.08, 6: 0.05}.get(day.weekday(), 1.0)
    if day.month == 4:
        weight *= 1.5  # new staff arrive in April
    return weight


def _lesson_weights(person: dict, lessons: list[dict]) -> list[float]:
    weights = []
    for lesson in lessons:
        series = lesson["series_slug"]
        weight = SERIES_WEIGHT.get(series, 0.5) * lesson["order_weight"]
        for code in person["roles"]:
            weight *= ROLE_INTEREST.get(code, {}).get(series, 1)
        if person["mission"]:
            weight *= MISSION_INTEREST.get(series, 1)
        weight *= DIVISION_INTEREST.get(person["division_code"], {}).get(series, 1)
        weights.append(weight)
    return weights


def _season(lesson: dict, *, progress: float, campaign: bool) -> float:
    series = lesson["series_slug"]
    if series in MANDATORY and campaign:
        return 3.0
    if series == "ai-basics":
        return 0.4 + 1.2 * progress
    return 1.0


def _reading(lesson: dict, person: dict, rng: random.Random) -> tuple:
    """(furthest, read through, seconds) of one view with JavaScript."""
    slides = lesson["slides"]
    stopping = STOPPING.get(lesson["slug"], STOPPING_DEFAULT)
    if set(person["roles"]) & lesson["target_roles"] and lesson["niche"]:
        stopping *= 0.6
    furthest = 1
    while furthest < slides:
        chance = stopping
        after = STOPPING_AFTER.get(lesson["slug"])
        if after and furthest == after[0]:
            chance = after[1]
        if rng.random() < chance:
            break
        furthest += 1
    through = furthest
    if furthest < slides and rng.random() < JUMP_TO_END_SHARE:
        furthest = slides  # pressed End: saw the end without reading through
    per_slide = lesson["reading_seconds"] / max(slides, 1)
    seconds = round(5 + per_slide * through * rng.lognormvariate(0, 0.35))
    return furthest, through, seconds


def _people(day_of_loading: datetime.date) -> list[dict]:
    staff = simulated_staff()
    if not staff:
        return []
    profiles = {
        profile["user_id"]: profile
        for profile in StaffProfile.objects.filter(user__in=staff).values(
            "pk", "user_id", "division_id", "post_id", "joined_on"
        )
    }
    divisions = dict(Division.objects.values_list("pk", "code"))
    missions = set(
        Post.objects.filter(kind=Post.Kind.MISSION).values_list("pk", flat=True)
    )
    codes = dict(JobRole.objects.values_list("pk", "code"))
    held = defaultdict(list)
    for profile_id, role_id, started_on, ended_on in RoleAssignment.objects.filter(
        profile_id__in=[profile["pk"] for profile in profiles.values()]
    ).values_list("profile_id", "role_id", "started_on", "ended_on"):
        held[profile_id].append((role_id, started_on, ended_on))
    rng = random.Random("gofun-demo-readers")  # noqa: S311 -- demo data
    people = []
    for user in staff:
        profile = profiles.get(user.pk)
        if profile is None:
            continue
        division_code = divisions.get(profile["division_id"], "")
        joined = profile["joined_on"] or day_of_loading - datetime.timedelta(days=3650)
        activity = rng.lognormvariate(0, 0.7) * DIVISION_ACTIVITY.get(division_code, 1)
        if (day_of_loading - joined).days <= 120:
            activity *= 1.5
        people.append(
            {
                "user_id": user.pk,
                "division_id": profile["division_id"],
                "division_code": division_code,
                "post_id": profile["post_id"],
                "mission": profile["post_id"] in missions,
                "joined": joined,
                "held": held[profile["pk"]],
                "roles": [codes[role_id] for role_id, _, _ in held[profile["pk"]]],
                "activity": activity,
            }
        )
    return people


def _lessons() -> list[dict]:
    lessons = []
    series_of = {}
    for lesson in LessonPage.objects.live().order_by("path"):
        parent = lesson.get_parent().specific
        series_of.setdefault(parent.pk, 0)
        series_of[parent.pk] += 1
        target_roles = set(parent.target_roles.values_list("code", flat=True))
        lessons.append(
            {
                "id": lesson.pk,
                "slug": lesson.slug,
                "series_id": parent.pk,
                "series_slug": parent.slug,
                "revision_id": lesson.live_revision_id,
                "slides": lesson.slide_count,
                "reading_seconds": lesson.reading_seconds,
                # Fewer read on to a series' second lesson than its first.
                "order_weight": 1 / series_of[parent.pk] ** 0.8,
                "target_roles": target_roles,
                "niche": "general" not in target_roles,
            }
        )
    return lessons


def _roles_on(person: dict, day: datetime.date) -> str:
    return role_key(
        role_id
        for role_id, started_on, ended_on in person["held"]
        if started_on <= day and (ended_on is None or ended_on >= day)
    )


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A time of day in office hours (never later than now)."""
    hour = rng.choices(
        range(8, 20), weights=[2, 6, 8, 9, 12, 9, 8, 8, 7, 6, 3, 1], k=1
    )[0]
    moment = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60)))
        + datetime.timedelta(seconds=rng.randrange(60))
    )
    now = timezone.now()
    if moment > now:
        moment = now - datetime.timedelta(seconds=rng.randrange(1, 3600))
    return moment


def _view(*, person: dict, lesson: dict, at: datetime.datetime, reading) -> tuple:
    """A view event as a row of VIEW_FIELDS."""
    furthest, through, seconds = reading or (None, None, None)
    return (
        new_view_id(now=at),
        person["user_id"],
        lesson["id"],
        lesson["series_id"],
        lesson["revision_id"],
        at,
        lesson["slides"],
        furthest,
        through,
        seconds,
        _roles_on(person, timezone.localdate(at)),
        person["division_id"],
        person["post_id"],
    )


def _unique_ids(views: list[tuple]) -> list[tuple]:
    """The rows, an id made twice in one millisecond moved on by one."""
    seen: set[int] = set()
    rows = []
    for row in views:
        view_id = row[0]
        while view_id in seen:
            view_id += 1
        seen.add(view_id)
        rows.append((view_id, *row[1:]))
    return rows


def _views_before_attempts(people, lessons, rng) -> list[tuple]:
    """A view that reached the end before each simulated checkpoint attempt."""
    by_user = {person["user_id"]: person for person in people}
    by_lesson = {lesson["id"]: lesson for lesson in lessons}
    views = []
    for user_id, lesson_id, started_at in Attempt.objects.filter(
        user_id__in=by_user, checkpoint__lesson__isnull=False
    ).values_list("user_id", "checkpoint__lesson_id", "started_at"):
        lesson = by_lesson.get(lesson_id)
        person = by_user[user_id]
        # quizzes' demo dates attempts without regard to joining dates
        if lesson is None or timezone.localdate(started_at) < person["joined"]:
            continue
        slides = lesson["slides"]
        at = started_at - datetime.timedelta(minutes=rng.uniform(4, 12))
        seconds = round(lesson["reading_seconds"] * rng.lognormvariate(0, 0.25))
        views.append(
            _view(
                person=person,
                lesson=lesson,
                at=at,
                reading=(slides, slides, seconds),
            )
        )
    return views


def _searches(today: datetime.date, rng: random.Random) -> list[SearchQuery]:
    def hour(days_ago_limit: int) -> datetime.datetime:
        day = today - datetime.timedelta(days=rng.randrange(days_ago_limit))
        # The query log keeps the hour only (search.services).
        return _moment(day, rng).replace(minute=0, second=0, microsecond=0)

    entries = [
        SearchQuery(
            query=query,
            query_folded=fold(query),
            result_count=0,
            searched_at=hour(DAYS),
        )
        for query, count in ZERO_RESULT_SEARCHES
        for _ in range(count)
    ]
    entries += [
        SearchQuery(
            query=query,
            query_folded=fold(query),
            result_count=results,
            searched_at=hour(DAYS),
        )
        for query, count, results in FOUND_SEARCHES
        for _ in range(count)
    ]
    return entries


def analytics_demo_load(report) -> None:
    """A year of simulated views, rolled up, and a search log to go with it."""
    people = _people(timezone.localdate())
    lessons = _lessons()
    if not people or not lessons:
        return
    if LessonView.objects.filter(user_id__in=[p["user_id"] for p in people]).exists():
        return
    rng = random.Random("gofun-demo-views")  # noqa: S311 -- demo data
    today = timezone.localdate()
    first = today - datetime.timedelta(days=DAYS - 1)
    days = days_between(first, today)
    campaign = (
        today - datetime.timedelta(days=150),
        today - datetime.timedelta(days=120),
    )

    views = _views_before_attempts(people, lessons, rng)
    base_weights = {p["user_id"]: _lesson_weights(p, lessons) for p in people}
    day_weights = [_day_weight(day) for day in days]
    remaining = TOTAL_VIEWS - len(views)
    views_per_day = Counter(rng.choices(days, weights=day_weights, k=remaining))
    for day in days:
        if not views_per_day[day]:
            continue
        readers = [person for person in people if person["joined"] <= day] or people
        progress = (day - first).days / DAYS
        in_campaign = campaign[0] <= day <= campaign[1]
        season = [
            _season(lesson, progress=progress, campaign=in_campaign)
            for lesson in lessons
        ]
        for person in rng.choices(
            readers, weights=[p["activity"] for p in readers], k=views_per_day[day]
        ):
            weights = [
                weight * factor
                for weight, factor in zip(
                    base_weights[person["user_id"]], season, strict=True
                )
            ]
            lesson = rng.choices(lessons, weights=weights, k=1)[0]
            reading = (
                None
                if rng.random() < NO_JAVASCRIPT_SHARE
                else _reading(lesson, person, rng)
            )
            views.append(
                _view(
                    person=person,
                    lesson=lesson,
                    at=_moment(day, rng),
                    reading=reading,
                )
            )

    insert_rows(LessonView, VIEW_FIELDS, _unique_ids(views))
    report.created[str(LessonView._meta.verbose_name_plural)] = len(views)
    searches = _searches(today, rng)
    SearchQuery.objects.bulk_create(searches, batch_size=2000)
    report.created[str(SearchQuery._meta.verbose_name_plural)] = len(searches)
    earliest = min(timezone.localdate(view[5]) for view in views)
    rollup_days(days=days_between(min(earliest, first), today))
