"""Searches that found nothing, as search's own reports count them: folded for
width and case when logged (search.services), so ＵＳＢ, USB and usb are one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from search.selectors import search_queries_without_results

from ..rollups import day_bounds


@dataclass(frozen=True)
class MissedSearch:
    query: str  # folded for width and case
    searches: int
    last_searched_at: datetime.datetime


def zero_result_searches(
    *, since: datetime.date, until: datetime.date, limit: int = 20
) -> list[MissedSearch]:
    """The most frequent searches without results in the range of days."""
    start, _ = day_bounds(since)
    _, end = day_bounds(until)
    rows = search_queries_without_results(
        searched_from=start, searched_until=end - datetime.timedelta(microseconds=1)
    ).exclude(query_folded="")
    return [
        MissedSearch(
            query=row["query_folded"],
            searches=row["searches"],
            last_searched_at=row["last_searched_at"],
        )
        for row in rows[:limit]
    ]
