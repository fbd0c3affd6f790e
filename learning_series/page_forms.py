"""The lesson editor's form: the material-change choice (要再受講).

Only someone who may publish the lesson makes the choice, and it belongs to
one publication: a new draft of a published lesson starts unmarked, so the
mark never rides along into the next revision unseen.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

MATERIAL_FIELDS = ("material_change", "material_change_reason")


class LessonPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lesson = self.instance
        may_choose = self._user_may_publish()
        if not may_choose or (lesson.pk and not lesson.has_unpublished_changes):
            # Editing from the published revision the last choice is spent;
            # and only someone who may publish makes it.
            self.initial["material_change"] = False
            self.initial["material_change_reason"] = ""
        if not may_choose:
            for name in MATERIAL_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "An editor chooses this when publishing the lesson."
                    )

    def _user_may_publish(self) -> bool:
        user = self.for_user
        if user is None or not self.instance.pk or not self.instance.live_revision_id:
            # A lesson never published has no earlier completions to re-open.
            return False
        return self.instance.permissions_for_user(user).can_publish()

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("material_change")
            and not (cleaned.get("material_change_reason") or "").strip()
        ):
            self.add_error(
                "material_change_reason",
                forms.ValidationError(
                    _("Say why learners must take the lesson again.")
                ),
            )
        if not cleaned.get("material_change"):
            cleaned["material_change_reason"] = ""
        return cleaned
