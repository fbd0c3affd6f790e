"""The needs analysis from the shell: what the dashboard shows, as text or JSON.

    python manage.py needs_report [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--json]

The range defaults to the year up to today. Roll-ups are brought up to date
first (today so far included). Breakdowns leave out groups of fewer than k
people, as the dashboard does. A bad date exits with status 2 and says why.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from analytics.forms import NeedsAnalysisForm
from analytics.needs import needs_analysis
from analytics.tasks import rollups_catch_up_task


class Command(BaseCommand):
    help = "Print the needs analysis (views, groups, searches, hard questions)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="first day, YYYY-MM-DD")
        parser.add_argument("--until", help="last day, YYYY-MM-DD (default today)")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print JSON"
        )

    def handle(self, *args, since=None, until=None, as_json=False, **options):
        form = NeedsAnalysisForm(
            {"since": since or "", "until": until or ""}, today=timezone.localdate()
        )
        if not form.is_valid():
            problems = [
                str(message)
                for messages in form.errors.values()
                for message in messages
            ]
            raise CommandError(" ".join(problems), returncode=2)
        # Today so far counts: roll up here, not on the worker's time.
        rollups_catch_up_task.call()
        analysis = needs_analysis(
            since=form.cleaned_data["since"], until=form.cleaned_data["until"]
        )
        figures = analysis.as_json()
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{figures['since']} – {figures['until']}: "
            f"{figures['total_views']:,} views, "
            f"{figures['unique_viewers']:,} unique viewers"
        )
        for row in figures["series"]:
            self.stdout.write(
                f"  {row['title']}: {row['views']:,} views, "
                f"{row['unique_viewers']:,} viewers"
            )
        for rank, topic in enumerate(figures["suggested_topics"], 1):
            self.stdout.write(f"{rank}. {topic['topic']} ({topic['score']})")
            for item in topic["evidence"]:
                self.stdout.write(f"     - {item['text']}")
