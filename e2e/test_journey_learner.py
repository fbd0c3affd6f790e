"""Journey: a learner on a phone takes a lesson the material revision re-opened.

On a 390×844 touch screen the learner finds 情報セキュリティの基本ルール in
マイ研修 as 受講中 (the demo's material revision re-opened its first lesson),
follows its link, reads the lesson with swipes and then with the keyboard,
fails the checkpoint, re-reads, passes it, and finds the item completed in
マイ研修 — and in the ledger the stack keeps.
"""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from e2e.browser import assert_accessible, swipe

SERIES = "情報セキュリティの基本ルール"
ATTEMPT_URL = re.compile(r"/attempts/(\d+)/")
LESSON_PATH = "/series/information-security/information-security-1/"

ANSWER_KEY = """
import json
from quizzes.models import AttemptQuestion
print(json.dumps([
    [question.position, len(question.choice_keys),
     [index for index, key in enumerate(question.choice_keys)
      if key in question.correct_keys]]
    for question in AttemptQuestion.objects.filter(attempt_id={attempt_id})
]))
"""


def answer_key(stack, attempt_id: int) -> list[tuple[int, int, list[int]]]:
    """Each question's position, number of choices and right choices, as the
    stack froze them into the attempt (what the question's author knows)."""
    output = stack.manage("shell", "-c", ANSWER_KEY.format(attempt_id=attempt_id))
    return json.loads(output.stdout.strip().splitlines()[-1])


def my_training_item(page, title: str):
    return page.locator(".my-training__item").filter(
        has=page.locator(".my-training__title", has_text=title)
    )


def learner_status(stack) -> str:
    statuses = json.loads(stack.manage("training_status", "learner", "--json").stdout)
    return next(row["status"] for row in statuses if row["item"] == SERIES)


def position(page) -> str:
    return page.locator("[data-reader-position]").inner_text()


def answer(page, key, *, right: bool) -> None:
    for question_position, choices, right_choices in key:
        if right:
            chosen = right_choices
        else:
            chosen = [next(i for i in range(choices) if i not in right_choices)]
        for index in chosen:
            page.locator(f"#question-{question_position}-{index}").check()


def test_learner_on_a_phone_reads_fails_then_passes_and_my_training_changes(
    stack, person
):
    learner = person("learner", device="phone")
    assert learner_status(stack) == "in_progress"

    # マイ研修 says the series is under way and what to do next.
    page = learner.go("/")
    item = my_training_item(page, SERIES)
    expect(item.locator(".status")).to_have_text("受講中")
    expect(item).to_contain_text("再受講")
    item.scroll_into_view_if_needed()
    learner.shot("learner-01-my-training-in-progress")
    assert_accessible(learner, "マイ研修 with the item in progress")
    item.locator("a.my-training__action").click()
    page.wait_for_load_state()
    if LESSON_PATH not in page.url:  # the link may name the checkpoint
        learner.go(LESSON_PATH)
    expect(page.locator("[data-reader-position]")).to_contain_text("1 /")
    total = int(re.search(r"/\s*(\d+)", position(page))[1])
    learner.shot("learner-02-lesson-first-slide")

    # Swipes move the reader: right to left is next, left to right back.
    for expected in (2, 3):
        swipe(learner, start=(330, 420), end=(60, 430))
        expect(page.locator("[data-reader-position]")).to_contain_text(f"{expected} /")
    swipe(learner, start=(60, 420), end=(330, 430))
    expect(page.locator("[data-reader-position]")).to_contain_text("2 /")
    learner.shot("learner-03-swiped-to-slide-2")

    # The keyboard moves it too, focus on the new slide's heading.
    for expected in range(3, total + 1):
        page.keyboard.press("ArrowRight")
        expect(page.locator("[data-reader-position]")).to_contain_text(f"{expected} /")
    focused = page.evaluate("() => document.activeElement.closest('[data-slide]').id")
    assert focused == f"slide-{total}"
    learner.shot("learner-04-keyboard-last-slide")
    assert_accessible(learner, "last slide and checkpoint")

    # The checkpoint at the end: a wrong paper fails.
    checkpoint = page.locator("#checkpoint")
    checkpoint.scroll_into_view_if_needed()
    learner.shot("learner-05-checkpoint")
    # (An attempt left open, say by a browser that closed, is continued.)
    checkpoint.locator("button, a.button").filter(
        has_text=re.compile("チェックポイントを(始める|続ける)")
    ).click()
    page.wait_for_url(ATTEMPT_URL)
    attempt_id = int(ATTEMPT_URL.search(page.url)[1])
    answer(page, answer_key(stack, attempt_id), right=False)
    learner.shot("learner-06-first-attempt-answered")
    assert_accessible(learner, "paper answered")
    page.locator("form[data-quiz] button[type=submit]").first.click()
    page.wait_for_load_state()
    expect(page.locator("#result-heading")).to_have_text("不合格")
    learner.shot("learner-07-failed")
    assert_accessible(learner, "failed attempt")
    assert learner_status(stack) == "in_progress"

    # Again: the retake draws a paper; the right answers pass.
    failed_url = page.url
    page.get_by_role("button", name="もう一度受ける").click()
    page.wait_for_url(lambda url: url != failed_url and ATTEMPT_URL.search(url))
    retake = int(ATTEMPT_URL.search(page.url)[1])
    assert retake != attempt_id
    answer(page, answer_key(stack, retake), right=True)
    page.locator("form[data-quiz] button[type=submit]").first.click()
    page.wait_for_load_state()
    expect(page.locator("#result-heading")).to_have_text("合格")
    learner.shot("learner-08-passed")
    assert_accessible(learner, "passed attempt")

    # マイ研修 now has the series among the completed items.
    page = learner.go("/")
    item = my_training_item(page, SERIES)
    expect(item.locator(".status")).to_have_text("修了")
    page.locator(".my-training details summary").click()
    item.scroll_into_view_if_needed()
    learner.shot("learner-09-my-training-completed")
    assert_accessible(learner, "マイ研修 with the item completed")
    assert learner_status(stack) == "completed"
