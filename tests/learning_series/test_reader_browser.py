"""The reader in Debian's Chromium against a live server, on a phone and a laptop.

Slide 1 in the first screen, keys, swipes, buttons, focus and the live
region, the key hint only with a keyboard, the compact header, the call to
action at the end of the deck, deep links, one-page mode, print, the page
without JavaScript, and no request to another origin. Screenshots go to
var/screenshots/. Skipped, with the reason, when Chromium is missing.
"""

import pytest

from learning_series.services import lesson_import_markdown
from tests.browser import live_database, needs_chromium, screenshot
from tests.factories import make_series
from tests.quizzes.conftest import make_checkpoint

pytestmark = [needs_chromium, live_database]

# Chromium's own phrase model (word-break: auto-phrase) would break 全体|像.
LESSON_TITLE = "情報セキュリティのルールの全体像と情報の格付け"
SUMMARY = "不審なメールの見分け方と報告の流れを学びます。"
FIRST_LINE = "標的型メールは、特定の組織や職員をねらって送られる攻撃メールです。"
DECK = (
    f"---\ntitle: {LESSON_TITLE}\nsummary: {SUMMARY}\ntags: [メール]\n---\n"
    + "\n---\n".join(
        f"# スライド{number}の見出し\n\n"
        + (f"{FIRST_LINE}\n\n" if number == 1 else "")
        + f"- 本文{number}\n\n<!-- ノート{number} -->"
        for number in range(1, 5)
    )
)
BOTH = pytest.mark.parametrize("device", ["phone", "laptop"])


@pytest.fixture
def lesson(editor):
    """A four-slide lesson imported from Markdown and published."""
    return lesson_import_markdown(
        series=make_series(slug="mail"),
        owner=editor,
        source_name="mail-1.md",
        content=DECK,
        publish=True,
    )


@pytest.fixture
def read(visit, learner, lesson):
    """`read(device, ...)` opens the lesson as the learner; see tests.browser.visit."""

    def open_(device: str, *, fragment: str = "", **options):
        return visit(lesson.url + fragment, user=learner, device=device, **options)

    return open_


def visible_slides(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-slide]",
        "slides => slides.filter(s => getComputedStyle(s).display !== 'none')"
        ".map(s => s.id)",
    )


def position(page) -> str:
    return page.locator("[data-reader-position]").inner_text()


def shown_below_the_last_slide(page, action) -> bool:
    """Whether `action` (a locator) is on view, scrolled to, below slide 4."""
    action.scroll_into_view_if_needed()
    last_slide = page.locator("#slide-4").bounding_box()
    return action.is_visible() and (
        action.bounding_box()["y"] > last_slide["y"] + last_slide["height"]
    )


def swipe(visit_, *, start: tuple[int, int], end: tuple[int, int], steps: int = 6):
    """A one-finger swipe, sent as real touch input through the DevTools protocol."""
    session = visit_.context.new_cdp_session(visit_.page)
    (x0, y0), (x1, y1) = start, end
    session.send(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]},
    )
    for step in range(1, steps + 1):
        x = x0 + (x1 - x0) * step / steps
        y = y0 + (y1 - y0) * step / steps
        session.send(
            "Input.dispatchTouchEvent",
            {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]},
        )
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    session.detach()


FIRST_SCREEN = """() => {
    const box = element => element.getBoundingClientRect();
    const body = document.querySelector('#slide-1 .slide__body');
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT,
        {acceptNode: node => node.textContent.trim() ? NodeFilter.FILTER_ACCEPT
                                                      : NodeFilter.FILTER_SKIP});
    const text = walker.nextNode();
    const range = document.createRange();
    range.selectNodeContents(text);
    return {
        scrollY: window.scrollY,
        viewport: window.innerHeight,
        title: box(document.querySelector('#slide-1 .slide__title')).toJSON(),
        firstLine: range.getClientRects()[0].toJSON(),
        firstLineText: text.textContent.trim(),
        slide: box(document.querySelector('#slide-1')).toJSON(),
        bar: box(document.querySelector('[data-reader-controls]')).toJSON(),
    };
}"""


