from functools import partial

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the block enqueued on commit.

    Tests run inside a transaction that never commits, so the signal
    handlers' on_commit callbacks (the index updates) would never fire; this
    runs them as the block ends, as a real commit would.
    """
    return partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture(autouse=True)
def _index_updates_run_inline(settings):
    """Run the index-update tasks inline, as each commit happens.

    The site queues them for the worker (django-tasks-db); these tests are
    about what the index holds once they have run, not about the queue, which
    tests/cms/test_worker.py drives with a real worker process.
    """
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
