"""Admin views: import a PowerPoint file as a draft lesson, export a lesson."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import LessonPage
from ..views import LessonUploadView
from .forms import PptxImportForm
from .reader import PptxReadFailed
from .safety import PptxRefused
from .services import PptxStorageFailed, lesson_export_pptx, lesson_import_pptx

PPTX_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)


class PptxImportView(LessonUploadView):
    form_class = PptxImportForm
    template_name = "learning_series/admin/pptx_import.html"
    page_title = gettext_lazy("Import from PowerPoint")
    action_url_name = "learning_series_pptx_import"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = lesson_import_pptx(
                series=form.cleaned_data["series"],
                file=upload,
                owner=self.request.user,
                filename=upload.name,
            )
        except PptxRefused as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        except (PptxReadFailed, PptxStorageFailed) as error:
            # Ours, already logged with its traceback: not a verdict on the file.
            messages.error(self.request, str(error))
            return self.form_invalid(form)
        self.report_import(
            _("Imported “%(title)s” as a draft with %(count)d slides.")
            % {"title": result.lesson.title, "count": result.slide_count},
            result.warnings,
        )
        return redirect("wagtailadmin_pages:edit", result.lesson.pk)


def pptx_export_view(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage, pk=lesson_id)
    if not lesson.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    data = lesson_export_pptx(lesson=lesson, user=request.user)
    response = HttpResponse(data, content_type=PPTX_CONTENT_TYPE)
    name = slugify(lesson.title, allow_unicode=True) or f"lesson-{lesson.pk}"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}.pptx"
    )
    return response
