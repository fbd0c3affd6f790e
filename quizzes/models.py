"""Quizzes, the checkpoints that place them, and attempts.

(Passes are recorded in the completion ledger, training.CompletionRecord.)
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from .blocks import QuestionBlock, QuestionKind
from .panels import QuestionBankPanel


class Quiz(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    models.Model,
):
    """A question bank, edited and published through the editorial workflow."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    questions = StreamField(
        [("question", QuestionBlock())], verbose_name=_("questions"), blank=True
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="quiz")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="quiz",
        for_concrete_model=False,
    )

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("questions")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        permissions = [("view_item_analysis", _("Can view item analysis"))]

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions


class Checkpoint(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    ClusterableModel,
):
    """Where a quiz is taken: at the end of a lesson or of a series.

    A checkpoint has authority over learners (its pass mark, attempts and
    what a learner is shown afterwards), so it is a snippet with draft state
    and revisions that goes through the 編集審査 workflow: the row holds the
    published version, learners only ever meet a live checkpoint, and each
    attempt records the revision it was taken under and is graded by it.
    """

    lesson = models.ForeignKey(
        "learning_series.LessonPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkpoints",
        verbose_name=_("lesson"),
    )
    series = models.ForeignKey(
        "learning_series.SeriesPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkpoints",
        verbose_name=_("series"),
        help_text=_("For a checkpoint at the end of a series instead of a lesson."),
    )
    quiz = models.ForeignKey(
        Quiz,
        on_delete=models.PROTECT,
        related_name="checkpoints",
        verbose_name=_("quiz"),
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Drawn at random for everyone; roles below may be asked more."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    attempt_limit = models.PositiveSmallIntegerField(
        _("attempt limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited attempts."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )
    # Review options, as Moodle's quiz has them: what a learner is shown of a
    # graded attempt, set apart for a failed attempt with attempts left (a
    # retake is coming: show what to re-read, not the answers to copy) and
    # for the end (a pass, or the last attempt used).
    retry_shows_correctness = models.BooleanField(
        _("whether each answer was right"), default=False
    )
    retry_shows_right_answers = models.BooleanField(
        _("the right answers"), default=False
    )
    retry_shows_explanations = models.BooleanField(_("the explanations"), default=False)
    end_shows_correctness = models.BooleanField(
        _("whether each answer was right"), default=True
    )
    end_shows_right_answers = models.BooleanField(_("the right answers"), default=True)
    end_shows_explanations = models.BooleanField(_("the explanations"), default=True)

    _revisions = GenericRelation(
        "wagtailcore.Revision", related_query_name="checkpoint"
    )
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="checkpoint",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("lesson"),
        FieldPanel("series"),
        FieldPanel("quiz"),
        FieldPanel("questions_per_attempt"),
        InlinePanel("role_draws", label=_("Questions per job role")),
        QuestionBankPanel(heading=_("Variety between attempts")),
        FieldPanel("pass_mark"),
        FieldPanel("attempt_limit"),
        FieldPanel("time_limit_minutes"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("retry_shows_correctness"),
                        FieldPanel("retry_shows_right_answers"),
                        FieldPanel("retry_shows_explanations"),
                    ]
                )
            ],
            heading=_("After a failed attempt with attempts left, show"),
            help_text=_("The score and the slides to re-read are always shown."),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("end_shows_correctness"),
                        FieldPanel("end_shows_right_answers"),
                        FieldPanel("end_shows_explanations"),
                    ]
                )
            ],
            heading=_("After a pass or the last attempt, show"),
        ),
    ]

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        constraints = [
            models.CheckConstraint(
                condition=Q(lesson__isnull=False, series__isnull=True)
                | Q(lesson__isnull=True, series__isnull=False),
                name="quizzes_checkpoint_on_lesson_or_series",
                violation_error_message=_("Choose either a lesson or a series."),
            ),
            models.UniqueConstraint(
                fields=["lesson"],
                condition=Q(lesson__isnull=False),
                name="quizzes_one_checkpoint_per_lesson",
                violation_error_message=_("This lesson already has a checkpoint."),
            ),
            models.UniqueConstraint(
                fields=["series"],
                condition=Q(series__isnull=False),
                name="quizzes_one_checkpoint_per_series",
                violation_error_message=_("This series already has a checkpoint."),
            ),
        ]

    def __str__(self) -> str:
        page = self.lesson or self.series
        return f"{page} — {self.quiz}" if page else str(self.quiz)

    @property
    def page(self):
        return self.lesson or self.series

    @property
    def revisions(self):
        return self._revisions


class CheckpointRoleDraw(Orderable):
    """How many questions a person holding a job role is asked."""

    checkpoint = ParentalKey(
        Checkpoint, on_delete=models.CASCADE, related_name="role_draws"
    )
    role = models.ForeignKey(
        "organisation.JobRole", on_delete=models.CASCADE, verbose_name=_("job role")
    )
    question_count = models.PositiveSmallIntegerField(
        _("questions per attempt"), validators=[MinValueValidator(1)]
    )

    panels = [FieldPanel("role"), FieldPanel("question_count")]

    class Meta(Orderable.Meta):
        verbose_name = _("questions per job role")
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "role"], name="quizzes_one_draw_per_role"
            )
        ]


class Attempt(models.Model):
    """One sitting of a checkpoint by one learner, frozen when it starts."""

    class State(models.TextChoices):
        OPEN = "open", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Time ran out")

    checkpoint = models.ForeignKey(
        Checkpoint,
        on_delete=models.PROTECT,
        related_name="attempts",
        verbose_name=_("checkpoint"),
    )
    # Frozen at the start: the checkpoint may later point at another quiz and
    # the quiz may be edited; this attempt stays graded against what it drew.
    quiz = models.ForeignKey(
        Quiz, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("quiz")
    )
    quiz_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("quiz revision"),
    )
    # The checkpoint's published version when the attempt started: its pass
    # mark, attempt limit and review options grade and show this attempt.
    checkpoint_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("checkpoint revision"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("learner"),
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.OPEN
    )
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "user", "number"],
                name="quizzes_attempt_number_unique",
            ),
            models.UniqueConstraint(
                fields=["checkpoint", "user"],
                condition=Q(state="open"),
                name="quizzes_one_open_attempt",
            ),
        ]
        indexes = [
            models.Index(
                fields=["quiz", "state", "percent"], name="quizzes_attempt_ranking"
            )
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} #{self.number} ({self.user})"


class AttemptQuestion(models.Model):
    """A question drawn into an attempt: its order, its choices and answer key."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    question_key = models.CharField(max_length=36, db_index=True)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    # Choice block ids in the order shown in this attempt; the page shows only
    # their positions, so nothing on it tells a right choice from a wrong one.
    choice_keys = models.JSONField()
    correct_keys = models.JSONField()
    selected_keys = models.JSONField(null=True, blank=True)
    is_correct = models.BooleanField(null=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="quizzes_question_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.position + 1}"
