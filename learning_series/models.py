"""The lesson tree: series index → series → lesson."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PagePermissionTester
from wagtail.search import index

from cms.page_caching import CachedViewRestrictionsMixin, PersonalPageCacheMixin

from . import reading
from .blocks import SlideBlock
from .page_forms import LessonPageForm
from .panels import PublishChecksPanel, ReadingTimePanel, ReviewerCommentPanel


class LessonTreePermissionTester(PagePermissionTester):
    """Wagtail lets anyone with change permission delete any draft; authors
    hold change permission on the whole lesson tree (to work on each other's
    drafts), so without publish permission a person deletes only what they
    own, descendants included. Every delete path (the delete view, bulk
    actions, DeletePageAction) asks this tester."""

    def can_delete(self, ignore_bulk=False):
        if not super().can_delete(ignore_bulk=ignore_bulk):
            return False
        if self.user.is_superuser or "publish" in self.permissions:
            return True
        return (
            not self.page.get_descendants(inclusive=True)
            .exclude(owner_id=self.user.pk)
            .exists()
        )


class OwnDraftsOnlyDeletion:
    def permissions_for_user(self, user):
        return LessonTreePermissionTester(user, self)


class SeriesIndexPage(CachedViewRestrictionsMixin, Page):
    """The root of the lesson tree; the editorial workflow is assigned here."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["learning_series.SeriesPage"]

    class Meta:
        verbose_name = _("series index")

    def get_context(self, request, *args, **kwargs):
        from .extension_points import with_view_counts
        from .selectors import series_list_under

        context = super().get_context(request, *args, **kwargs)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        context["series_list"] = with_view_counts(
            series_list_under(index_page=self, user=user, session=session),
            user=user,
            session=session,
        )
        return context


class SeriesPage(
    OwnDraftsOnlyDeletion, PersonalPageCacheMixin, CachedViewRestrictionsMixin, Page
):
    """A series of lessons on one topic, such as targeted email attacks."""

    summary = models.TextField(_("summary"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    authors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="series_in_charge",
        verbose_name=_("authors in charge"),
        help_text=_("The staff who write this series (担当)."),
    )
    mandatory = models.BooleanField(
        _("mandatory training"),
        default=False,
        help_text=_("All staff must complete this series (e.g. 情報セキュリティ)."),
    )
    target_roles = ParentalManyToManyField(
        "organisation.JobRole",
        blank=True,
        related_name="series",
        verbose_name=_("job roles aimed at"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("authors"),
        FieldPanel("mandatory"),
        FieldPanel("target_roles", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["learning_series.SeriesIndexPage"]
    subpage_types = ["learning_series.LessonPage"]

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def get_context(self, request, *args, **kwargs):
        from .extension_points import with_view_counts
        from .selectors import series_fragment_keys, series_lessons

        context = super().get_context(request, *args, **kwargs)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        context["fragment_key"] = series_fragment_keys(
            series=self,
            user=user,
            session=session,
            preview=getattr(request, "is_preview", False),
        )
        # Read only when the shared fragment is not cached yet (or a preview).
        context["lessons"] = SimpleLazyObject(
            lambda: with_view_counts(
                series_lessons(series=self, user=user, session=session),
                user=user,
                session=session,
            )
        )
        return context


class LessonTag(TaggedItemBase):
    content_object = ParentalKey(
        "learning_series.LessonPage",
        on_delete=models.CASCADE,
        related_name="tagged_items",
    )


class LessonPage(
    OwnDraftsOnlyDeletion, PersonalPageCacheMixin, CachedViewRestrictionsMixin, Page
):
    """A five-minute lesson: a short deck of slides."""

    summary = models.TextField(_("summary"), blank=True)
    tags = ClusterTaggableManager(through=LessonTag, blank=True, verbose_name=_("tags"))
    slides = StreamField(
        [("slide", SlideBlock())],
        verbose_name=_("slides"),
        blank=True,
    )
    # Kept in each revision: the revision published with it re-opens the
    # lesson for those who completed an earlier one (training acts on it).
    material_change = models.BooleanField(
        _("material change: learners must take it again (要再受講)"),
        default=False,
        help_text=_(
            "Completions of earlier versions no longer count for required "
            "training, and those who completed one get a new due date."
        ),
    )
    material_change_reason = models.TextField(
        _("why learners must take it again"), blank=True
    )

    content_panels = Page.content_panels + [
        ReviewerCommentPanel(heading=_("Reviewer's comment")),
        PublishChecksPanel(heading=_("Checks before publishing")),
        ReadingTimePanel(heading=_("Reading time")),
        FieldPanel("summary"),
        FieldPanel("tags"),
        FieldPanel("slides"),
        MultiFieldPanel(
            [FieldPanel("material_change"), FieldPanel("material_change_reason")],
            heading=_("Re-training"),
        ),
    ]
    base_form_class = LessonPageForm
    # Not in Wagtail's search index: Gofun's search engine indexes every
    # lesson once, and the admin's page search asks it for lessons
    # (search.backends.wagtail_admin).
    search_fields: list = []
    parent_page_types = ["learning_series.SeriesPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def slide_count(self) -> int:
        return len(self.slides.raw_data)

    @property
    def reading_seconds(self) -> int:
        """Estimated time to read the slides; see learning_series.reading."""
        return reading.reading_seconds(block["value"] for block in self.slides.raw_data)

    @property
    def reading_minutes(self) -> int:
        return reading.reading_minutes(self.reading_seconds)

    @property
    def over_reading_budget(self) -> bool:
        return self.reading_seconds > reading.BUDGET_MINUTES * 60

    def _place(self, request) -> SimpleLazyObject:
        """The lesson's series and neighbours this person may see, read when
        first asked for (a cached page needs neither)."""
        from .selectors import lesson_place_in_series

        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        return SimpleLazyObject(
            lambda: lesson_place_in_series(lesson=self, user=user, session=session)
        )

    def _served_components(self, request, place) -> list:
        """What the apps add below the lesson for every serving (its view
        event and beacon)."""
        from .extension_points import lesson_served_components

        return lesson_served_components(
            request, self, SimpleLazyObject(lambda: place.series)
        )

    def per_request_html(self, request) -> str:
        """The template's {% per_request %} part, for a stored page."""
        parts = self._served_components(request, self._place(request))
        return "".join(str(part.render_html()) for part in parts)

    def get_context(self, request, *args, **kwargs):
        from .extension_points import with_view_counts
        from .selectors import lesson_for_reading, lesson_fragment_keys

        context = super().get_context(request, *args, **kwargs)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        preview = getattr(request, "is_preview", False)
        # Read only when a shared fragment is not cached yet (or a preview).
        place = self._place(request)
        reading = SimpleLazyObject(
            lambda: lesson_for_reading(lesson=self, cached=not preview)
        )
        context.update(
            fragment_keys=lesson_fragment_keys(
                lesson=self, user=user, session=session, preview=preview
            ),
            series=SimpleLazyObject(lambda: place.series),
            title_html=SimpleLazyObject(lambda: reading.title_html),
            slides=SimpleLazyObject(lambda: reading.slides),
            tags=SimpleLazyObject(lambda: list(self.tags.all())),
            previous_lesson=SimpleLazyObject(lambda: place.previous_lesson),
            next_lesson=SimpleLazyObject(lambda: place.next_lesson),
            view_count=with_view_counts([self], user=user, session=session)[
                0
            ].view_count,
            lesson_parts=self._served_components(request, place),
        )
        return context
