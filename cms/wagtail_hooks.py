"""Admin wiring: the organisation as snippets for training admins; display
names in the workflow's audit log messages."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .display_names import show_display_names_in_workflow_log
from .models import Division, JobRole, Post, StaffProfile


class JobRoleViewSet(SnippetViewSet):
    model = JobRole
    icon = "group"
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "code"]
    search_backend_name = None


class DivisionViewSet(SnippetViewSet):
    model = Division
    icon = "folder-open-inverse"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    search_backend_name = None


class PostViewSet(SnippetViewSet):
    model = Post
    icon = "site"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    search_backend_name = None


class StaffProfileViewSet(SnippetViewSet):
    model = StaffProfile
    icon = "user"
    list_display = ["user", "division", "post"]
    list_filter = ["division", "post", "roles"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    search_backend_name = None


class OrganisationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 300
    items = (StaffProfileViewSet, JobRoleViewSet, DivisionViewSet, PostViewSet)


register_snippet(OrganisationViewSetGroup)


# After Wagtail's own registration (order 0), which it wraps.
hooks.register("register_log_actions", show_display_names_in_workflow_log, order=100)
