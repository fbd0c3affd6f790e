"""StreamField blocks for a lesson's slides."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class SlideBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Slide title"), max_length=200)
    body = blocks.TextBlock(
        label=_("Body (Markdown)"),
        required=False,
        help_text=_("Markdown: lists, emphasis, links, tables and code."),
    )
    image = ImageChooserBlock(label=_("Image"), required=False)
    image_alt = blocks.CharBlock(
        label=_("Image description (alt text)"),
        required=False,
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    notes = blocks.TextBlock(label=_("Speaker notes"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Slide")
