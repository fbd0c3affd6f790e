"""axe-core on every learner page and the admin pages of the journeys, on the stack.

Each page is opened by the person who uses it, on a phone (390×844, touch)
and a laptop (1366×800), as the production stack serves it (its
Content-Security-Policy, its static files, its Japanese): no serious or
critical violation. axe-core comes from node_modules (`npm ci`).

The pages that need something to exist (a lesson, a paper, a result, a
certificate, an editor's view of a lesson) are found as a person would find
them, by following links; the checkpoint's paper and result belong to
`pjmo`, whom no journey follows.
"""

from __future__ import annotations

import re

import pytest

from e2e.browser import axe_violations

DEVICES = ["phone", "laptop"]
SERIES_PATH = "/series/information-security/"
LESSON_PATH = "/series/information-security/information-security-2/"
CHECKPOINT_LESSON_PATH = "/series/pjmo-basics/"

LEARNER_PAGES = {
    "home-my-training": "/",
    "series": SERIES_PATH,
    "lesson-reader": LESSON_PATH,
    "records": "/training/records/",
    "search-results": "/search/?q=メール",
    "certificate-verify-form": "/certificates/verify/",
}
ADMIN_PAGES = {
    # name: (person, path)
    "admin-dashboard-editor": ("editor", "/admin/"),
    "admin-import-pptx": ("author", "/admin/lessons/import-pptx/"),
    "admin-import-markdown": ("author", "/admin/lessons/import-markdown/"),
    "admin-needs-analysis": ("editor", "/admin/needs-analysis/"),
    "admin-compliance-matrix": ("trainer", "/admin/training/reports/matrix/"),
    "admin-record-attendance": ("trainer", "/admin/training/attendance/record/"),
    "admin-hr-export": ("trainer", "/admin/reports/training-records/"),
}


def check(person, step: str) -> None:
    page = person.page
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    person.shot(f"axe-{step}")
    assert violations == [], f"{step} on {person.device}: {violations}"


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", LEARNER_PAGES)
def test_learner_page_has_no_serious_violation(person, device, name):
    learner = person("learner", device=device)
    learner.go(LEARNER_PAGES[name])
    check(learner, f"learner-{name}")


@pytest.mark.parametrize("device", DEVICES)
def test_sign_in_page_has_no_serious_violation(browser, stack, device):
    from e2e.browser import DEVICES as SIZES
    from e2e.browser import screenshot

    context = browser.new_context(locale="ja-JP", **SIZES[device])
    page = context.new_page()
    page.goto(f"{stack.url}/accounts/login/")
    violations = axe_violations(page)
    screenshot(page, f"axe-sign-in-{device}")
    context.close()
    assert violations == []


@pytest.mark.parametrize("device", DEVICES)
def test_lesson_end_and_checkpoint_have_no_serious_violation(person, device):
    learner = person("learner", device=device)
    page = learner.go(LESSON_PATH + "#checkpoint")
    page.locator("#checkpoint").scroll_into_view_if_needed()
    check(learner, "learner-lesson-checkpoint")


@pytest.mark.parametrize("device", DEVICES)
def test_checkpoint_paper_and_result_have_no_serious_violation(person, device):
    pjmo = person("pjmo", device=device)
    page = pjmo.go(CHECKPOINT_LESSON_PATH)
    page.locator("main a[href^='/series/pjmo-basics/']").first.click()
    page.wait_for_load_state()
    page.goto(page.url.split("#")[0] + "#checkpoint")
    start = page.locator("#checkpoint").locator("button, a.button")
    start.filter(has_text=re.compile("チェックポイントを(始める|続ける)")).click()
    page.wait_for_url(re.compile(r"/attempts/\d+/"))
    check(pjmo, "learner-checkpoint-paper")
    # Sent with nothing answered: the paper comes back with the warning.
    page.locator("form[data-quiz] button[type=submit]").first.click()
    page.locator("[data-quiz-warning]").wait_for()
    check(pjmo, "learner-checkpoint-paper-unanswered")
    page.locator("[data-quiz-submit-anyway]").click()
    page.locator("#result-heading").wait_for()
    check(pjmo, "learner-checkpoint-result")


@pytest.mark.parametrize("device", DEVICES)
def test_certificate_has_no_serious_violation(person, device):
    learner = person("learner", device=device)
    page = learner.go("/training/records/")
    page.locator("main a[href^='/certificates/']").first.click()
    page.wait_for_load_state()
    check(learner, "learner-certificate")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_page_of_the_journeys_has_no_serious_violation(person, device, name):
    username, path = ADMIN_PAGES[name]
    someone = person(username, device=device)
    someone.go(path)
    check(someone, name)


EDITED_PAGES = {
    "lesson": "情報セキュリティのルールの全体像と情報の格付け",
    "series": "情報セキュリティの基本ルール",
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", EDITED_PAGES)
def test_page_editor_has_no_serious_violation(person, device, kind):
    editor = person("editor", device=device)
    title = EDITED_PAGES[kind]
    page = editor.go(f"/admin/pages/search/?q={title}")
    page.locator("main a[href$='/edit/']").filter(
        has=page.locator("span", has_text=re.compile(f"^\\s*{title}\\s*$"))
    ).first.click()
    page.wait_for_load_state()
    check(editor, f"admin-{kind}-editor")