@BOTH
def test_slide_one_title_and_first_line_are_in_the_first_screen(read, device):
    page = read(device).page

    screen = page.evaluate(FIRST_SCREEN)
    screenshot(page, f"reader-{device}-first-screen")

    assert screen["scrollY"] == 0
    assert screen["firstLineText"] == FIRST_LINE
    bar = screen["bar"]
    # The bar of controls sits at the bottom of the screen, not at the top.
    assert bar["bottom"] == pytest.approx(screen["viewport"], abs=1)
    assert bar["top"] > screen["viewport"] * 0.8
    # Title and first line are on screen, above the bar.
    assert 0 <= screen["title"]["top"] < screen["title"]["bottom"] <= bar["top"]
    assert screen["title"]["bottom"] <= screen["firstLine"]["top"]
    assert screen["firstLine"]["bottom"] <= bar["top"]
    # The slide fills the screen down to the bar.
    assert screen["slide"]["bottom"] >= bar["top"]


@BOTH
def test_the_summary_and_tags_fold_into_a_disclosure_while_reading(read, device):
    page = read(device).page
    about = page.locator("[data-reader-about]")

    assert not page.get_by_text(SUMMARY).is_visible()
    about.locator("summary").click()
    assert page.get_by_text(SUMMARY).is_visible()
    assert about.locator(".tag").inner_text() == "メール"


def test_on_a_phone_the_site_header_folds_behind_a_menu_button(read):
    page = read("phone").page
    menu = page.get_by_role("button", name="メニュー")
    sign_out = page.get_by_role("button", name="サインアウト")

    assert page.locator(".site-header").bounding_box()["height"] < 70
    assert not sign_out.is_visible()
    assert menu.get_attribute("aria-expanded") == "false"

    menu.click()

    assert sign_out.is_visible()
    assert page.locator("#site-search-input").is_visible()
    assert menu.get_attribute("aria-expanded") == "true"


def test_on_a_laptop_the_site_header_stays_open(read):
    page = read("laptop").page

    assert page.get_by_role("button", name="サインアウト").is_visible()
    assert not page.get_by_role("button", name="メニュー").is_visible()


@BOTH
def test_reader_shows_one_slide_at_a_time(read, device):
    page = read(device).page

    assert visible_slides(page) == ["slide-1"]
    assert position(page) == "1 / 4"
    assert page.locator("[data-reader-controls]").is_visible()


def test_arrow_keys_move_between_slides(read):
    page = read("laptop").page

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert visible_slides(page) == ["slide-3"]
    assert position(page) == "3 / 4"
    assert page.locator("[data-reader-progress]").get_attribute("max") == "4"
    assert page.evaluate("document.querySelector('[data-reader-progress]').value") == 3
    assert page.url.endswith("#slide-3")

    page.keyboard.press("ArrowLeft")
    assert visible_slides(page) == ["slide-2"]
    page.keyboard.press("End")
    assert visible_slides(page) == ["slide-4"]
    page.keyboard.press("Home")
    assert visible_slides(page) == ["slide-1"]


def test_keys_typed_into_the_search_box_do_not_move_slides(read):
    page = read("laptop").page

    page.locator("#site-search-input").fill("メール")
    page.locator("#site-search-input").press("ArrowLeft")
    page.locator("#site-search-input").press("ArrowRight")

    assert visible_slides(page) == ["slide-1"]


def test_swiping_left_and_right_moves_between_slides(read):
    opened = read("phone")
    page = opened.page
    box = page.locator("#slide-1").bounding_box()
    middle_y = int(box["y"] + 150)

    swipe(opened, start=(320, middle_y), end=(80, middle_y + 10))
    assert visible_slides(page) == ["slide-2"]
    swipe(opened, start=(320, middle_y), end=(80, middle_y))
    assert visible_slides(page) == ["slide-3"]
    swipe(opened, start=(80, middle_y), end=(320, middle_y - 10))
    assert visible_slides(page) == ["slide-2"]
    assert position(page) == "2 / 4"
    assert page.url.endswith("#slide-2")  # the browser did not take it for "back"
    screenshot(page, "reader-phone-after-swipes")


def test_scrolling_up_and_down_does_not_turn_the_slide(read):
    opened = read("phone")
    page = opened.page

    swipe(opened, start=(200, 700), end=(230, 250))

    assert visible_slides(page) == ["slide-1"]
    assert page.evaluate("window.scrollY") > 100  # the page scrolled as usual


def test_a_short_sideways_drag_does_not_turn_the_slide(read):
    opened = read("phone")
    page = opened.page
    middle_y = int(page.locator("#slide-1").bounding_box()["y"] + 150)

    swipe(opened, start=(220, middle_y), end=(190, middle_y))

    assert visible_slides(page) == ["slide-1"]


