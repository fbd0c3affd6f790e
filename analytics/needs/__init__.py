"""ニーズ分析: what staff read, where they stop, what they fail and what they
search for in vain, over a range of days — the figures behind the dashboard,
its CSV exports and `manage.py needs_report`.

Reads only: the roll-ups (analytics.rollups) must be current first, which the
dashboard and the command see to. Every breakdown by who people are passes
the one privacy rule (training.permissions: k and complementary
suppression).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from training.permissions import smallest_group_shown

from .quiz_items import HardItem, hardest_quiz_items
from .searches import MissedSearch, zero_result_searches
from .tables import Column, Table
from .topics import Topic, suggested_topics
from .viewing import (
    Dropoff,
    Timeline,
    ViewingFigures,
    slide_dropoff,
    viewing_figures,
    views_over_time,
)

__all__ = ["NeedsAnalysis", "Table", "needs_analysis"]

HARDEST_ITEMS_SHOWN = 10


@dataclass
class NeedsAnalysis:
    since: datetime.date
    until: datetime.date
    viewing: ViewingFigures
    timeline: Timeline
    timeline_series_id: int | None
    dropoff: Dropoff
    hard_items: list[HardItem]
    missed_searches: list[MissedSearch]
    topics: list[Topic]

    @property
    def k(self) -> int:
        return smallest_group_shown()

    @property
    def reached_last_share(self) -> float | None:
        viewing = self.viewing
        return (
            viewing.reached_last / viewing.views_tracked
            if viewing.views_tracked
            else None
        )

    def tables(self) -> dict[str, Table]:
        """Every table of the dashboard by name, in the dashboard's order."""
        tables = [
            self._series_table(),
            self._lessons_table(),
            self._timeline_table(),
            self._group_table("by_role", _("Views by job role"), _("Job role")),
            self._group_table("by_division", _("Views by division"), _("Division")),
            self._group_table("by_post", _("Views by post"), _("Post")),
            self._dropoff_table(),
            self._hard_items_table(),
            self._missed_searches_table(),
            self._topics_table(),
        ]
        return {table.name: table for table in tables}

    def _series_table(self) -> Table:
        return Table(
            name="series",
            caption=_("Views by series"),
            columns=[
                Column("series", _("Series"), "text"),
                Column("views", _("Views")),
                Column("unique_viewers", _("Unique viewers")),
                Column("completions", _("Completions")),
            ],
            rows=self.viewing.series,
        )

    def _lessons_table(self) -> Table:
        return Table(
            name="lessons",
            caption=_("Views by lesson"),
            columns=[
                Column("lesson", _("Lesson"), "text"),
                Column("series", _("Series"), "text"),
                Column("views", _("Views")),
                Column("unique_viewers", _("Unique viewers")),
                Column("reached_last_share", _("Reached the last slide"), "percent"),
                Column("median_seconds", _("Median time"), "seconds"),
                Column("completions", _("Completions")),
            ],
            rows=self.viewing.lessons,
        )

    def _timeline_table(self) -> Table:
        timeline = self.timeline
        columns = [Column("period", _("Period"), "text")]
        columns += [
            Column(f"line_{index}", title, "number")
            for index, (title, _counts) in enumerate(timeline.lines)
        ]
        columns.append(Column("total", _("Total")))
        totals = timeline.totals
        rows = []
        for position, period in enumerate(timeline.periods):
            row = {
                "period": period_label(period, timeline.unit),
                "total": totals[position],
            }
            for index, (_title, counts) in enumerate(timeline.lines):
                row[f"line_{index}"] = counts[position]
            rows.append(row)
        return Table(
            name="over_time",
            caption=_("Views over time"),
            columns=columns,
            rows=rows,
        )

    def _group_table(self, name: str, caption: str, heading: str) -> Table:
        shown = getattr(self.viewing, name)
        return Table(
            name=name,
            caption=caption,
            columns=[
                Column("name", heading, "text"),
                Column("views", _("Views")),
                Column("unique_viewers", _("Unique viewers")),
                Column("views_per_person", _("Views per person"), "decimal"),
            ],
            rows=[
                {
                    "name": group.name,
                    "views": group.views,
                    "unique_viewers": group.people,
                    "views_per_person": group.views_per_person,
                }
                for group in shown.groups
            ],
            hidden_groups=shown.hidden,
        )

    def _dropoff_table(self) -> Table:
        dropoff = self.dropoff
        return Table(
            name="dropoff",
            caption=_("Drop-off by slide: %(lesson)s") % {"lesson": dropoff.lesson}
            if dropoff.lesson
            else _("Drop-off by slide"),
            columns=[
                Column("slide", _("Slide")),
                Column("title", _("Slide title"), "text"),
                Column("views_reached", _("Views that reached it")),
                Column("share", _("Share of views"), "percent"),
            ],
            rows=dropoff.slides,
            note=_(
                "Of %(views)d views whose reader reported the slide (a page read "
                "without JavaScript does not)."
            )
            % {"views": dropoff.views_tracked},
        )

    def _hard_items_table(self) -> Table:
        return Table(
            name="hardest_items",
            caption=_("Hardest quiz questions"),
            columns=[
                Column("question", _("Question"), "text"),
                Column("lesson", _("Lesson"), "text"),
                Column("answers", _("Answers")),
                Column("facility", _("Answered right"), "percent"),
                Column("discrimination", _("Discrimination"), "decimal"),
            ],
            rows=[
                {
                    "question": item.question,
                    "lesson": item.lesson or item.quiz,
                    "answers": item.answers,
                    "facility": item.facility,
                    "discrimination": item.discrimination,
                }
                for item in self.hard_items
            ],
        )

    def _missed_searches_table(self) -> Table:
        return Table(
            name="zero_results",
            caption=_("Most frequent searches without results"),
            columns=[
                Column("query", _("Query"), "text"),
                Column("searches", _("Searches")),
                Column("last_searched", _("Last searched"), "text"),
            ],
            rows=[
                {
                    "query": search.query,
                    "searches": search.searches,
                    "last_searched": timezone.localdate(
                        search.last_searched_at
                    ).isoformat(),
                }
                for search in self.missed_searches
            ],
        )

    def _topics_table(self) -> Table:
        return Table(
            name="suggested_topics",
            caption=_("Suggested topics"),
            columns=[
                Column("rank", _("Rank")),
                Column("topic", _("Topic"), "text"),
                Column("score", _("Score"), "decimal"),
                Column("evidence", _("Evidence"), "text"),
            ],
            rows=[
                {
                    "rank": rank,
                    "topic": topic.title,
                    "score": topic.score,
                    "evidence": " / ".join(item["text"] for item in topic.evidence),
                }
                for rank, topic in enumerate(self.topics, 1)
            ],
        )

    def as_json(self) -> dict:
        """The figures as `needs_report --json` prints them."""
        viewing = self.viewing

        def groups(name: str, label: str) -> list[dict]:
            return [
                {
                    label: group.name,
                    "views": group.views,
                    "unique_viewers": group.people,
                }
                for group in getattr(viewing, name).groups
            ]

        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "k": self.k,
            "total_views": viewing.total_views,
            "unique_viewers": viewing.unique_viewers,
            "unique_viewers_counted_from": viewing.unique_viewers_from.isoformat()
            if viewing.unique_viewers_from
            else None,
            "views_with_slide_known": viewing.views_tracked,
            "views_reaching_last_slide": viewing.reached_last,
            "completions": viewing.completions,
            "series": [
                {
                    "title": row["series"],
                    "views": row["views"],
                    "unique_viewers": row["unique_viewers"],
                    "completions": row["completions"],
                }
                for row in viewing.series
            ],
            "lessons": [
                {
                    "title": row["lesson"],
                    "series": row["series"],
                    "views": row["views"],
                    "unique_viewers": row["unique_viewers"],
                    "reached_last_share": _rounded(row["reached_last_share"]),
                    "median_seconds": row["median_seconds"],
                    "completions": row["completions"],
                }
                for row in viewing.lessons
            ],
            "by_role": groups("by_role", "role"),
            "by_role_hidden_groups": viewing.by_role.hidden,
            "by_division": groups("by_division", "division"),
            "by_division_hidden_groups": viewing.by_division.hidden,
            "by_post": groups("by_post", "post"),
            "by_post_hidden_groups": viewing.by_post.hidden,
            "zero_result_queries": [
                {"query": search.query, "searches": search.searches}
                for search in self.missed_searches
            ],
            "hardest_items": [
                {
                    "question": item.question,
                    "quiz": item.quiz,
                    "lesson": item.lesson,
                    "answers": item.answers,
                    "facility": _rounded(item.facility),
                    "discrimination": _rounded(item.discrimination),
                }
                for item in self.hard_items
            ],
            "suggested_topics": [
                {
                    "rank": rank,
                    "topic": topic.title,
                    "kind": topic.kind,
                    "score": topic.score,
                    "evidence": [
                        {"signal": item["signal"], "text": item["text"]}
                        for item in topic.evidence
                    ],
                }
                for rank, topic in enumerate(self.topics, 1)
            ],
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def period_label(period: datetime.date, unit: str) -> str:
    if unit == "month":
        return period.strftime("%Y-%m")
    if unit == "week":
        return _("Week of %(day)s") % {"day": period.isoformat()}
    return period.isoformat()


def needs_analysis(
    *,
    since: datetime.date,
    until: datetime.date,
    series_id: int | None = None,
    lesson_id: int | None = None,
) -> NeedsAnalysis:
    """Every figure of the needs analysis for a range of days (both included)."""
    viewing = viewing_figures(since=since, until=until)
    items = hardest_quiz_items(since=since, until=until, limit=None)
    missed = zero_result_searches(since=since, until=until)
    return NeedsAnalysis(
        since=since,
        until=until,
        viewing=viewing,
        timeline=views_over_time(since=since, until=until, series_id=series_id),
        timeline_series_id=series_id,
        dropoff=slide_dropoff(since=since, until=until, lesson_id=lesson_id),
        hard_items=items[:HARDEST_ITEMS_SHOWN],
        missed_searches=missed,
        topics=suggested_topics(
            lessons=viewing.lessons,
            views_tracked=viewing.views_tracked,
            reached_last=viewing.reached_last,
            hard_items=items,
            missed_searches=missed,
        ),
    )
