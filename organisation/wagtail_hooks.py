"""Admin wiring for the organisation: training admins edit it as snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.extension_points import DEMO_LOADERS

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
    list_display = ["user", "staff_number", "division", "post"]
    list_filter = ["division", "post", "role_assignments__role"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "staff_number",
    ]
    search_backend_name = None


class OrganisationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 300
    items = (StaffProfileViewSet, JobRoleViewSet, DivisionViewSet, PostViewSet)


register_snippet(OrganisationViewSetGroup)


@hooks.register(DEMO_LOADERS, order=10)
def register_organisation_demo(report):
    from .demo import organisation_demo_load

    organisation_demo_load(report)
