"""What view logging keeps: raw view events for a while, daily roll-ups for good.

A view event is written with one INSERT while the lesson page is served, so
it carries everything the roll-ups need (where the person stood at that
moment) and no foreign key the database must check beyond the person and the
lesson; the beacon later raises its furthest slide and time spent with one
UPDATE. Roll-ups are anonymous figures per lesson, day and group of people.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NEEDS_ANALYSIS_PERMISSION = "analytics.view_needs_analysis"


def role_key(role_ids) -> str:
    """The role set as stored: ",1,3," (sorted ids, delimited at both ends, so
    one role is found with a LIKE), or "" for a person with no job role."""
    ids = sorted({int(role_id) for role_id in role_ids})
    return f",{','.join(str(role_id) for role_id in ids)}," if ids else ""


def role_ids_of(key: str) -> tuple[int, ...]:
    """The role ids of a stored role set."""
    return tuple(int(part) for part in key.split(",") if part)


def _loose_reference(to: str, verbose_name) -> models.ForeignKey:
    # A snapshot of where someone stood, not a relation to keep in step: no
    # constraint to check on insert, no index to update, nothing cascades.
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class LessonView(models.Model):
    """One person opening one lesson: who, which revision, where they stood
    (job roles, division, post), when; then how far they read and for how long.

    The id is made by analytics.services.new_view_id (time-ordered, random in
    its low bits), not by the database, so the page can carry it signed before
    the row is written, and a later recorder can write rows in batches.
    `furthest_slide` is the highest slide shown; `read_through_slide` the last
    of an unbroken run from slide 1 (jumping to the end with End or a
    #checkpoint link shows the last slide without reading through). Both are
    NULL when no beacon came: a page read without JavaScript.
    """

    id = models.BigIntegerField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,  # the (user, lesson, started_at) index leads with it
        related_name="+",
        verbose_name=_("person"),
    )
    lesson = models.ForeignKey(
        "learning_series.LessonPage",
        on_delete=models.CASCADE,
        db_index=False,  # read by time and by person; deleting a lesson is rare
        related_name="+",
        verbose_name=_("lesson"),
    )
    series = _loose_reference("wagtailcore.Page", _("series"))
    revision = _loose_reference("wagtailcore.Revision", _("revision read"))
    started_at = models.DateTimeField(_("opened at"))
    slide_count = models.PositiveSmallIntegerField(_("slides"))
    furthest_slide = models.PositiveSmallIntegerField(
        _("furthest slide"), null=True, blank=True
    )
    read_through_slide = models.PositiveSmallIntegerField(
        _("read through to slide"), null=True, blank=True
    )
    seconds_spent = models.PositiveIntegerField(
        _("seconds on the page"), null=True, blank=True
    )
    role_ids = models.CharField(_("job roles"), max_length=200, blank=True)
    division = _loose_reference("organisation.Division", _("division"))
    post = _loose_reference("organisation.Post", _("post"))

    class Meta:
        verbose_name = _("lesson view")
        verbose_name_plural = _("lesson views")
        default_permissions = ()
        indexes = [
            models.Index(
                fields=["user", "lesson", "started_at"], name="analytics_view_reader"
            ),
            models.Index(fields=["started_at"], name="analytics_view_started"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.lesson_id} ({self.started_at:%Y-%m-%d %H:%M})"


# The columns of a view event in the order rows are written in bulk
# (analytics.bulk.insert_rows): by the recorder, the demo and benchmarks.
VIEW_FIELDS = [
    "id",
    "user",
    "lesson",
    "series",
    "revision",
    "started_at",
    "slide_count",
    "furthest_slide",
    "read_through_slide",
    "seconds_spent",
    "role_ids",
    "division",
    "post",
]


def view_row(view: LessonView) -> tuple:
    """A view event as a row of VIEW_FIELDS."""
    return tuple(getattr(view, attname) for attname in _VIEW_ATTNAMES)


class LessonDayRollup(models.Model):
    """Views of one lesson on one day by one group of people (the same set of
    job roles, division and post): anonymous figures, kept for good.

    A person holding several roles is in the group of that set, so every view
    is counted once here; figures by role count such a view once under each
    of its roles.
    """

    day = models.DateField(_("day"))
    lesson = models.ForeignKey(
        "learning_series.LessonPage",
        on_delete=models.CASCADE,
        db_index=False,  # the (lesson, day) index leads with it
        related_name="+",
        verbose_name=_("lesson"),
    )
    series = _loose_reference("wagtailcore.Page", _("series"))
    role_key = models.CharField(_("job roles"), max_length=200, blank=True)
    division = _loose_reference("organisation.Division", _("division"))
    post = _loose_reference("organisation.Post", _("post"))
    views = models.PositiveIntegerField(_("views"), default=0)
    unique_viewers = models.PositiveIntegerField(_("unique viewers"), default=0)
    views_tracked = models.PositiveIntegerField(
        _("views with the slide known"), default=0
    )
    reached_last = models.PositiveIntegerField(
        _("views that reached the last slide"), default=0
    )
    timed_views = models.PositiveIntegerField(_("views with the time known"), default=0)
    median_seconds = models.PositiveIntegerField(
        _("median time (seconds)"), null=True, blank=True
    )
    completions = models.PositiveIntegerField(_("completions"), default=0)

    class Meta:
        verbose_name = _("daily lesson figures")
        verbose_name_plural = _("daily lesson figures")
        default_permissions = ()
        permissions = [("view_needs_analysis", _("Can view the needs analysis"))]
        indexes = [
            models.Index(fields=["day"], name="analytics_rollup_day"),
            models.Index(fields=["lesson", "day"], name="analytics_rollup_lesson"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.lesson_id}: {self.views}"


class ViewerDays(models.Model):
    """On which days one person viewed one lesson while standing in one group
    (the same set of job roles, division and post): a bitmap of days, bit i
    for `first_day` + i days.

    What the dashboard counts people from over any range of days without
    reading the raw events again: a few rows per person and lesson, whatever
    the number of views. It is as personal as the raw events, so it is kept no
    longer: the purge forgets the days it deletes the events of
    (analytics.rollups). `key` names the person, lesson and group, so the
    roll-up finds a row with one indexed lookup.
    """

    key = models.CharField(max_length=255, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,  # found by key; deleting a person is rare
        related_name="+",
        verbose_name=_("person"),
    )
    lesson = models.ForeignKey(
        "learning_series.LessonPage",
        on_delete=models.CASCADE,
        db_index=False,
        related_name="+",
        verbose_name=_("lesson"),
    )
    series = _loose_reference("wagtailcore.Page", _("series"))
    role_key = models.CharField(_("job roles"), max_length=200, blank=True)
    division = _loose_reference("organisation.Division", _("division"))
    post = _loose_reference("organisation.Post", _("post"))
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    days = models.BinaryField(_("days viewed"))

    class Meta:
        verbose_name = _("days a person viewed a lesson")
        verbose_name_plural = _("days people viewed lessons")
        default_permissions = ()
        indexes = [
            models.Index(
                fields=["last_day", "first_day"], name="analytics_viewer_days"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.lesson_id} ({self.first_day}–{self.last_day})"


def viewer_key(user_id, lesson_id, series_id, roles, division_id, post_id) -> str:
    """ViewerDays.key of a person, lesson and group."""
    return ":".join(
        "" if part is None else str(part)
        for part in (user_id, lesson_id, series_id, roles, division_id, post_id)
    )


class SlideReachDay(models.Model):
    """How many of one day's views of a lesson reached each slide (drop-off).

    Only views with the slide known count (a page read without JavaScript
    does not say how far it was read).
    """

    day = models.DateField(_("day"))
    lesson = models.ForeignKey(
        "learning_series.LessonPage",
        on_delete=models.CASCADE,
        db_index=False,
        related_name="+",
        verbose_name=_("lesson"),
    )
    slide_number = models.PositiveSmallIntegerField(_("slide"))
    views_reached = models.PositiveIntegerField(_("views that reached it"))

    class Meta:
        verbose_name = _("daily slide reach")
        verbose_name_plural = _("daily slide reach")
        default_permissions = ()
        indexes = [
            models.Index(fields=["lesson", "day"], name="analytics_reach_lesson"),
            models.Index(fields=["day"], name="analytics_reach_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.lesson_id} #{self.slide_number}: {self.views_reached}"


class RollupDay(models.Model):
    """A day whose roll-ups exist: when they were made, and whether the day's
    raw events have since been purged (its roll-ups are then final)."""

    day = models.DateField(_("day"), primary_key=True)
    rolled_up_at = models.DateTimeField(_("rolled up at"))
    complete = models.BooleanField(
        _("rolled up after the day ended"),
        default=False,
        help_text=_("False while the day's roll-up may still miss later views."),
    )
    views = models.PositiveIntegerField(_("views"), default=0)
    raw_purged = models.BooleanField(_("raw events purged"), default=False)

    class Meta:
        verbose_name = _("rolled-up day")
        verbose_name_plural = _("rolled-up days")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.day)


class LessonViewTotal(models.Model):
    """All views of a lesson ever rolled up: what 「閲覧 1,234 回」 shows."""

    lesson = models.OneToOneField(
        "learning_series.LessonPage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("lesson"),
    )
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("lesson view total")
        verbose_name_plural = _("lesson view totals")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.lesson_id}: {self.views}"


_VIEW_ATTNAMES = [LessonView._meta.get_field(name).attname for name in VIEW_FIELDS]
