"""Demo lessons: the twelve series of the seed deck, from learning_series/demo/.

Idempotent: a series or lesson that exists (matched by slug) is left alone.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from organisation.models import JobRole

from .marp import parse_deck
from .models import LessonPage, SeriesIndexPage, SeriesPage
from .services import lesson_create_from_deck

DEMO_CONTENT = Path(__file__).resolve().parent / "demo"


def learning_series_demo_load(report) -> None:
    """Every series of the catalogue with its lessons, written by the demo
    author and published by the demo editor."""
    author, editor = report.users["author"], report.users["editor"]
    index = SeriesIndexPage.objects.order_by("path").first()
    catalogue = yaml.safe_load((DEMO_CONTENT / "series.yaml").read_text("utf-8"))
    for entry in catalogue:
        series = SeriesPage.objects.child_of(index).filter(slug=entry["slug"]).first()
        if series is None:
            series = SeriesPage(
                title=entry["title"],
                slug=entry["slug"],
                summary=entry["summary"],
                mandatory=entry["mandatory"],
                owner=editor,
                live=False,
            )
            series.target_roles.set(JobRole.objects.filter(code__in=entry["roles"]))
            # The demo author writes every series (担当), as junior staff do.
            series.authors.set([author])
            index.add_child(instance=series)
            series.save_revision(user=editor, log_action=True).publish(user=editor)
            report.count(SeriesPage)
        for stem in entry["lessons"]:
            if series.get_children().filter(slug=stem).exists():
                continue
            deck = parse_deck(
                (DEMO_CONTENT / "lessons" / f"{stem}.md").read_text("utf-8")
            )
            _, revision = lesson_create_from_deck(
                series=series, deck=deck, owner=author, slug=stem
            )
            revision.publish(user=editor)
            report.count(LessonPage)
