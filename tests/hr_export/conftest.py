"""A small ledger for HR's exports: a lesson read, a checkpoint passed, a void
and a person without a staff number; and a real Ralph LRS."""

from __future__ import annotations

import datetime
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from learning_series.models import LessonPage, SeriesPage
from organisation.models import JobRole, RoleAssignment
from quizzes.services import attempt_start, attempt_submit
from tests.factories import StaffProfileFactory, make_lesson, make_series, read_to_end
from tests.processes import free_port
from tests.quizzes.conftest import make_checkpoint, right_answers, seeded
from tests.training.conftest import after_joining, make_curriculum
from training.models import CompletionRecord, ExternalTraining, Requirement
from training.requirements.services import requirements_sync
from training.services import (
    completion_record_external,
    completion_record_void,
    requirement_waive,
)

from .lrs_server import RalphLrs

BASE_URL = "https://gofun.intra.example.go.jp"


def export_file(export_format: str, path: Path) -> Path:
    """Run export_training_records into `path`."""
    call_command(
        "export_training_records",
        "--format",
        export_format,
        "--output",
        str(path),
        stderr=io.StringIO(),
    )
    return path


def pass_checkpoint(checkpoint, user, seed: int = 7) -> CompletionRecord:
    attempt = attempt_start(checkpoint=checkpoint, user=user, rng=seeded(seed))
    attempt_submit(attempt_id=attempt.pk, user=user, answers=right_answers(attempt))
    return CompletionRecord.objects.get(attempt=attempt)


@dataclass
class Ledger:
    series: SeriesPage
    reading: LessonPage
    quizzed: LessonPage
    checkpoint: object
    reader: object
    passer: object
    nameless: object
    read: CompletionRecord
    passed: CompletionRecord
    void: CompletionRecord
    nameless_read: CompletionRecord

    @property
    def records(self) -> list[CompletionRecord]:
        return [self.read, self.passed, self.void, self.nameless_read]


def make_ledger(training_admin) -> Ledger:
    series = make_series(title="情報セキュリティの基本", slug="security-basics")
    reading = make_lesson(series=series, title="パスワードの管理")
    quizzed = make_lesson(series=series, title="標的型メールの見分け方")
    checkpoint = make_checkpoint(lesson=quizzed)
    reader = StaffProfileFactory(
        user__username="reader",
        user__first_name="読了 一郎",
        staff_number="A00001",
        division__name="総務課",
        roles=["general"],
    ).user
    # PJMO from long ago, LAN officer until last year: only PJMO is held now.
    profile = reader.staff_profile
    RoleAssignment.objects.create(
        profile=profile,
        role=JobRole.objects.get(code="pjmo"),
        started_on=datetime.date(2021, 4, 1),
    )
    RoleAssignment.objects.create(
        profile=profile,
        role=JobRole.objects.get(code="lan_it"),
        started_on=datetime.date(2021, 4, 1),
        ended_on=datetime.date(2022, 3, 31),
    )
    passer = StaffProfileFactory(
        user__username="passer",
        user__first_name="合格 花子",
        staff_number="A00002",
        division__name="会計課",
        roles=["general"],
    ).user
    nameless = StaffProfileFactory(
        user__username="nameless", staff_number=None, roles=["general"]
    ).user
    read = read_to_end(lesson=reading, user=reader)
    passed = pass_checkpoint(checkpoint, passer)
    void = completion_record_void(
        record=passed, by=training_admin, reason="受験者の取り違え"
    )
    nameless_read = read_to_end(lesson=reading, user=nameless)
    return Ledger(
        series=series,
        reading=reading,
        quizzed=quizzed,
        checkpoint=checkpoint,
        reader=reader,
        passer=passer,
        nameless=nameless,
        read=read,
        passed=passed,
        void=void,
        nameless_read=nameless_read,
    )


@pytest.fixture
def ledger(db, training_admin) -> Ledger:
    return make_ledger(training_admin)


@dataclass
class TrainingRecords:
    drill: ExternalTraining
    attended: CompletionRecord
    waived: CompletionRecord


@pytest.fixture
def training_records(ledger, training_admin) -> TrainingRecords:
    """The reader attended a phishing drill on 1 April 2025; the passer is
    excused from it."""
    drill = ExternalTraining.objects.create(
        name="標的型メール訓練", code="phishing-drill", kind="drill"
    )
    make_curriculum(items=[{"external_training": drill, **after_joining(90)}])
    requirements_sync()
    attended = completion_record_external(
        user=ledger.reader,
        external_training=drill,
        completed_on=datetime.date(2025, 4, 1),
        by=training_admin,
    )
    waived = requirement_waive(
        requirement=Requirement.objects.get(
            user=ledger.passer, external_training=drill
        ),
        by=training_admin,
        reason="長期出張のため",
    )
    return TrainingRecords(drill=drill, attended=attended, waived=waived)


@pytest.fixture
def staff_without_profile(db):
    return get_user_model().objects.create_user("visitor", password="x" * 20)


@pytest.fixture(scope="session")
def ralph(tmp_path_factory):
    """A Ralph LRS that stores every batch (see ralph_appending_lrs.py),
    shared by the tests: each sends as a site of its own (lrs_site)."""
    lrs = RalphLrs(tmp_path_factory.mktemp("ralph"), appending=True).start()
    yield lrs
    lrs.stop()


@dataclass
class LrsSite:
    """This test's site, pushing to the shared Ralph under a base URL of its
    own, so its statements (ids, actors) are its own."""

    base_url: str
    lrs: RalphLrs

    def stored(self) -> list[dict]:
        return [
            statement
            for statement in self.lrs.statements()
            if statement["actor"]["account"]["homePage"] == self.base_url
        ]


@pytest.fixture
def lrs_site(settings, ralph) -> LrsSite:
    base_url = f"https://gofun-{uuid.uuid4().hex[:12]}.intra.example.go.jp"
    settings.WAGTAILADMIN_BASE_URL = base_url
    settings.GOFUN_LRS_URL = ralph.url
    settings.GOFUN_LRS_USERNAME, settings.GOFUN_LRS_PASSWORD = ralph.auth
    return LrsSite(base_url=base_url, lrs=ralph)


@pytest.fixture
def lrs_down(settings) -> str:
    """GOFUN_LRS_URL pointing at a port where nothing listens."""
    settings.GOFUN_LRS_URL = f"http://127.0.0.1:{free_port()}/xAPI/"
    settings.GOFUN_LRS_USERNAME, settings.GOFUN_LRS_PASSWORD = ("hr", "secret")
    return settings.GOFUN_LRS_URL
