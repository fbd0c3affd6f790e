"""Search the lessons from the shell: `python manage.py search QUERY [--json]`.

The results are the search page's; the query is not logged, since the log
is for what staff look for, not for operators' checks.
"""

from __future__ import annotations

import html
import json

from django.core.management.base import BaseCommand
from django.utils.html import strip_tags
from django.utils.translation import ngettext

from search.backends.base import SearchFilters
from search.selectors import lesson_search


class Command(BaseCommand):
    help = "Search the lessons as the search page does and print the results."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="+", help="words to look for")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--series", type=int, help="a series page id")
        parser.add_argument("--role", default="", help="a job role code")

    def handle(self, *args, **options):
        parsed, results = lesson_search(
            query=" ".join(options["query"]),
            filters=SearchFilters(
                series_id=options["series"], job_role=options["role"]
            ),
            limit=max(1, min(options["limit"], 100)),
        )
        rows = [
            {
                "title": hit.title,
                "url": hit.url,
                "score": hit.score,
                "snippet": html.unescape(strip_tags(hit.snippet)),
                "snippet_html": str(hit.snippet),
                "series": hit.series_title,
            }
            for hit in results.hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            ngettext(
                "%(count)d lesson for “%(query)s”",
                "%(count)d lessons for “%(query)s”",
                results.total,
            )
            % {"count": results.total, "query": parsed.text}
        )
        for rank, row in enumerate(rows, start=1):
            self.stdout.write(f"{rank}. {row['title']}  {row['url']}  {row['score']}")
            if row["snippet"]:
                self.stdout.write(f"   {row['snippet']}")
