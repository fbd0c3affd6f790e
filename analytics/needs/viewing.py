"""Figures about viewing over a range of days: from the daily roll-ups, and
distinct people from the raw events while they are kept.

Every figure comes from a fixed number of grouped queries whatever the size
of the range: sums of the roll-ups by lesson, by group and by day, and one
DISTINCT over the raw events (people per lesson and group), which holds a
few rows per person.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Sum
from django.utils.translation import gettext as _
from wagtail.models import Page

from organisation.models import Division, JobRole, Post
from training.permissions import large_groups_only

from ..models import LessonDayRollup, RollupDay, SlideReachDay, role_ids_of
from ..viewers import viewers_between


@dataclass
class GroupFigures:
    key: object
    name: str
    views: int = 0
    people: int = 0
    # The largest daily count of people, a floor where raw events are gone.
    people_floor: int = 0

    @property
    def people_counted(self) -> int:
        return max(self.people, self.people_floor)

    @property
    def views_per_person(self) -> float | None:
        return self.views / self.people if self.people else None


@dataclass(frozen=True)
class Shown:
    """The groups of a breakdown that may be shown, and how many are not."""

    groups: list
    hidden: int


def shown(groups: list[GroupFigures]) -> Shown:
    """The one privacy rule (training.permissions): no group of fewer than k
    people, nor one that could be worked out from the rest; people counted
    over the range (the largest daily count where raw events are gone,
    which errs on the side of hiding)."""
    kept, hidden = large_groups_only(groups, people=lambda group: group.people_counted)
    return Shown(groups=kept, hidden=hidden)


@dataclass
class ViewingFigures:
    total_views: int = 0
    unique_viewers: int = 0
    # People are counted from raw events; before this day they are purged.
    unique_viewers_from: datetime.date | None = None
    views_tracked: int = 0
    reached_last: int = 0
    completions: int = 0
    series: list[dict] = field(default_factory=list)
    lessons: list[dict] = field(default_factory=list)
    by_role: Shown = field(default_factory=lambda: Shown([], 0))
    by_division: Shown = field(default_factory=lambda: Shown([], 0))
    by_post: Shown = field(default_factory=lambda: Shown([], 0))


def rollups_between(since: datetime.date, until: datetime.date):
    return LessonDayRollup.objects.filter(day__gte=since, day__lte=until)


def raw_events_kept_from() -> datetime.date | None:
    """The first day whose raw events are kept (None: none purged yet)."""
    last_purged = RollupDay.objects.filter(raw_purged=True).aggregate(day=Max("day"))[
        "day"
    ]
    return last_purged + datetime.timedelta(days=1) if last_purged else None


def _titles(page_ids) -> dict[int, str]:
    return dict(
        Page.objects.filter(pk__in={pk for pk in page_ids if pk}).values_list(
            "pk", "title"
        )
    )


def _weighted_median(pairs: list[tuple[int, int]]) -> int | None:
    """The median of values given as (value, weight) pairs."""
    pairs = sorted(pair for pair in pairs if pair[1] > 0)
    total = sum(weight for _, weight in pairs)
    if not total:
        return None
    running = 0
    for value, weight in pairs:
        running += weight
        if running * 2 >= total:
            return value
    return pairs[-1][0]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def viewing_figures(*, since: datetime.date, until: datetime.date) -> ViewingFigures:
    """Totals, series, lessons and the breakdowns by role, division and post.

    Three queries do the work: the roll-ups summed by lesson, series and
    group (a few hundred rows a year), the median times, and the people.
    """
    figures = ViewingFigures()
    rollups = rollups_between(since, until)
    kept_from = raw_events_kept_from()
    if kept_from and kept_from > since:
        figures.unique_viewers_from = kept_from

    def totals() -> dict:
        return {"views": 0, "tracked": 0, "reached": 0, "completed": 0}

    role_sets: dict[str, tuple] = {}

    def roles_in(key: str) -> tuple:
        # A handful of role sets, met on every row: split each once.
        if key not in role_sets:
            role_sets[key] = role_ids_of(key) or (None,)
        return role_sets[key]

    lessons: dict[int, dict] = defaultdict(totals)
    series_totals: dict[int | None, dict] = defaultdict(totals)
    views_in_series: dict[int, Counter] = defaultdict(Counter)
    roles: dict[int | None, GroupFigures] = {}
    divisions: dict[int | None, GroupFigures] = {}
    posts: dict[int | None, GroupFigures] = {}
    for row in (
        rollups.values("lesson_id", "series_id", "role_key", "division_id", "post_id")
        .annotate(
            views=Sum("views"),
            tracked=Sum("views_tracked"),
            reached=Sum("reached_last"),
            completed=Sum("completions"),
            floor=Max("unique_viewers"),
        )
        .order_by()
    ):
        for bucket in (lessons[row["lesson_id"]], series_totals[row["series_id"]]):
            for key in ("views", "tracked", "reached", "completed"):
                bucket[key] += row[key]
        views_in_series[row["lesson_id"]][row["series_id"]] += row["views"]
        groups = [(roles, role_id) for role_id in roles_in(row["role_key"])]
        groups += [(divisions, row["division_id"]), (posts, row["post_id"])]
        for table, key in groups:
            group = table.setdefault(key, GroupFigures(key=key, name=""))
            group.views += row["views"]
            group.people_floor = max(group.people_floor, row["floor"])
    medians: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for lesson_id, median, weight in (
        rollups.filter(timed_views__gt=0)
        .values("lesson_id", "median_seconds")
        .annotate(weight=Sum("timed_views"))
        .order_by()
        .values_list("lesson_id", "median_seconds", "weight")
    ):
        medians[lesson_id].append((median, weight))

    # People: from the days each viewed each lesson (analytics.viewers), a few
    # rows per person whatever the number of views.
    people_by_lesson: dict[int, set] = defaultdict(set)
    people_by_series: dict[int | None, set] = defaultdict(set)
    people_by_role: dict[int | None, set] = defaultdict(set)
    people_by_division: dict[int | None, set] = defaultdict(set)
    people_by_post: dict[int | None, set] = defaultdict(set)
    everyone: set = set()
    for (
        user_id,
        lesson_id,
        series_id,
        role_key,
        division_id,
        post_id,
    ) in viewers_between(since, until):
        everyone.add(user_id)
        people_by_lesson[lesson_id].add(user_id)
        people_by_series[series_id].add(user_id)
        for role_id in roles_in(role_key):
            people_by_role[role_id].add(user_id)
        people_by_division[division_id].add(user_id)
        people_by_post[post_id].add(user_id)

    # A lesson moved between series keeps each day's series; it is listed
    # under the series it was viewed in most.
    series_of = {
        lesson_id: counts.most_common(1)[0][0]
        for lesson_id, counts in views_in_series.items()
    }
    titles = _titles(list(lessons) + list(series_totals))
    for row in lessons.values():
        figures.total_views += row["views"]
        figures.views_tracked += row["tracked"]
        figures.reached_last += row["reached"]
        figures.completions += row["completed"]
    figures.unique_viewers = len(everyone)
    figures.lessons = sorted(
        (
            {
                "lesson_id": lesson_id,
                "lesson": titles.get(lesson_id, _("(deleted lesson)")),
                "series_id": series_of[lesson_id],
                "series": titles.get(series_of[lesson_id], "—"),
                "views": row["views"],
                "unique_viewers": len(people_by_lesson.get(lesson_id, ())),
                "views_tracked": row["tracked"],
                "reached_last_share": _share(row["reached"], row["tracked"]),
                "median_seconds": _weighted_median(medians.get(lesson_id, [])),
                "completions": row["completed"],
            }
            for lesson_id, row in lessons.items()
        ),
        key=lambda row: (-row["views"], row["lesson"]),
    )
    figures.series = sorted(
        (
            {
                "series_id": series_id,
                "series": titles.get(series_id, _("(no series)")),
                "views": row["views"],
                "unique_viewers": len(people_by_series.get(series_id, ())),
                "completions": row["completed"],
            }
            for series_id, row in series_totals.items()
        ),
        key=lambda row: (-row["views"], row["series"]),
    )
    figures.by_role = _by_role(roles, people_by_role)
    figures.by_division = _by_place(
        divisions, Division, _("(no division)"), people_by_division
    )
    figures.by_post = _by_place(posts, Post, _("(no post)"), people_by_post)
    return figures


def _by_role(groups: dict[int | None, GroupFigures], people) -> Shown:
    """Views and people per job role: a view by someone holding two roles is
    counted under each of them."""
    names = dict(JobRole.objects.values_list("pk", "name"))
    order = {pk: index for index, pk in enumerate(names)}
    for role_id, group in groups.items():
        if role_id is None:
            group.name = _("(no job role)")
        else:
            group.name = names.get(role_id, _("(deleted job role)"))
        group.people = len(people.get(role_id, ()))
    ordered = sorted(
        groups.values(),
        key=lambda group: (order.get(group.key, len(order)), group.name),
    )
    return shown(ordered)


def _by_place(groups: dict[int | None, GroupFigures], model, nobody: str, people):
    names = dict(model.objects.values_list("pk", "name"))
    for key, group in groups.items():
        group.name = nobody if key is None else names.get(key, _("(deleted)"))
        group.people = len(people.get(key, ()))
    ordered = sorted(groups.values(), key=lambda group: (-group.views, group.name))
    return shown(ordered)


@dataclass
class Timeline:
    """Views per period for each line (a series, or a lesson of one series)."""

    unit: str  # "day", "week" or "month"
    periods: list[datetime.date]
    lines: list[tuple[str, list[int]]]

    @property
    def totals(self) -> list[int]:
        return [
            sum(counts[index] for _, counts in self.lines)
            for index in range(len(self.periods))
        ]


def _period_start(day: datetime.date, unit: str) -> datetime.date:
    if unit == "day":
        return day
    if unit == "week":
        return day - datetime.timedelta(days=day.weekday())
    return day.replace(day=1)


def _periods(since: datetime.date, until: datetime.date, unit: str):
    periods, day = [], _period_start(since, unit)
    while day <= until:
        periods.append(day)
        if unit == "day":
            day += datetime.timedelta(days=1)
        elif unit == "week":
            day += datetime.timedelta(days=7)
        else:
            day = (day + datetime.timedelta(days=32)).replace(day=1)
    return periods


def timeline_unit(since: datetime.date, until: datetime.date) -> str:
    days = (until - since).days + 1
    if days <= 62:
        return "day"
    if days <= 183:
        return "week"
    return "month"


def views_over_time(
    *, since: datetime.date, until: datetime.date, series_id: int | None = None
) -> Timeline:
    """Views per day, week or month (by the range's length): one line per
    series, or per lesson of one series."""
    unit = timeline_unit(since, until)
    periods = _periods(since, until, unit)
    position = {period: index for index, period in enumerate(periods)}
    rollups = rollups_between(since, until)
    line_field = "series_id"
    if series_id is not None:
        rollups = rollups.filter(series_id=series_id)
        line_field = "lesson_id"
    values: dict[int | None, list[int]] = defaultdict(lambda: [0] * len(periods))
    for line, day, views in (
        rollups.values(line_field, "day")
        .annotate(views=Sum("views"))
        .order_by()
        .values_list(line_field, "day", "views")
    ):
        values[line][position[_period_start(day, unit)]] += views
    titles = _titles(values)
    lines = sorted(
        ((titles.get(key, "—"), counts) for key, counts in values.items()),
        key=lambda line: (-sum(line[1]), line[0]),
    )
    return Timeline(unit=unit, periods=periods, lines=lines)


@dataclass
class Dropoff:
    lesson_id: int | None
    lesson: str
    views_tracked: int
    slides: list[dict]


def slide_dropoff(
    *, since: datetime.date, until: datetime.date, lesson_id: int | None
) -> Dropoff:
    """How many of a lesson's views reached each slide (of those whose reader
    reported it); the most viewed lesson of the range when none is given."""
    rollups = rollups_between(since, until)
    if lesson_id is None:
        top = (
            rollups.values("lesson_id")
            .annotate(views=Sum("views"))
            .order_by("-views", "lesson_id")
            .first()
        )
        lesson_id = top["lesson_id"] if top else None
    if lesson_id is None:
        return Dropoff(lesson_id=None, lesson="", views_tracked=0, slides=[])
    tracked = (
        rollups.filter(lesson_id=lesson_id).aggregate(tracked=Sum("views_tracked"))[
            "tracked"
        ]
        or 0
    )
    reached = dict(
        SlideReachDay.objects.filter(
            lesson_id=lesson_id, day__gte=since, day__lte=until
        )
        .values("slide_number")
        .annotate(reached=Sum("views_reached"))
        .order_by()
        .values_list("slide_number", "reached")
    )
    from learning_series.models import LessonPage

    lesson = LessonPage.objects.filter(pk=lesson_id).first()
    slide_titles = (
        [block["value"].get("title", "") for block in lesson.slides.raw_data]
        if lesson
        else []
    )
    count = max([len(slide_titles), *reached]) if reached or slide_titles else 0
    slides = [
        {
            "slide": number,
            "title": slide_titles[number - 1] if number <= len(slide_titles) else "",
            "views_reached": reached.get(number, 0),
            "share": _share(reached.get(number, 0), tracked),
        }
        for number in range(1, count + 1)
    ]
    return Dropoff(
        lesson_id=lesson_id,
        lesson=lesson.title if lesson else _("(deleted lesson)"),
        views_tracked=tracked,
        slides=slides,
    )
