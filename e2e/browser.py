"""Chromium for the end-to-end journeys: people signed in through the real form.

Debian's Chromium under Playwright (never a downloaded browser), on a phone
(390×844, touch) or a laptop (1366×800). Each person gets a browser context
of their own and signs in at /accounts/login/ as a member of staff would.
Every request for another origin is refused and kept, so a journey can show
that none was made. Screenshots of each step go to var/e2e-screenshots/
(CI keeps the folder); axe-core comes from node_modules (`npm ci`).

Nothing here imports Django: the journeys see the stack only over HTTP and
through `e2e.stack.Stack`.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEVICES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "has_touch": True,
        "is_mobile": True,
    },
    "laptop": {"viewport": {"width": 1366, "height": 800}},
}
SCREENSHOTS = PROJECT / "var" / "e2e-screenshots"
AXE_SCRIPT = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "gofun-demo"  # noqa: S105 - the demo's published password


@dataclass
class Person:
    """One person's browser context on the stack, with the requests it made."""

    name: str
    origin: str
    context: BrowserContext
    page: Page
    device: str
    refused: list[str] = field(default_factory=list)

    def guard(self, route: Route) -> None:
        parts = urlsplit(route.request.url)
        if f"{parts.scheme}://{parts.netloc}" == self.origin or parts.scheme in (
            "data",
            "blob",
        ):
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def go(self, path: str) -> Page:
        response = self.page.goto(self.origin + path)
        assert response is not None and response.status < 400, (
            f"{path} answered {response and response.status}"
        )
        return self.page

    def shot(self, step: str) -> Path:
        """Save what this person sees now as var/e2e-screenshots/STEP.png."""
        return screenshot(self.page, f"{step}-{self.device}")


def sign_in(
    browser: Browser, origin: str, username: str, *, device: str = "laptop"
) -> Person:
    """A new context for `username`, signed in through the sign-in form."""
    context = browser.new_context(locale="ja-JP", **DEVICES[device])
    context.set_default_timeout(20_000)
    page = context.new_page()
    person = Person(
        name=username, origin=origin, context=context, page=page, device=device
    )
    context.route("**/*", person.guard)
    page.goto(f"{origin}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("input[name=password]")).to_have_count(0)
    return person


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def axe_violations(page: Page, *, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the given impacts on the page as it is now.

    axe is evaluated through the DevTools protocol, not added as a <script>,
    so the site's Content-Security-Policy does not stop it.
    """
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"axe-core is missing ({AXE_SCRIPT}): run `npm ci`")
    # Contrast is measured on what is on screen: give a message or dialog
    # up to two seconds to finish fading in (the admin has animations that
    # never end, which are not waited for longer).
    try:
        page.wait_for_function(
            "() => document.getAnimations().every("
            "animation => animation.playState !== 'running')",
            timeout=2_000,
        )
    except PlaywrightTimeoutError:
        pass
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]],
        }
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]


def swipe(person: Person, *, start: tuple[int, int], end: tuple[int, int]) -> None:
    """A one-finger swipe, sent as real touch input through the DevTools protocol."""
    session = person.context.new_cdp_session(person.page)
    (x0, y0), (x1, y1) = start, end
    session.send(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]},
    )
    steps = 6
    for step in range(1, steps + 1):
        session.send(
            "Input.dispatchTouchEvent",
            {
                "type": "touchMove",
                "touchPoints": [
                    {
                        "x": x0 + (x1 - x0) * step / steps,
                        "y": y0 + (y1 - y0) * step / steps,
                    }
                ],
            },
        )
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    session.detach()


def assert_accessible(person: Person, step: str) -> None:
    """No serious or critical axe-core violation on the page as it is now, at
    both screen sizes (the person's own context, its viewport resized)."""
    page = person.page
    own_size = page.viewport_size
    found = {}
    for device in ("phone", "laptop"):
        page.set_viewport_size(DEVICES[device]["viewport"])
        found[device] = axe_violations(page)
    page.set_viewport_size(own_size)
    assert found == {"phone": [], "laptop": []}, f"{step}: {found}"