def test_buttons_move_and_stop_at_the_last_slide(read):
    page = read("phone").page
    next_button = page.get_by_role("button", name="次のスライド")

    for _ in range(3):
        next_button.click()
    next_button.focus()
    page.keyboard.press("Enter")  # on the now disabled button

    assert visible_slides(page) == ["slide-4"]
    assert next_button.get_attribute("aria-disabled") == "true"
    # A disabled button keeps focus instead of dropping it to the page.
    assert page.evaluate("document.activeElement.hasAttribute('data-reader-next')")
    page.get_by_role("button", name="前のスライド").click()
    assert visible_slides(page) == ["slide-3"]


def test_key_hint_is_hidden_on_a_touch_screen(read):
    page = read("phone").page

    assert page.locator("[data-reader-controls]").is_visible()
    assert not page.locator("[data-reader-hint]").is_visible()


def test_key_hint_is_shown_with_a_keyboard_and_mouse(read):
    page = read("laptop").page

    assert page.locator("[data-reader-hint]").is_visible()
    assert "← → キー" in page.locator("[data-reader-hint]").inner_text()


def announced(page) -> str:
    return page.locator("[data-reader-announcer]").inner_text()


def test_a_key_moves_focus_to_the_new_slide_heading_and_announces_it(read):
    page = read("laptop").page
    announcer = page.locator("[data-reader-announcer]")

    assert announcer.get_attribute("aria-live") == "polite"
    page.keyboard.press("ArrowRight")

    assert page.evaluate("document.activeElement.id") == "slide-2-title"
    assert announced(page) == "スライド 2 / 4: スライド2の見出し"


def test_a_swipe_moves_focus_to_the_new_slide_heading_and_announces_it(read):
    opened = read("phone")
    page = opened.page
    middle_y = int(page.locator("#slide-1").bounding_box()["y"] + 150)

    swipe(opened, start=(320, middle_y), end=(60, middle_y))

    assert page.evaluate("document.activeElement.id") == "slide-2-title"
    assert announced(page) == "スライド 2 / 4: スライド2の見出し"


def test_a_button_moves_focus_to_the_new_slide_heading_and_announces_it(read):
    page = read("phone").page

    page.get_by_role("button", name="次のスライド").click()
    page.get_by_role("button", name="次のスライド").click()

    assert page.evaluate("document.activeElement.id") == "slide-3-title"
    assert announced(page) == "スライド 3 / 4: スライド3の見出し"


LISTEN_TO_SLIDES = """
window.slidesShown = [];
document.addEventListener('gofun:slide', event => {
    window.slidesShown.push({
        ...event.detail,
        fromReader: event.target.hasAttribute('data-reader'),
    });
});
"""


def test_every_slide_shown_is_told_to_listeners_first_one_included(read, lesson):
    page = read("laptop", init_script=LISTEN_TO_SLIDES).page

    page.wait_for_function("window.slidesShown.length === 1")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    page.keyboard.press("End")  # already there: nothing new is shown

    assert page.evaluate("window.slidesShown") == [
        {"number": number, "total": 4, "lessonId": lesson.pk, "fromReader": True}
        for number in (1, 2, 4)
    ]
    assert page.evaluate("typeof window.gofunReader") == "undefined"


@BOTH
def test_the_last_slide_ends_with_read_to_end(read, device):
    page = read(device).page
    read_to_end = page.get_by_role("button", name="読み終えました")

    assert not read_to_end.is_visible()
    page.get_by_role("button", name="次のスライド").click()
    assert not read_to_end.is_visible()

    page.keyboard.press("End")

    assert visible_slides(page) == ["slide-4"]
    assert shown_below_the_last_slide(page, read_to_end)
    screenshot(page, f"reader-{device}-last-slide-read-to-end")


@BOTH
def test_the_last_slide_ends_with_the_checkpoint(visit, learner, lesson, device):
    make_checkpoint(lesson=lesson)
    page = visit(lesson.url, user=learner, device=device).page
    start = page.get_by_role("button", name="チェックポイントを始める")

    assert not start.is_visible()

    page.keyboard.press("End")

    assert visible_slides(page) == ["slide-4"]
    assert shown_below_the_last_slide(page, start)
    assert not page.get_by_role("button", name="読み終えました").is_visible()
    screenshot(page, f"reader-{device}-last-slide-checkpoint")


