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
The restrictions, a person's groups and whether a single page stands live
under live ancestors are cached, keyed by the versions that change them
(cms.cache_versions: TREE, PERMISSIONS), so answering for one page usually
costs no query at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from wagtail.models import Page, PageViewRestriction

from cms import cache_versions
from cms.page_caching import passed_password_restrictions

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


def _user_group_ids(user) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    if not getattr(user, "pk", None):
        return set(user.groups.values_list("pk", flat=True))
    key = (
        f"gofun:visibility:groups:{cache_versions.current(cache_versions.PERMISSIONS)}"
        f":{user.pk}"
    )
    return set(
        cache_versions.versioned(
            key,
            lambda: sorted(user.groups.values_list("pk", flat=True)),
            timeout=cache_versions.KEEP_SECONDS,
        )
    )


def _lets_in(
    restriction: PageViewRestriction,
    *,
    user,
    group_ids: set[int],
    passed_passwords: set[int],
) -> bool:
    """Wagtail's BaseViewRestriction.accept_request, without a request."""
    return _kind_lets_in(
        restriction.restriction_type,
        restriction_id=restriction.pk,
        restriction_group_ids=lambda: {group.pk for group in restriction.groups.all()},
        user=user,
        group_ids=lambda: group_ids,
        passed_passwords=passed_passwords,
    )


def _kind_lets_in(
    kind: str,
    *,
    restriction_id: int,
    restriction_group_ids,
    user,
    group_ids,
    passed_passwords: set[int],
) -> bool:
    if kind == PageViewRestriction.PASSWORD:
        return restriction_id in passed_passwords
    signed_in = user is not None and user.is_authenticated
    if kind == PageViewRestriction.LOGIN:
        return signed_in
    if kind == PageViewRestriction.GROUPS:
        if not signed_in:
            return False
        if user.is_superuser:
            return True
        return bool(restriction_group_ids() & group_ids())
    return True


def _restriction_facts() -> list[tuple[int, str, str, tuple[int, ...]]]:
    """Every view restriction as (id, page path, kind, group ids), cached
    until the tree or a restriction changes."""
    key = f"gofun:visibility:restrictions:{cache_versions.current(cache_versions.TREE)}"
    return cache_versions.versioned(
        key,
        lambda: [
            (
                restriction.pk,
                restriction.page_path,
                restriction.restriction_type,
                tuple(sorted(group.pk for group in restriction.groups.all())),
            )
            for restriction in PageViewRestriction.objects.annotate(
                page_path=F("page__path")
            )
            .prefetch_related("groups")
            .order_by("pk")
        ],
        timeout=cache_versions.KEEP_SECONDS,
    )


def restricted_paths_for(*, user, session: SessionLike = None) -> list[str]:
    """Tree paths under which a restriction keeps this person out."""
    facts = _restriction_facts()
    if not facts:
        return []
    passed = passed_password_restrictions(session)
    groups: list[set[int]] = []

    def person_group_ids() -> set[int]:
        # Asked only when a group restriction stands in the way.
        if not groups:
            groups.append(_user_group_ids(user))
        return groups[0]

    return sorted(
        {
            path
            for restriction_id, path, kind, restriction_groups in facts
            if not _kind_lets_in(
                kind,
                restriction_id=restriction_id,
                restriction_group_ids=lambda groups=restriction_groups: set(groups),
                user=user,
                group_ids=person_group_ids,
                passed_passwords=passed,
            )
        }
    )


def restriction_key_for(*, user, session: SessionLike = None) -> str:
    """A key naming what decides which pages this person may see beyond the
    tree itself: the restricted paths they are kept out of. People with the
    same key see the same pages, so a fragment listing pages may be shared
    among them (with the TREE version in its key)."""
    restricted = restricted_paths_for(user=user, session=session)
    return cache_versions.digest(*restricted) if restricted else "open"


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


def _standing_path(page_id: int) -> str:
    """The page's tree path if it is live under live ancestors, else "";
    cached until the tree changes."""
    tree = cache_versions.current(cache_versions.TREE)
    key = f"gofun:visibility:standing:{tree}:{page_id}"
    return cache_versions.versioned(
        key,
        lambda: (
            (
                Page.objects.filter(pk=page_id, live=True)
                .exclude(_unpublished_ancestor())
                .values_list("path", flat=True)
                .first()
            )
            or ""
        ),
        timeout=cache_versions.KEEP_SECONDS,
    )


def page_visible_to(*, page: Page, user, session: SessionLike = None) -> bool:
    """Whether this person may see this page (usually no query: see above)."""
    if page is None or not page.pk or not page.live:
        return False
    path = _standing_path(page.pk)
    if not path:
        return False
    return not any(
        path.startswith(restricted)
        for restricted in restricted_paths_for(user=user, session=session)
    )


def page_ids_visible_to(*, page_ids, user, session: SessionLike = None) -> set[int]:
    """The ids among `page_ids` this person may see, in a fixed number of
    queries; cached until the tree changes, shared by everyone kept out of
    the same restricted paths."""
    page_ids = {page_id for page_id in page_ids if page_id is not None}
    if not page_ids:
        return set()
    restricted = restricted_paths_for(user=user, session=session)
    key = "gofun:visibility:page-ids:" + cache_versions.digest(
        cache_versions.current(cache_versions.TREE),
        *restricted,
        "ids",
        *sorted(page_ids),
    )
    return set(
        cache_versions.versioned(
            key,
            lambda: sorted(
                pages_visible_to(
                    Page.objects.filter(pk__in=page_ids), user=user, session=session
                ).values_list("pk", flat=True)
            ),
            timeout=cache_versions.KEEP_SECONDS,
        )
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
    passed = passed_password_restrictions(session)
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
