"""Display names for the Japanese identifiers of the permission groups, the
editorial workflow and its task.

The identifiers (執筆者, 編集者, 研修担当, 編集審査, 編集者による承認; see
cms.organisation) stay as they are in the database and in code. Wagtail's
admin, its mail and its messages print `group.name`, `workflow.name` and
`task.name` directly, so the name each of these objects carries is a
DisplayName: it compares, hashes, is stored and is queried as the identifier,
and prints as the display name in the language in use ("Editors" in the
English interface, 編集者 in the Japanese one). Forms editing these objects
get the identifier itself, so saving a form never renames one. The audit log
keeps what it recorded; its workflow messages show the display names.
"""

from __future__ import annotations

import copy

from django.contrib.auth.models import Group
from django.db.models.signals import post_init
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import pgettext_lazy
from wagtail.models import Task, Workflow

from .organisation import (
    AUTHORS_GROUP,
    EDITORIAL_TASK,
    EDITORIAL_WORKFLOW,
    EDITORS_GROUP,
    TRAINING_ADMINS_GROUP,
)

DISPLAY_NAMES = {
    AUTHORS_GROUP: pgettext_lazy("permission group", "Authors"),
    EDITORS_GROUP: pgettext_lazy("permission group", "Editors"),
    TRAINING_ADMINS_GROUP: pgettext_lazy("permission group", "Training administrators"),
    EDITORIAL_WORKFLOW: pgettext_lazy("workflow", "Editorial review"),
    EDITORIAL_TASK: pgettext_lazy("workflow task", "Approval by an editor"),
}


class DisplayName(str):
    """An identifier that prints as its display name in the current language."""

    def __str__(self) -> str:
        return str(DISPLAY_NAMES[str.__str__(self)])

    def __html__(self) -> SafeString:
        return conditional_escape(str(self))


def display_name(identifier: str) -> str:
    """The display name of an identifier, or the identifier when it has none."""
    label = DISPLAY_NAMES.get(identifier)
    return str(label) if label is not None else identifier


def _carry_display_name(sender, instance, **kwargs) -> None:
    name = instance.__dict__.get("name")
    if type(name) is str and name in DISPLAY_NAMES:
        instance.__dict__["name"] = DisplayName(name)


def _forms_edit_the_identifier(model) -> None:
    field = model._meta.get_field("name")
    original = field.value_from_object

    def value_from_object(obj):
        value = original(obj)
        return str.__str__(value) if isinstance(value, DisplayName) else value

    field.value_from_object = value_from_object


def register() -> None:
    """Give the named groups, workflow and task their display names."""
    from django.apps import apps

    task_models = [m for m in apps.get_models() if issubclass(m, Task)]
    for model in (Group, Workflow, *task_models):
        post_init.connect(
            _carry_display_name,
            sender=model,
            dispatch_uid=f"gofun_display_name_{model._meta.label_lower}",
        )
    for model in (Group, Workflow, Task):
        _forms_edit_the_identifier(model)


WORKFLOW_LOG_ACTIONS = [
    "wagtail.workflow.start",
    "wagtail.workflow.approve",
    "wagtail.workflow.reject",
    "wagtail.workflow.resume",
    "wagtail.workflow.cancel",
]


def _with_display_names(value):
    if isinstance(value, dict):
        return {
            key: display_name(item)
            if key == "title" and isinstance(item, str)
            else _with_display_names(item)
            for key, item in value.items()
        }
    return value


class _DisplayNameLogFormatter:
    """Wraps Wagtail's formatter of a workflow log entry: the entry keeps the
    identifiers it was written with; the message shows their display names."""

    def __init__(self, formatter):
        self.formatter = formatter

    def __getattr__(self, name):
        return getattr(self.formatter, name)

    def format_message(self, log_entry):
        shown = copy.copy(log_entry)
        shown.data = _with_display_names(log_entry.data)
        return self.formatter.format_message(shown)


def show_display_names_in_workflow_log(actions) -> None:
    """After Wagtail has registered its workflow log actions, wrap them."""
    for action in WORKFLOW_LOG_ACTIONS:
        formatter = actions.formatters.get(action)
        if formatter is not None and not isinstance(
            formatter, _DisplayNameLogFormatter
        ):
            actions.formatters[action] = _DisplayNameLogFormatter(formatter)
