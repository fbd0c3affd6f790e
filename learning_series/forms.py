"""Admin forms for lessons: importing a Markdown deck."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.forms import DatabaseIdModelChoiceField

from .models import SeriesPage
from .services import MARKDOWN_MAX_BYTES


class MarkdownImportForm(forms.Form):
    series = DatabaseIdModelChoiceField(
        label=_("Series"), queryset=SeriesPage.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Markdown file"),
        help_text=_(
            "A deck written for Marp (.md): slides split at rulers such as --- "
            "(or at headings with headingDivider), each titled by its first "
            "heading. The lesson's title is title in the front matter, else "
            "the first heading. HTML comments that are not Marp directives "
            "become speaker notes."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".md,.markdown,text/markdown"}
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish at once"),
        required=False,
        help_text=_("Otherwise the lesson is saved as a draft to submit for review."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        policy = PagePermissionPolicy()
        addable = policy.instances_user_has_permission_for(user, "add")
        self.fields["series"].queryset = SeriesPage.objects.filter(
            pk__in=addable.values("pk")
        ).order_by("path")
        publishable = policy.instances_user_has_permission_for(user, "publish")
        if not publishable.exists():
            # Authors never see a choice they cannot make.
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MARKDOWN_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d KB."),
                params={"limit": MARKDOWN_MAX_BYTES // 1024},
            )
        return upload
