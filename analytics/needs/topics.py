"""Suggested topics: where staff's needs show, joining three signals.

- searched for but not found: a normalised zero-result search, by how often
  it was searched (against the most searched);
- started but abandoned: a lesson whose views stop before the last slide
  more often than views of all lessons do, by how much more;
- often failed: a lesson whose checkpoint has a question answered right in
  less than half of the answers, by how rarely it is answered right.

Each signal scores from 0 to 1; a topic's score is the sum of its signals, so
a lesson that is abandoned *and* failed, or that staff search around, ranks
above one with a single signal. A search joins a lesson when they share a
word of the lesson's title or tags with the first word of the search (by
search's own analyser: ＵＳＢ, usb and USB are one word); otherwise it stands
as a topic of its own, a lesson nobody has written yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from learning_series.models import LessonPage
from search.analysis import terms
from training.permissions import smallest_group_shown

from .quiz_items import HardItem
from .searches import MissedSearch

SIGNAL_SEARCHED = "searched_not_found"
SIGNAL_ABANDONED = "started_but_abandoned"
SIGNAL_FAILED = "often_failed"
# A question right in fewer than this share of answers is "often failed".
FAILED_FACILITY = 0.5
# A search made once says little; a lesson needs this many tracked views
# (and at least k) before its abandon rate says anything.
MIN_SEARCHES = 2
MIN_TRACKED_VIEWS = 20


@dataclass
class Topic:
    title: str
    kind: str  # "lesson" or "search"
    lesson_id: int | None = None
    evidence: list[dict] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(item["strength"] for item in self.evidence), 3)

    @property
    def signals(self) -> list[str]:
        return [item["signal"] for item in self.evidence]


def _words(text: str) -> set[str]:
    return {term for term in terms(text) if len(term) >= 2}


def _lesson_words(lesson_ids) -> dict[int, set[str]]:
    words = {}
    for lesson in LessonPage.objects.filter(pk__in=lesson_ids).prefetch_related(
        "tagged_items__tag"
    ):
        tags = " ".join(item.tag.name for item in lesson.tagged_items.all())
        words[lesson.pk] = _words(f"{lesson.title} {tags}")
    return words


def suggested_topics(
    *,
    lessons: list[dict],
    views_tracked: int,
    reached_last: int,
    hard_items: list[HardItem],
    missed_searches: list[MissedSearch],
    limit: int = 15,
) -> list[Topic]:
    """Topics ranked by the sum of their signals, each with its evidence."""
    topics: dict[tuple, Topic] = {}

    def lesson_topic(lesson_id: int, title: str) -> Topic:
        return topics.setdefault(
            ("lesson", lesson_id),
            Topic(title=title, kind="lesson", lesson_id=lesson_id),
        )

    overall_abandon = 1 - reached_last / views_tracked if views_tracked else None
    enough = max(MIN_TRACKED_VIEWS, smallest_group_shown())
    if overall_abandon is not None and overall_abandon < 1:
        for row in lessons:
            share = row["reached_last_share"]
            tracked = row.get("views_tracked", 0)
            if share is None or tracked < enough:
                continue
            abandon = 1 - share
            if abandon <= overall_abandon:
                continue
            lesson_topic(row["lesson_id"], row["lesson"]).evidence.append(
                {
                    "signal": SIGNAL_ABANDONED,
                    "strength": (abandon - overall_abandon) / (1 - overall_abandon),
                    "text": _(
                        "%(abandoned)d%% of views stopped before the last slide "
                        "(%(overall)d%% across all lessons; %(views)d views)."
                    )
                    % {
                        "abandoned": round(abandon * 100),
                        "overall": round(overall_abandon * 100),
                        "views": tracked,
                    },
                }
            )

    worst: dict[int, HardItem] = {}
    for item in hard_items:
        if item.lesson_id is None or item.facility >= FAILED_FACILITY:
            continue
        if (
            item.lesson_id not in worst
            or item.facility < worst[item.lesson_id].facility
        ):
            worst[item.lesson_id] = item
    for lesson_id, item in worst.items():
        lesson_topic(lesson_id, item.lesson).evidence.append(
            {
                "signal": SIGNAL_FAILED,
                "strength": (FAILED_FACILITY - item.facility) / FAILED_FACILITY,
                "text": _(
                    "Only %(right)d%% of %(answers)d answers to “%(question)s” "
                    "were right."
                )
                % {
                    "right": round(item.facility * 100),
                    "answers": item.answers,
                    "question": item.question,
                },
            }
        )

    frequent = [search for search in missed_searches if search.searches >= MIN_SEARCHES]
    most = max((search.searches for search in frequent), default=0)
    lesson_titles = {row["lesson_id"]: row["lesson"] for row in lessons}
    words = _lesson_words(lesson_titles) if frequent else {}
    for search in frequent:
        evidence = {
            "signal": SIGNAL_SEARCHED,
            "strength": search.searches / most,
            "text": _("“%(query)s” was searched %(count)d times and found nothing.")
            % {"query": search.query, "count": search.searches},
        }
        # The first word says what was looked for (ＵＳＢ in "usb 持ち出し");
        # later ones narrow it, and share common words with everything.
        query_words = _words(search.query.split()[0])
        shared = sorted(
            (
                (len(query_words & lesson_words), lesson_id)
                for lesson_id, lesson_words in words.items()
                if query_words & lesson_words
            ),
            reverse=True,
        )
        if shared:
            lesson_id = shared[0][1]
            lesson_topic(lesson_id, lesson_titles[lesson_id]).evidence.append(evidence)
        else:
            topics.setdefault(
                ("search", search.query), Topic(title=search.query, kind="search")
            ).evidence.append(evidence)

    ranked = sorted(topics.values(), key=lambda topic: (-topic.score, topic.title))
    for topic in ranked:
        topic.evidence.sort(key=lambda item: -item["strength"])
    return ranked[:limit]
