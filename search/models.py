"""What search keeps: the embedded engine's entries and the query log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One lesson as the embedded engine indexes it.

    Every lesson has one entry; `searchable` marks those learners may find
    (live, public, under live pages). The admin's page search finds the rest
    as well, within the person's page permissions.

    The text is kept as displayed (for snippets); the analysed terms live in a
    full-text table beside it (FTS5 on SQLite, a tsvector column on PostgreSQL),
    written by search.backends.embedded, which the ORM does not model.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    title = models.CharField(max_length=255)
    title_folded = models.CharField(max_length=255, db_index=True)
    summary = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    slide_titles = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=2048)
    series = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    series_title = models.CharField(max_length=255, blank=True)
    job_roles = models.ManyToManyField(
        "organisation.JobRole", blank=True, related_name="+"
    )
    first_published_at = models.DateTimeField(null=True)
    last_published_at = models.DateTimeField(null=True)
    # Entries made before drafts were indexed were all of searchable lessons.
    searchable = models.BooleanField(default=True, db_index=True)

    class Meta:
        indexes = [
            # What a search reads of every matching entry, apart from the rows
            # that hold the text: SQLite answers facet counts and the ranking's
            # join from this index alone (search.backends.embedded).
            models.Index(
                fields=["page", "searchable", "series"],
                name="gofun_search_entry_facets",
            )
        ]

    def __str__(self) -> str:
        return self.title


class SearchQuery(models.Model):
    """One search by a member of staff: what was asked, not who asked it."""

    query = models.CharField(_("query"), max_length=200, db_index=True)
    # The query folded for width and case (ＵＳＢ and usb, Password and
    # password): the reports count these as one.
    query_folded = models.CharField(
        _("query (folded)"), max_length=200, db_index=True, default=""
    )
    result_count = models.PositiveIntegerField(_("number of results"))
    job_roles = models.ManyToManyField(
        "organisation.JobRole",
        blank=True,
        related_name="+",
        verbose_name=_("job roles"),
    )
    searched_at = models.DateTimeField(_("searched at"), db_index=True)

    class Meta:
        ordering = ["-searched_at"]
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")

    def __str__(self) -> str:
        return self.query
