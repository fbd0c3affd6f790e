"""Admin views of people's training for training admins: find a member of
staff, and see anyone's transcript (requirements, certifications, records)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import (
    PermissionCheckedMixin,
    WagtailAdminTemplateMixin,
)

from organisation.models import StaffProfile

from ..compliance import staff_transcript
from ..extension_points import record_panels
from ..forms import StaffSearchForm
from ..permissions import (
    SEE_PEOPLE,
    may_record_attendance,
    may_waive,
    requirement_policy,
)
from ..services import VOID_PERMISSION
from .records import TitledMixin

SEARCH_LIMIT = 50


class StaffSearchView(
    TitledMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Find a member of staff by name, user name or staff number."""

    permission_policy = requirement_policy
    permission_required = SEE_PEOPLE
    template_name = "training/admin/staff_search.html"
    page_title = _("Staff training records")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        form = StaffSearchForm(self.request.GET or None)
        profiles = []
        if form.is_valid() and form.cleaned_data["q"].strip():
            query = form.cleaned_data["q"].strip()
            profiles = list(
                StaffProfile.objects.filter(
                    Q(staff_number__iexact=query)
                    | Q(user__username__icontains=query)
                    | Q(user__first_name__icontains=query)
                    | Q(user__last_name__icontains=query)
                )
                .select_related("user", "division", "post")
                .order_by("staff_number", "pk")[:SEARCH_LIMIT]
            )
        return super().get_context_data(form=form, profiles=profiles, **kwargs)


class StaffTrainingView(
    PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """One person's training as HR sees it: what they owe and its status,
    certifications, what lapsed, and every ledger row of theirs."""

    permission_policy = requirement_policy
    permission_required = SEE_PEOPLE
    template_name = "training/admin/staff_training.html"
    header_icon = "user"

    @cached_property
    def person(self):
        return get_object_or_404(get_user_model(), pk=self.kwargs["user_id"])

    def get_page_title(self):
        return self.person.get_full_name() or self.person.get_username()

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse("training_staff_search"),
                "label": StaffSearchView.page_title,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        transcript = staff_transcript(viewer=user, user=self.person)
        return super().get_context_data(
            person=self.person,
            transcript=transcript,
            panels=record_panels(
                self.request,
                person=self.person,
                training=transcript.training,
                admin=True,
            ),
            may_waive=may_waive(user),
            may_record=may_record_attendance(user),
            may_void=user.has_perm(VOID_PERMISSION),
            **kwargs,
        )
