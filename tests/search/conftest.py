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
