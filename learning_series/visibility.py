"""The one rule for "may this person see this page", for every path that shows one.

A person sees a page only if it and every ancestor below the tree's root are
live and every Wagtail view restriction on its path lets them in: a login
restriction lets in anyone signed in, a group restriction members of its
groups (and superusers), a password restriction only a session that has
passed it. Wagtail's own `live()` and `public()` look at one page or at
nobody in particular, so pages, checkpoints, attempts, records, neighbours,
search and exports all ask here instead.

The queryset form runs a fixed number of queries whatever the size of the
tree: one for the restrictions, one for their groups and one for the person's
groups; unpublished ancestors are excluded inside the final query itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from wagtail.models import Page, PageViewRestriction

from .models import LessonPage

SessionLike = Mapping[str, Any] | None


class PageNotVisible(Exception):
    """The lesson or series is not one this person may see: not found, for them."""


class _AnyStaffMember(AnonymousUser):
    """Someone signed in, in no group: what every member of staff may see."""

    @property
    def is_authenticated(self) -> bool:
        return True


_ANY_STAFF = _AnyStaffMember()


def _passed_password_restrictions(session: SessionLike) -> set[int]:
    if session is None:
        return set()
    try:
        passed = session.get(PageViewRestriction.passed_view_restrictions_session_key)
    except AttributeError:
        return set()
    return {item for item in passed or [] if isinstance(item, int)}


def _user_group_ids(user) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    return set(user.groups.values_list("pk", flat=True))


def _lets_in(
    restriction: PageViewRestriction,
    *,
    user,
    group_ids: set[int],
    passed_passwords: set[int],
) -> bool:
    """Wagtail's BaseViewRestriction.accept_request, without a request."""
    kind = restriction.restriction_type
    if kind == PageViewRestriction.PASSWORD:
        return restriction.pk in passed_passwords
    signed_in = user is not None and user.is_authenticated
    if kind == PageViewRestriction.LOGIN:
        return signed_in
    if kind == PageViewRestriction.GROUPS:
        if not signed_in:
            return False
        if user.is_superuser:
            return True
        return any(group.pk in group_ids for group in restriction.groups.all())
    return True


def restricted_paths_for(*, user, session: SessionLike = None) -> list[str]:
    """Tree paths under which a restriction keeps this person out."""
    restrictions = list(
        PageViewRestriction.objects.annotate(page_path=F("page__path"))
        .prefetch_related("groups")
        .order_by()
    )
    if not restrictions:
        return []
    group_ids = _user_group_ids(user)
    passed = _passed_password_restrictions(session)
    return sorted(
        {
            restriction.page_path
            for restriction in restrictions
            if not _lets_in(
                restriction, user=user, group_ids=group_ids, passed_passwords=passed
            )
        }
    )


def _unpublished_ancestor() -> Exists:
    """True for a page with a page above it (below the root) that is not live."""
    return Exists(
        Page.objects.filter(
            live=False,
            depth__gt=1,
            depth__lt=OuterRef("depth"),
            path=Substr(OuterRef("path"), 1, Length(F("path"))),
        )
    )


def pages_visible_to(
    queryset: QuerySet | None = None, *, user, session: SessionLike = None
) -> QuerySet:
    """The pages of `queryset` (default: all pages) this person may see."""
    queryset = Page.objects.all() if queryset is None else queryset
    queryset = queryset.filter(live=True).exclude(_unpublished_ancestor())
    restricted = restricted_paths_for(user=user, session=session)
    if restricted:
        keep_out = Q()
        for path in restricted:
            keep_out |= Q(path__startswith=path)
        queryset = queryset.exclude(keep_out)
    return queryset


def lessons_visible_to(*, user, session: SessionLike = None) -> QuerySet[LessonPage]:
    """Every lesson this person may see, in tree order."""
    return pages_visible_to(
        LessonPage.objects.all(), user=user, session=session
    ).order_by("path")


def lessons_visible_to_all_staff() -> QuerySet[LessonPage]:
    """Lessons every signed-in member of staff may see: live under live pages,
    with no restriction on their path but "signed in".

    Shared indexes (search) hold only these, since one index answers everyone.
    """
    return lessons_visible_to(user=_ANY_STAFF)


def page_visible_to(*, page: Page, user, session: SessionLike = None) -> bool:
    """Whether this person may see this page (three queries at most)."""
    if page is None or not page.pk or not page.live:
        return False
    return pages_visible_to(
        Page.objects.filter(pk=page.pk), user=user, session=session
    ).exists()


def page_ids_visible_to(*, page_ids, user, session: SessionLike = None) -> set[int]:
    """The ids among `page_ids` this person may see, in a fixed number of queries."""
    page_ids = {page_id for page_id in page_ids if page_id is not None}
    if not page_ids:
        return set()
    return set(
        pages_visible_to(
            Page.objects.filter(pk__in=page_ids), user=user, session=session
        ).values_list("pk", flat=True)
    )


def page_refusal_for(*, page: Page, user, session: SessionLike = None) -> str | None:
    """Why this person may not see this page: None when they may, "password"
    when only a shared-password restriction they have not passed stands in
    the way (Wagtail then asks for the password), else "hidden"."""
    if page_visible_to(page=page, user=user, session=session):
        return None
    if (
        not page.live
        or Page.objects.filter(pk=page.pk).filter(_unpublished_ancestor()).exists()
    ):
        return "hidden"
    group_ids = _user_group_ids(user)
    passed = _passed_password_restrictions(session)
    refusing = [
        restriction
        for restriction in page.get_view_restrictions().prefetch_related("groups")
        if not _lets_in(
            restriction, user=user, group_ids=group_ids, passed_passwords=passed
        )
    ]
    if refusing and all(
        restriction.restriction_type == PageViewRestriction.PASSWORD
        for restriction in refusing
    ):
        return "password"
    return "hidden"
