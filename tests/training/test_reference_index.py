"""The ledger stays out of Wagtail's reference index: a lesson's usage would
list learners' records by name to editors."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ReferenceIndex

from quizzes.services import attempt_start, attempt_submit
from tests.quizzes.conftest import make_checkpoint, right_answers, seeded
from training.models import CompletionRecord

pytestmark = pytest.mark.django_db


def test_a_pass_adds_nothing_to_the_reference_index(learner):
    checkpoint = make_checkpoint()
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(2))

    attempt_submit(attempt_id=attempt.pk, user=learner, answers=right_answers(attempt))

    assert CompletionRecord.objects.count() == 1
    ledger = ContentType.objects.get_for_model(CompletionRecord)
    assert not ReferenceIndex.objects.filter(base_content_type=ledger).exists()
    # The lesson's usage names its checkpoint, not the learners who passed.
    usage = ReferenceIndex.get_references_to(checkpoint.lesson)
    assert [reference.base_content_type.model for reference in usage] == ["checkpoint"]


def test_migration_drops_the_ledgers_rows_from_the_reference_index(learner):
    checkpoint = make_checkpoint()
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(2))
    attempt_submit(attempt_id=attempt.pk, user=learner, answers=right_answers(attempt))
    record = CompletionRecord.objects.get()
    # Written as Wagtail did before the ledger was left out.
    ReferenceIndex.create_or_update_for_object(record)
    lesson_references = ReferenceIndex.get_references_to(checkpoint.lesson)
    ledger = ContentType.objects.get_for_model(CompletionRecord)
    others = ReferenceIndex.objects.exclude(base_content_type=ledger).count()
    assert lesson_references.filter(base_content_type=ledger).exists()
    migration = import_module(
        "quizzes.migrations.0008_ledger_out_of_the_reference_index"
    )

    migration.drop_ledger_references(apps, None)

    assert not ReferenceIndex.objects.filter(base_content_type=ledger).exists()
    assert ReferenceIndex.objects.count() == others
