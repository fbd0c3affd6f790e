"""Admin views: authors import a deck as a lesson (Markdown here, PowerPoint in
pptx/views.py, both on LessonUploadView)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import MarkdownImportForm
from .pptx.forms import series_open_to
from .services import LessonImportError, lesson_import_markdown_deck


class LessonUploadView(WagtailAdminTemplateMixin, FormView):
    """What the admin uploads that turn a file into a lesson have in common.

    Subclasses name their form, template, title and `action_url_name`; the form
    takes the user (it offers only series they may add lessons to) and a
    `?series=` parameter preselects one.
    """

    header_icon = "upload"
    action_url_name: str

    def dispatch(self, request, *args, **kwargs):
        # Only people who may add a lesson somewhere see the page at all, as
        # Wagtail's own add views refuse (its permission-denied redirect).
        if not series_open_to(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        return {"series": self.request.GET.get("series")}

    def report_import(self, message: str, warnings: list[str]) -> None:
        """Tell the importer what was made, and what could not come along."""
        if not warnings:
            messages.success(self.request, message)
            return
        messages.warning(
            self.request,
            format_html(
                "{} {}<ul>{}</ul>",
                message,
                _("Some content could not be carried over:"),
                format_html_join("", "<li>{}</li>", ((line,) for line in warnings)),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse(self.action_url_name),
            submit_button_label=_("Import"),
            submit_button_active_label=_("Importing…"),
        )
        return context


class MarkdownImportView(LessonUploadView):
    form_class = MarkdownImportForm
    template_name = "learning_series/admin/markdown_import.html"
    page_title = gettext_lazy("Import a lesson from Markdown")
    action_url_name = "learning_series_markdown_import"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            imported = lesson_import_markdown_deck(
                series=form.cleaned_data["series"],
                owner=self.request.user,
                source_name=upload.name,
                content=upload.read(),
                publish=form.cleaned_data.get("publish", False),
            )
        except LessonImportError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        lesson = imported.lesson
        self.report_import(
            _("Imported “%(title)s” with %(slides)d slides.")
            % {"title": lesson.title, "slides": lesson.slide_count},
            imported.warnings,
        )
        return HttpResponseRedirect(
            reverse("wagtailadmin_pages:edit", args=[lesson.pk])
        )