def test_returning_to_the_checkpoint_opens_the_last_slide(read):
    page = read("phone", fragment="#checkpoint").page

    assert visible_slides(page) == ["slide-4"]
    assert page.get_by_role("button", name="読み終えました").is_visible()


@BOTH
def test_without_javascript_the_lesson_is_one_page_with_the_action_at_the_end(
    read, device
):
    page = read(device, javascript=False).page
    read_to_end = page.get_by_role("button", name="読み終えました")

    assert visible_slides(page) == ["slide-1", "slide-2", "slide-3", "slide-4"]
    assert not page.locator("[data-reader-controls]").is_visible()
    assert page.get_by_text(SUMMARY).is_visible()
    assert shown_below_the_last_slide(page, read_to_end)
    screenshot(page, f"reader-{device}-without-javascript-end")


def test_a_deep_link_opens_that_slide(read):
    page = read("phone", fragment="#slide-3").page

    assert visible_slides(page) == ["slide-3"]
    assert position(page) == "3 / 4"


def test_one_page_mode_shows_every_slide(read):
    page = read("laptop").page

    page.get_by_role("button", name="すべてのスライドを1ページで表示").click()

    assert visible_slides(page) == ["slide-1", "slide-2", "slide-3", "slide-4"]
    assert page.get_by_role("button", name="読み終えました").is_visible()
    page.keyboard.press("ArrowRight")
    assert len(visible_slides(page)) == 4

    page.get_by_role("button", name="1枚ずつ表示").click()
    assert visible_slides(page) == ["slide-1"]


def test_print_shows_every_slide_one_per_page(read):
    page = read("laptop").page

    page.emulate_media(media="print")

    assert visible_slides(page) == ["slide-1", "slide-2", "slide-3", "slide-4"]
    assert not page.locator("[data-reader-controls]").is_visible()
    assert (
        page.eval_on_selector("#slide-1", "s => getComputedStyle(s).breakAfter")
        == "page"
    )


PHRASES_ON_ONE_LINE = """() => {
    const title = document.querySelector('#lesson-title .phrases');
    const phrases = [...title.childNodes].filter(n => n.nodeType === Node.TEXT_NODE);
    const lines = new Set();
    const broken = [];
    for (const phrase of phrases) {
        const range = document.createRange();
        range.selectNodeContents(phrase);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        tops.forEach(top => lines.add(top));
        if (tops.size > 1) broken.push(phrase.textContent);
    }
    return {
        phrases: phrases.map(p => p.textContent),
        lines: lines.size,
        broken,
        wordBreak: getComputedStyle(title).wordBreak,
        lang: title.closest('[lang]').lang,
        headingWordBreak: getComputedStyle(
            document.querySelector('#checkpoint-heading')).wordBreak,
    };
}"""


def test_the_lesson_title_wraps_between_phrases_on_a_phone(read):
    page = read("phone").page

    title = page.evaluate(PHRASES_ON_ONE_LINE)

    assert "".join(title["phrases"]) == LESSON_TITLE
    assert len(title["phrases"]) > 2
    assert title["lines"] >= 2  # long enough to wrap at 390 px
    assert title["broken"] == []
    assert title["lang"] == "ja"
    # Hinted titles break only at BudouX's hints; other headings use the
    # browser's phrase model.
    assert title["wordBreak"] == "keep-all"
    assert title["headingWordBreak"] == "auto-phrase"


@BOTH
def test_no_request_leaves_the_sites_origin(read, device):
    opened = read(device)
    opened.page.keyboard.press("ArrowRight")
    opened.page.wait_for_load_state("networkidle")

    assert any(address.endswith("/reader.js") for address in opened.requested)
    assert any(address.endswith("/reader.css") for address in opened.requested)
    assert opened.refused == []


def test_a_sideways_drag_while_text_is_selected_does_not_turn_the_slide(read):
    opened = read("phone")
    page = opened.page
    page.evaluate(
        "() => getSelection().selectAllChildren("
        "document.querySelector('#slide-1 .slide__body p'))"
    )
    middle_y = int(page.locator("#slide-1").bounding_box()["y"] + 150)

    swipe(opened, start=(320, middle_y), end=(60, middle_y))

    assert visible_slides(page) == ["slide-1"]
