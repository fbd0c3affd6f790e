"""Admin views that write the ledger for training admins: attendance at
external trainings and drills (one by one, or a CSV with a dry run) and
waivers. Permission policies guard the views; the services check again."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic import (
    PermissionCheckedMixin,
    WagtailAdminTemplateMixin,
)

from ..attendance import AttendanceFileError, attendance_check, attendance_import
from ..forms import AttendanceImportForm, ExternalRecordForm, WaiverForm
from ..permissions import (
    RECORD_ATTENDANCE,
    WAIVE,
    external_training_policy,
    requirement_policy,
)
from ..requirements.selectors import requirement_states, requirements_with_targets
from ..services import (
    TrainingError,
    completion_record_external,
    evidence_document_create,
    requirement_waive,
)


class TitledMixin:
    """Breadcrumbs that end in the page's own title."""

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": "", "label": self.get_page_title()},
        ]


class ExternalRecordCreateView(
    TitledMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView
):
    """Record one person's attendance at an external training or drill."""

    permission_policy = external_training_policy
    permission_required = RECORD_ATTENDANCE
    form_class = ExternalRecordForm
    template_name = "training/admin/external_record.html"
    page_title = gettext_lazy("Record attendance")
    header_icon = "date"

    def get_initial(self):
        initial = super().get_initial()
        number = self.request.GET.get("staff_number", "")
        if number and len(number) <= 20:
            initial["staff_number"] = number
        return initial

    def form_valid(self, form):
        try:
            completion_record_external(
                user=form.person,
                external_training=form.cleaned_data["external_training"],
                completed_on=form.cleaned_data["completed_on"],
                by=self.request.user,
                note=form.cleaned_data["note"],
            )
        except TrainingError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Recorded: %(name)s attended %(training)s.")
            % {
                "name": form.person.get_full_name() or form.person.get_username(),
                "training": form.cleaned_data["external_training"],
            },
        )
        return redirect("training_staff", form.person.pk)


class AttendanceImportView(
    TitledMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView
):
    """Attendance from a CSV: "Check" is the dry run listing every refused
    row and why; "Record" records the rows the check accepts."""

    permission_policy = external_training_policy
    permission_required = RECORD_ATTENDANCE
    form_class = AttendanceImportForm
    template_name = "training/admin/attendance_import.html"
    page_title = gettext_lazy("Import attendance from a CSV")
    header_icon = "upload"

    def form_valid(self, form):
        training = form.cleaned_data["external_training"]
        text = form.cleaned_data["text"]
        source = form.cleaned_data.get("source") or ""
        record = self.request.POST.get("action") == "record"
        try:
            if record:
                check = attendance_import(
                    training=training, text=text, by=self.request.user, source=source
                )
            else:
                check = attendance_check(
                    training=training, text=text, by=self.request.user
                )
        except (AttendanceFileError, TrainingError) as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if record:
            messages.success(
                self.request,
                _("%(count)d attendances recorded for %(training)s.")
                % {"count": check.recorded, "training": training},
            )
        confirm = AttendanceImportForm(
            initial={
                "external_training": training.pk,
                "csv_text": text,
                "source": source,
            }
        )
        return self.render_to_response(
            self.get_context_data(
                form=confirm, check=check, recorded=record, training=training
            )
        )


class RequirementWaiveView(
    TitledMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView
):
    """Waive one requirement with a reason and optional evidence."""

    permission_policy = requirement_policy
    permission_required = WAIVE
    form_class = WaiverForm
    template_name = "training/admin/requirement_waive.html"
    page_title = gettext_lazy("Waive a requirement")
    header_icon = "cross"

    def dispatch(self, request, *args, **kwargs):
        self.requirement = get_object_or_404(
            requirements_with_targets().select_related("user"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        state = requirement_states([self.requirement])[0]
        return super().get_context_data(
            requirement=self.requirement, state=state, **kwargs
        )

    def form_valid(self, form):
        try:
            with transaction.atomic():
                evidence = None
                if form.cleaned_data.get("evidence") is not None:
                    evidence = evidence_document_create(
                        upload=form.cleaned_data["evidence"], by=self.request.user
                    )
                requirement_waive(
                    requirement=self.requirement,
                    by=self.request.user,
                    reason=form.cleaned_data["reason"],
                    evidence=evidence,
                )
        except TrainingError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The requirement is waived; it is recorded."))
        return redirect("training_staff", self.requirement.user_id)
