"""Admin views for training admins: inspect a ledger record and void it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic import InspectView, WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from ..models import CompletionRecord
from ..services import VOID_PERMISSION, TrainingError, completion_record_void


class CompletionRecordInspectView(InspectView):
    """The ledger's inspect view, with "Void" for those who may void records."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        record = self.object
        if (
            self.request.user.has_perm(VOID_PERMISSION)
            and record.kind != CompletionRecord.Kind.VOID
            and not CompletionRecord.objects.filter(voids=record).exists()
        ):
            buttons.append(
                HeaderButton(
                    _("Void this record"),
                    url=reverse("training_completion_record_void", args=[record.pk]),
                    icon_name="cross",
                )
            )
        return buttons


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this record void?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class CompletionRecordVoidView(WagtailAdminTemplateMixin, FormView):
    """Append a void for a record; the record itself stays as it was."""

    form_class = VoidForm
    template_name = "training/admin/completion_record_void.html"
    header_icon = "cross"
    page_title = _("Void a completion record")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VOID_PERMISSION):
            raise PermissionDenied
        self.record = get_object_or_404(
            CompletionRecord.objects.select_related("user", "lesson", "series"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)

    def form_valid(self, form):
        try:
            void = completion_record_void(
                record=self.record,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except TrainingError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The record is void; the void is recorded."))
        return redirect("completion_ledger:inspect", pk=void.pk)
