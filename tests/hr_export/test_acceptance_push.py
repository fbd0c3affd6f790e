"""Issue 12, acceptance 5: with the LRS stopped for part of the run, every
ledger row ends up in it exactly once (a real worker, a real Ralph)."""

from __future__ import annotations

from collections import Counter

import pytest

from hr_export.models import LrsOutboxEntry
from hr_export.xapi import statement_id
from tests.factories import StaffProfileFactory, make_lesson, make_series, read_to_end
from tests.processes import WorkerProcess, wait_until
from training.models import CompletionRecord
from training.services import completion_record_void

from .conftest import BASE_URL
from .lrs_server import RalphLrs


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_row_reaches_an_lrs_stopped_for_part_of_the_run_exactly_once(
    tmp_path, settings, training_admin
):
    ralph = RalphLrs(tmp_path / "ralph", appending=True).start()
    lrs = {
        "GOFUN_LRS_URL": ralph.url,
        "GOFUN_LRS_USERNAME": ralph.auth[0],
        "GOFUN_LRS_PASSWORD": ralph.auth[1],
        "GOFUN_LRS_RETRY_DELAY": "0.5",
        "GOFUN_LRS_RETRY_MAX_DELAY": "2",
        "GOFUN_BASE_URL": BASE_URL,
    }
    settings.GOFUN_LRS_URL = ralph.url
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    worker = WorkerProcess(tmp_path / "worker.log", **lrs).start()
    lesson = make_lesson(series=make_series(), title="USBメモリの取扱い")

    def reads(count: int) -> list[CompletionRecord]:
        return [
            read_to_end(lesson=lesson, user=StaffProfileFactory(roles=["general"]).user)
            for _ in range(count)
        ]

    def outbox(records, **conditions):
        return LrsOutboxEntry.objects.filter(record__in=records, **conditions)

    try:
        before = reads(3)
        wait_until(
            lambda: outbox(before, status="sent").count() == 3,
            message=worker.output(),
        )

        ralph.stop()
        during = reads(3)
        during.append(
            completion_record_void(record=before[0], by=training_admin, reason="重複")
        )
        wait_until(
            lambda: outbox(during, attempts__gte=1).count() == 4,
            message=worker.output(),
        )
        assert not outbox(during, status="sent").exists()

        ralph.start()
        everything = before + during
        wait_until(
            lambda: outbox(everything, status="sent").count() == 7,
            message=worker.output(),
        )
        stored = Counter(s["id"] for s in ralph.statements())
    finally:
        worker.stop()
        ralph.stop()

    expected = {
        str(statement_id(record_id=r.pk, base_url=BASE_URL)) for r in everything
    }
    assert set(stored) == expected
    assert set(stored.values()) == {1}
