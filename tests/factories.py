"""Factories for the models tests need, and a small lesson tree builder."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from learning_series.marp import Deck, Slide
from learning_series.models import LessonPage, SeriesIndexPage, SeriesPage
from learning_series.services import lesson_create_from_deck
from organisation.models import Division, JobRole, Post, RoleAssignment, StaffProfile

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Sequence(lambda n: f"職員 {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.go.jp")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"division-{n}")
    name = factory.Sequence(lambda n: f"第{n}課")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        django_get_or_create = ("name",)

    name = "本省"
    kind = Post.Kind.HEADQUARTERS


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    division = factory.SubFactory(DivisionFactory)
    post = factory.SubFactory(PostFactory)

    staff_number = factory.Sequence(lambda n: f"T{n:06d}")
    joined_on = factory.LazyFunction(lambda: datetime.date(2020, 4, 1))

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """Role codes held since the person joined (or since `roles__since`)."""
        if create and extracted:
            since = kwargs.get("since") or self.joined_on
            RoleAssignment.objects.bulk_create(
                RoleAssignment(profile=self, role=role, started_on=since)
                for role in JobRole.objects.filter(code__in=extracted)
            )


def lesson_tree_root() -> SeriesIndexPage:
    """The series index created by migration learning_series.0002."""
    return SeriesIndexPage.objects.get(slug="series")


def make_series(*, title: str = "標的型メール攻撃の脅威", slug: str = "") -> SeriesPage:
    series = SeriesPage(title=title, slug=slug or None, summary="テスト用シリーズ")
    lesson_tree_root().add_child(instance=series)
    return series


def make_deck(*, title: str = "添付ファイルに注意", slides: int = 3) -> Deck:
    return Deck(
        title=title,
        summary="テスト用の教材",
        tags=["メール"],
        slides=[
            Slide(
                title=f"スライド{number}",
                body=f"本文{number}：**標的型メール**の見分け方",
                notes=f"ノート{number}",
            )
            for number in range(1, slides + 1)
        ],
    )


def make_lesson(
    *, series: SeriesPage, owner=None, live: bool = True, **deck_options
) -> LessonPage:
    lesson, revision = lesson_create_from_deck(
        series=series, deck=make_deck(**deck_options), owner=owner
    )
    if live:
        revision.publish()
        lesson.refresh_from_db()
    return lesson


def record_reading(*, lesson: LessonPage, user, read_through: bool = True):
    """A view of the lesson's live revision by the person, read through to the
    last slide (or only opened): the evidence reading to the end asks for."""
    from django.utils import timezone

    from analytics.models import LessonView
    from analytics.services import new_view_id

    now = timezone.now()
    slides = lesson.slide_count
    return LessonView.objects.create(
        id=new_view_id(now=now),
        user=user,
        lesson=lesson,
        series_id=lesson.get_parent().pk,
        revision_id=lesson.live_revision_id,
        started_at=now,
        slide_count=slides,
        furthest_slide=slides if read_through else 1,
        read_through_slide=slides if read_through else 1,
        seconds_spent=60 if read_through else 1,
    )


def read_to_end(*, lesson: LessonPage, user, **options):
    """Read the lesson through to its last slide, then record 「読み終えました」
    (the service refuses without that reading)."""
    from training.services import completion_record_read_to_end

    record_reading(lesson=lesson, user=user)
    return completion_record_read_to_end(lesson=lesson, user=user, **options)
