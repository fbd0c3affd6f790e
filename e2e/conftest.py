"""The stack the end-to-end tests run against (see e2e/stack.py)."""

from __future__ import annotations

import pytest

from e2e.stack import Stack, StackNotRunning


@pytest.fixture(scope="session")
def stack() -> Stack:
    try:
        return Stack.from_environment()
    except StackNotRunning as error:
        pytest.exit(str(error), returncode=2)
