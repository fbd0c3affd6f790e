"""Searches that found nothing, normalised: ＵＳＢ, usb and ＵＳＢ　 are one.

Queries are folded for width and case with search's own `fold` (the analyser
every search goes through) and for spacing, at read time, so the query log
stays as people typed it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max

from search.analysis import fold
from search.models import SearchQuery

from ..rollups import day_bounds


def normalised_query(text: str) -> str:
    """A query as needs analysis compares it: folded, spaces collapsed."""
    return " ".join(fold(text).split())


@dataclass(frozen=True)
class MissedSearch:
    query: str  # the normalised form
    written: str  # how it was most often written
    searches: int
    last_searched_at: datetime.datetime


def zero_result_searches(
    *, since: datetime.date, until: datetime.date, limit: int = 20
) -> list[MissedSearch]:
    """The most frequent searches without results in the range, normalised."""
    start, _ = day_bounds(since)
    _, end = day_bounds(until)
    merged: dict[str, dict] = {}
    for written, searches, last in (
        SearchQuery.objects.filter(
            result_count=0, searched_at__gte=start, searched_at__lt=end
        )
        .values("query")
        .annotate(searches=Count("pk"), last=Max("searched_at"))
        .order_by()
        .values_list("query", "searches", "last")
    ):
        key = normalised_query(written)
        if not key:
            continue
        entry = merged.setdefault(
            key, {"searches": 0, "spellings": Counter(), "last": last}
        )
        entry["searches"] += searches
        entry["spellings"][written.strip()] += searches
        entry["last"] = max(entry["last"], last)
    ranked = sorted(merged.items(), key=lambda item: (-item[1]["searches"], item[0]))
    return [
        MissedSearch(
            query=key,
            written=min(
                entry["spellings"].items(),
                key=lambda spelling: (-spelling[1], spelling[0]),
            )[0],
            searches=entry["searches"],
            last_searched_at=entry["last"],
        )
        for key, entry in ranked[:limit]
    ]
