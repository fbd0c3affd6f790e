"""Rebuild the search index from scratch: `python manage.py rebuild_search_index`."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from search.services import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Index every lesson again (learners find the live, public ones; the "
        "admin finds all) and drop entries of pages that are gone."
    )

    def handle(self, *args, **options):
        count = search_index_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} lessons."))
