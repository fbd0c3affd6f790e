"""Journey: an editor opens ニーズ分析 and sees the views, today's included.

The editor opens Reports → ニーズ分析 and reads the totals, the views over
time and the views by series and lesson (the demo's 44,261 views of the past
year among them). A member of staff at a mission then reads a lesson on a
phone; the editor shows the dashboard again and finds that view counted,
through the whole stack: the page's one INSERT in PostgreSQL, the roll-up the
dashboard runs for today, the figures served through the proxy.
"""

from __future__ import annotations

import time

from playwright.sync_api import expect

from e2e.browser import assert_accessible

LESSON_SERIES = "/series/ai-basics/"


def total_views(page) -> int:
    figure = page.locator(".needs-totals div").first.locator("dd").inner_text()
    return int(figure.replace(",", ""))


def settled_total(page, *, differs_from: int | None = None) -> int:
    """The total views once the worker's roll-up has caught up.

    Opening the dashboard enqueues the roll-up of today so far; on the stack
    the task worker runs it a moment later, so the figures follow on a
    reload. Reload until two readings agree (and differ from `differs_from`).
    """
    deadline = time.monotonic() + 60
    last = None
    while True:
        total = total_views(page)
        if total == last and total != differs_from:
            return total
        assert time.monotonic() < deadline, f"the views never settled ({total})"
        last = total
        time.sleep(2)
        page.reload()


def test_editor_sees_the_views_in_needs_analysis(person):
    editor = person("editor")
    page = editor.go("/admin/")
    page.get_by_role("button", name="レポート").click()
    page.get_by_role("link", name="ニーズ分析").click()
    page.wait_for_load_state()
    expect(page.locator("#needs-summary")).to_be_visible()
    before = settled_total(page)
    assert before > 40_000  # the demo's year of views
    editor.shot("needs-01-summary")
    page.locator("#needs-over-time").scroll_into_view_if_needed()
    over_time = page.locator("section[aria-labelledby=needs-over-time]")
    expect(over_time.locator("svg").first).to_be_visible()
    expect(over_time.locator("table tbody tr").first).to_be_visible()
    editor.shot("needs-02-views-over-time")
    series = page.locator("section[aria-labelledby=needs-series]")
    series.scroll_into_view_if_needed()
    expect(series.locator("table tbody tr").first).to_be_visible()
    editor.shot("needs-03-series-and-lessons")

    # A reader at a mission opens a lesson on a phone.
    reader = person("learner-mission", device="phone")
    page_of_reader = reader.go(LESSON_SERIES)
    page_of_reader.locator("main a[href^='/series/ai-basics/']").first.click()
    page_of_reader.wait_for_load_state()
    expect(page_of_reader.locator("[data-reader-position]")).to_contain_text("1 /")
    reader.shot("needs-04-reader-opens-lesson")

    page.reload()
    assert settled_total(page, differs_from=before) == before + 1
    editor.shot("needs-05-the-view-counted")
    assert_accessible(editor, "ニーズ分析")
