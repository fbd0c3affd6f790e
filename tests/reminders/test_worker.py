"""The reminders task runs on the real task worker (django-tasks-db's
db_worker), as a scheduler that enqueues it would have it."""

import pytest
from django_tasks import TaskResultStatus

from reminders.models import ReminderMail
from reminders.tasks import send_training_reminders_task
from tests.processes import WorkerProcess, wait_until

from .conftest import staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_reminders_task_queued_for_the_worker_sends_once(
    tmp_path, mandatory_course, division
):
    learner = staff("learner", due_in=-3, division=division)
    first = send_training_reminders_task.enqueue()
    assert send_training_reminders_task.get_result(first.id).status == (
        TaskResultStatus.READY
    )

    worker = WorkerProcess(tmp_path / "worker.log").start()
    try:

        def finished(result) -> bool:
            status = send_training_reminders_task.get_result(result.id).status
            return status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)

        wait_until(lambda: finished(first), timeout=120, message=worker.output())
        again = send_training_reminders_task.enqueue()
        wait_until(lambda: finished(again), timeout=120, message=worker.output())
    finally:
        worker.stop()

    done = send_training_reminders_task.get_result(first.id)
    repeated = send_training_reminders_task.get_result(again.id)
    assert done.status == TaskResultStatus.SUCCESSFUL, worker.output()
    assert done.return_value["sent"] >= 1
    assert repeated.return_value["sent"] == 0
    mail = ReminderMail.objects.get(recipient=learner)
    assert mail.state == ReminderMail.State.SENT
