"""What a learner is shown of a graded attempt: review options and slides to re-read.

Like Moodle's quiz review options, each checkpoint says separately for "after
a failed attempt with attempts left" and "at the end" (a pass, or the last
attempt used) whether to show if each answer was right, the right answers
and the explanations. What an option hides is never put into the review at
all, so no template can send it. A failed attempt always lists the slides to
re-read for the questions answered wrongly: the slide a question names, or
else the slide whose words best match the question and its right answer (the
first slide when nothing matches).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from learning_series.visibility import SessionLike, pages_visible_to

from .models import Attempt, Checkpoint
from .selectors import ChoiceView, QuestionView, frozen_bank


@dataclass(frozen=True)
class ReviewOptions:
    correctness: bool
    right_answers: bool
    explanations: bool


@dataclass(frozen=True)
class SlideLink:
    url: str
    number: int
    title: str
    lesson_title: str = ""


@dataclass(frozen=True)
class AttemptReview:
    is_final: bool
    options: ReviewOptions
    questions: list[QuestionView]
    slides_to_reread: list[SlideLink] = field(default_factory=list)


def review_options_for(*, checkpoint: Checkpoint, is_final: bool) -> ReviewOptions:
    if is_final:
        return ReviewOptions(
            correctness=checkpoint.end_shows_correctness,
            right_answers=checkpoint.end_shows_right_answers,
            explanations=checkpoint.end_shows_explanations,
        )
    return ReviewOptions(
        correctness=checkpoint.retry_shows_correctness,
        right_answers=checkpoint.retry_shows_right_answers,
        explanations=checkpoint.retry_shows_explanations,
    )


def attempt_is_final(*, attempt: Attempt) -> bool:
    """Whether the learner is done with this checkpoint: this attempt or an
    earlier one passed, or no attempts are left under the published limit."""
    if attempt.passed:
        return True
    others = Attempt.objects.filter(
        checkpoint_id=attempt.checkpoint_id, user_id=attempt.user_id
    )
    if others.filter(passed=True).exists():
        return True
    limit = attempt.checkpoint.attempt_limit
    return limit is not None and others.count() >= limit


def _bigrams(text: str) -> set[str]:
    """Character pairs: Japanese has no spaces, and pairs of characters match
    words and their compounds well enough to pick a slide."""
    letters = "".join(character for character in text.casefold() if character.isalnum())
    return {letters[index : index + 2] for index in range(len(letters) - 1)}


@dataclass(frozen=True)
class _Slide:
    lesson_url: str
    lesson_title: str
    number: int
    title: str
    words: frozenset[str]


def _slides_of(*, checkpoint: Checkpoint, user, session: SessionLike) -> list[_Slide]:
    from learning_series.models import LessonPage

    if checkpoint.lesson_id:
        lessons = LessonPage.objects.filter(pk=checkpoint.lesson_id)
    else:
        lessons = LessonPage.objects.child_of(checkpoint.series)
    slides = []
    for lesson in pages_visible_to(lessons, user=user, session=session).order_by(
        "path"
    ):
        for number, block in enumerate(lesson.slides.raw_data, 1):
            value = block.get("value") or {}
            title = value.get("title") or ""
            slides.append(
                _Slide(
                    lesson_url=lesson.url or "",
                    lesson_title=lesson.title,
                    number=number,
                    title=title,
                    words=frozenset(_bigrams(f"{title} {value.get('body') or ''}")),
                )
            )
    return slides


def _slide_for(
    question: dict, slides: list[_Slide], *, single_lesson: bool
) -> _Slide | None:
    named = question.get("slide")
    if named and single_lesson and 1 <= named <= len(slides):
        return slides[named - 1]
    words = _bigrams(question["text"] + " " + " ".join(question["right_texts"]))
    # Nothing in common with any slide: the lesson from its start.
    best, best_score = (slides[0] if slides else None), 0
    for slide in slides:
        score = len(words & slide.words)
        if score > best_score:
            best, best_score = slide, score
    return best


def attempt_review(
    *, attempt: Attempt, checkpoint: Checkpoint, user=None, session: SessionLike = None
) -> AttemptReview | None:
    """A graded attempt as the review options let the learner see it.

    `checkpoint` is the version the attempt was taken under (its options
    apply). Returns None for an attempt not yet graded.
    """
    if attempt.state != Attempt.State.SUBMITTED:
        return None
    is_final = attempt_is_final(attempt=attempt)
    options = review_options_for(checkpoint=checkpoint, is_final=is_final)
    bank = frozen_bank(attempt)
    questions = []
    wrong = []
    for question in attempt.questions.all():
        entry = bank[question.question_key]
        choices = entry["choices"]
        if not question.is_correct:
            wrong.append(
                {
                    "text": entry["text"],
                    "slide": entry.get("slide"),
                    "right_texts": [
                        choices[key]["text"]
                        for key in question.correct_keys
                        if key in choices
                    ],
                }
            )
        questions.append(
            QuestionView(
                position=question.position,
                text=entry["text"],
                multiple=question.kind == "multiple",
                is_correct=question.is_correct if options.correctness else None,
                choices=[
                    ChoiceView(
                        index=index,
                        text=choices[key]["text"],
                        explanation=(
                            choices[key]["explanation"] if options.explanations else ""
                        ),
                        correct=options.right_answers and key in question.correct_keys,
                        selected=key in (question.selected_keys or []),
                    )
                    for index, key in enumerate(question.choice_keys)
                ],
            )
        )
    slides_to_reread: list[SlideLink] = []
    if not attempt.passed and wrong:
        slides = _slides_of(
            checkpoint=attempt.checkpoint, user=user or attempt.user, session=session
        )
        single_lesson = bool(attempt.checkpoint.lesson_id)
        seen = set()
        for question in wrong:
            slide = _slide_for(question, slides, single_lesson=single_lesson)
            if slide is None or (slide.lesson_url, slide.number) in seen:
                continue
            seen.add((slide.lesson_url, slide.number))
            slides_to_reread.append(
                SlideLink(
                    url=f"{slide.lesson_url}#slide-{slide.number}",
                    number=slide.number,
                    title=slide.title,
                    lesson_title=slide.lesson_title if not single_lesson else "",
                )
            )
        slides_to_reread.sort(key=lambda link: (link.lesson_title, link.number))
    return AttemptReview(
        is_final=is_final,
        options=options,
        questions=questions,
        slides_to_reread=slides_to_reread,
    )
