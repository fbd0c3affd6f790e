"""The lesson tree: series index → series → lesson."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import SlideBlock


class SeriesIndexPage(Page):
    """The root of the lesson tree; the editorial workflow is assigned here."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["learning_series.SeriesPage"]

    class Meta:
        verbose_name = _("series index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import series_list_under

        context = super().get_context(request, *args, **kwargs)
        context["series_list"] = series_list_under(index_page=self)
        return context


class SeriesPage(Page):
    """A series of lessons on one topic, such as targeted email attacks."""

    summary = models.TextField(_("summary"), blank=True)
    mandatory = models.BooleanField(
        _("mandatory training"),
        default=False,
        help_text=_("All staff must complete this series (e.g. 情報セキュリティ)."),
    )
    target_roles = ParentalManyToManyField(
        "cms.JobRole",
        blank=True,
        related_name="series",
        verbose_name=_("job roles aimed at"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
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
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = LessonPage.objects.child_of(self).live().specific()
        return context


class LessonTag(TaggedItemBase):
    content_object = ParentalKey(
        "learning_series.LessonPage",
        on_delete=models.CASCADE,
        related_name="tagged_items",
    )


class LessonPage(Page):
    """A five-minute lesson: a short deck of slides."""

    summary = models.TextField(_("summary"), blank=True)
    tags = ClusterTaggableManager(through=LessonTag, blank=True, verbose_name=_("tags"))
    slides = StreamField(
        [("slide", SlideBlock())],
        verbose_name=_("slides"),
        blank=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("tags"),
        FieldPanel("slides"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("slides"),
    ]
    parent_page_types = ["learning_series.SeriesPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def slide_count(self) -> int:
        return len(self.slides)
