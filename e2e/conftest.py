"""The stack the end-to-end tests run against (see e2e/stack.py), and Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from e2e.browser import CHROMIUM, CHROMIUM_ARGS, Person, sign_in
from e2e.stack import Stack, StackNotRunning


@pytest.fixture(scope="session")
def stack() -> Stack:
    try:
        return Stack.from_environment()
    except StackNotRunning as error:
        pytest.exit(str(error), returncode=2)


@pytest.fixture(scope="session")
def browser(stack):
    if not CHROMIUM.exists():
        pytest.exit(f"No Chromium at {CHROMIUM} (apt-get install chromium)", 2)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def person(browser, stack):
    """`person(username, device="laptop")`: signed in, in a context of their own.

    At the end of the test no page has asked another origin for anything.
    """
    people: list[Person] = []

    def open_(username: str, *, device: str = "laptop") -> Person:
        signed_in = sign_in(browser, stack.url, username, device=device)
        people.append(signed_in)
        return signed_in

    yield open_
    for signed_in in people:
        signed_in.context.close()
    assert [address for p in people for address in p.refused] == []


def pytest_collection_modifyitems(items):
    """The journeys and axe first, on the demo as `bin/stack up` loaded it;
    then the stack's own checks and the fault tests, which stop services and
    leave their traces in the data."""
    items.sort(
        key=lambda item: (
            0 if item.path.name.startswith(("test_journey_", "test_axe")) else 1
        )
    )
