"""The curriculum's admin form: checks that span the curriculum and its items.

Kept apart from training.forms (which imports the models) because the
Curriculum model names this form as its base_form_class.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

DAYS_AFTER_ROLE = "days_after_role"
TARGET_FIELDS = ("series", "lesson", "external_training")


class CurriculumForm(WagtailAdminModelForm):
    """Refuses, with a message on the item concerned: an item counted from
    gaining a role in the curriculum for all staff (who gain no role by it),
    and the same lesson, series or training listed twice."""

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        return self._items_are_consistent()

    def _items_are_consistent(self) -> bool:
        formset = self.formsets.get("items")
        if formset is None:
            return True
        consistent = True
        seen = set()
        for_all_staff = self.cleaned_data.get("for_all_staff")
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            if for_all_staff and data.get("due_rule") == DAYS_AFTER_ROLE:
                form.add_error(
                    "due_rule",
                    _(
                        "The curriculum for all staff has no role to count from: "
                        "choose days after joining, or a fixed date."
                    ),
                )
                consistent = False
            targets = tuple(
                (field, getattr(data.get(field), "pk", None)) for field in TARGET_FIELDS
            )
            chosen = tuple(target for target in targets if target[1] is not None)
            if chosen and chosen in seen:
                form.add_error(None, _("This item is already in the curriculum."))
                consistent = False
            seen.add(chosen)
        return consistent
