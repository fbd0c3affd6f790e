"""Who viewed what, over any range of days, without the raw events.

Each ViewerDays row holds the days one person viewed one lesson from one
group as the bits of an integer (bit i: `first_day` + i days), stored little
end first. The daily roll-up sets the day's bit on the rows of everyone who
viewed that day; the purge shifts out the days whose events it deletes; the
dashboard reads the rows overlapping its range and keeps those with a bit
set inside it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from .models import ViewerDays, viewer_key

# (user, lesson, series, role set, division, post), as on a view event.
ViewerGroup = tuple[int, int, int | None, str, int | None, int | None]

_LOOKUP_BATCH = 500


def _as_int(days) -> int:
    return int.from_bytes(bytes(days), "little")


def _as_bytes(bits: int) -> bytes:
    return bits.to_bytes(max(1, (bits.bit_length() + 7) // 8), "little")


def with_day(
    first_day: datetime.date, bits: int, day: datetime.date
) -> tuple[datetime.date, int]:
    """The bitmap with `day` set, starting earlier if the day comes first."""
    if day < first_day:
        return day, (bits << (first_day - day).days) | 1
    return first_day, bits | (1 << (day - first_day).days)


def viewed_between(
    first_day: datetime.date, bits: int, since: datetime.date, until: datetime.date
) -> bool:
    """Whether any day from `since` to `until` (both included) is set."""
    start = max(since, first_day)
    if until < start:
        return False
    window = (1 << ((until - start).days + 1)) - 1
    return bool((bits >> (start - first_day).days) & window)


def viewer_days_mark(*, day: datetime.date, viewers: Iterable[ViewerGroup]) -> None:
    """Set `day` for each person, lesson and group that viewed on it (setting a
    day twice changes nothing, so a day may be rolled up again)."""
    wanted = {viewer_key(*viewer): viewer for viewer in viewers}
    found: dict[str, ViewerDays] = {}
    names = list(wanted)
    for start in range(0, len(names), _LOOKUP_BATCH):
        keys = names[start : start + _LOOKUP_BATCH]
        for row in ViewerDays.objects.filter(key__in=keys).only(
            "key", "first_day", "last_day", "days"
        ):
            found[row.key] = row
    changed, new = [], []
    for key, (
        user_id,
        lesson_id,
        series_id,
        roles,
        division_id,
        post_id,
    ) in wanted.items():
        row = found.get(key)
        if row is None:
            new.append(
                ViewerDays(
                    key=key,
                    user_id=user_id,
                    lesson_id=lesson_id,
                    series_id=series_id,
                    role_key=roles,
                    division_id=division_id,
                    post_id=post_id,
                    first_day=day,
                    last_day=day,
                    days=_as_bytes(1),
                )
            )
            continue
        bits = _as_int(row.days)
        first_day, marked = with_day(row.first_day, bits, day)
        if (first_day, marked) == (row.first_day, bits):
            continue
        row.first_day, row.days = first_day, _as_bytes(marked)
        row.last_day = max(row.last_day, day)
        changed.append(row)
    ViewerDays.objects.bulk_create(new, batch_size=_LOOKUP_BATCH)
    ViewerDays.objects.bulk_update(
        changed, ["first_day", "last_day", "days"], batch_size=_LOOKUP_BATCH
    )


def viewer_days_forget_before(*, day: datetime.date) -> None:
    """Forget every day before `day` (the purge's cutoff): rows with nothing
    after it go, the others start at it."""
    ViewerDays.objects.filter(last_day__lt=day).delete()
    changed = []
    for row in ViewerDays.objects.filter(first_day__lt=day).only("first_day", "days"):
        row.days = _as_bytes(_as_int(row.days) >> (day - row.first_day).days)
        row.first_day = day
        changed.append(row)
    ViewerDays.objects.bulk_update(
        changed, ["first_day", "days"], batch_size=_LOOKUP_BATCH
    )


def viewers_between(
    since: datetime.date, until: datetime.date
) -> Iterator[ViewerGroup]:
    """Each person, lesson and group with a view from `since` to `until`."""
    for *viewer, first_day, days in (
        ViewerDays.objects.filter(first_day__lte=until, last_day__gte=since)
        .values_list(
            "user_id",
            "lesson_id",
            "series_id",
            "role_key",
            "division_id",
            "post_id",
            "first_day",
            "days",
        )
        .order_by()
        .iterator(chunk_size=5000)
    ):
        if viewed_between(first_day, _as_int(days), since, until):
            yield tuple(viewer)
