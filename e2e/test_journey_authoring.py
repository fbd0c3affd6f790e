"""Journey: an author imports slides, editors review, comment and publish.

An author imports a PowerPoint deck (made here with python-pptx) and a
Markdown deck through the admin and submits both for review. An editor asks
for a change on the PowerPoint lesson with a comment and approves the
Markdown one; the author reads the comment, fixes the slide and submits
again; the editor approves and the lesson is live. Four eyes is on: the
approving editor is never the person who submitted. Last, the author
corrects a lesson learners have completed (文書管理の基本) and the editor
publishes it as a material revision (要再受講): the learner's completed item
opens again.
"""

from __future__ import annotations

import io
import json
import re
import time
import uuid

from playwright.sync_api import expect
from pptx import Presentation
from pptx.util import Inches

from e2e.browser import assert_accessible

RUN = uuid.uuid4().hex[:6]
PPTX_TITLE = f"USBメモリの取扱い {RUN}"
MARKDOWN_TITLE = f"テレワーク時の画面ののぞき見対策 {RUN}"
SERIES = "テレワークにおける脅威への理解"  # in no curriculum the learner owes
REVISED_SERIES = "文書管理の基本"


def pptx_deck() -> bytes:
    presentation = Presentation()
    title_slide = presentation.slides.add_slide(presentation.slide_layouts[0])
    title_slide.shapes.title.text = PPTX_TITLE
    title_slide.placeholders[1].text = "LAN・IT機器担当からのお願い"
    for number, (title, lines) in enumerate(
        [
            ("持ち出しの前に", ["許可を得る", "暗号化された媒体を使う"]),
            ("なくしたときは", ["すぐに上司とLAN・IT機器担当に報告する"]),
        ],
        start=2,
    ):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        body.text = lines[0]
        for line in lines[1:]:
            body.add_paragraph().text = line
        slide.notes_slide.notes_text_frame.text = f"ノート{number}"
    table_slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    table_slide.shapes.title.text = "媒体ごとの扱い"
    table = table_slide.shapes.add_table(
        3, 2, Inches(1), Inches(2), Inches(6), Inches(1.5)
    ).table
    for row, cells in enumerate(
        [("媒体", "扱い"), ("USBメモリ", "暗号化必須"), ("DVD", "持ち出し禁止")]
    ):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


MARKDOWN_DECK = f"""---
title: {MARKDOWN_TITLE}
summary: 自宅や出張先で画面を見られないための工夫を学びます。
tags: [テレワーク]
---

# 画面は見られている

- 公共の場所では背後に注意する
- のぞき見防止フィルターを使う

<!-- 最初に、身近な事例を紹介する -->

---

# 席を離れるとき

- 画面をロックする（Windows キー + L）
"""
COMMENT = "スライド3の見出しに「盗まれたとき」も加えてください。"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def lesson_id_from(url: str) -> int:
    return int(re.search(r"/admin/pages/(\d+)/edit/", url)[1])


def messages_text(page) -> str:
    return page.locator(".messages").inner_text()


def more_actions(page) -> None:
    """Open the editor's footer menu of further actions."""
    page.locator("footer [data-w-dropdown-target=toggle]").last.click()


def submit_for_review(author, lesson_id: int, step: str) -> None:
    page = author.go(f"/admin/pages/{lesson_id}/edit/")
    more_actions(page)
    page.locator("button[name=action-submit]").click()
    page.wait_for_load_state()
    assert "提出しました" in messages_text(page)
    author.shot(step)


def workflow_action(editor, lesson_id: int, label: str):
    page = editor.page
    more_actions(page)
    page.locator("footer button[data-workflow-action-name]", has_text=label).click()
    return page


def import_through_admin(author, path: str, *, name: str, mime: str, content: bytes):
    page = author.go(path)
    page.select_option("#id_series", label=SERIES)
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    assert re.search("(取り込み|読み込み)ました", messages_text(page))
    return lesson_id_from(page.url)


def child_lesson_id(author, series: str, title: str) -> int:
    """The id of the lesson `title` in `series`, as the admin's explorer lists it."""
    page = author.go("/admin/lessons/import-pptx/")
    series_id = page.locator("#id_series option", has_text=series).get_attribute(
        "value"
    )
    page = author.go(f"/admin/pages/{series_id}/")
    link = page.locator("main a[href$='/edit/']").filter(
        has=page.locator("span", has_text=re.compile(f"^\\s*{title}\\s*$"))
    )
    return lesson_id_from(link.get_attribute("href"))


def slide_titles(page) -> list[str]:
    """The slide titles in the lesson editor, as typed (the StreamField's inputs)."""
    page.locator("input[name$='-value-title']").first.wait_for()
    return page.locator("input[name$='-value-title']").evaluate_all(
        "inputs => inputs.map(input => input.value)"
    )


def slide_title_input(page, title: str):
    return page.locator("input[name$='-value-title']").nth(
        slide_titles(page).index(title)
    )


SECOND_EDITOR = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
user, _ = get_user_model().objects.get_or_create(
    username="editor-2", defaults={"last_name": "審査", "first_name": "次郎"}
)
user.set_password("gofun-demo")
user.save()
user.groups.add(Group.objects.get(name="編集者"))
"""


def second_editor_account(stack) -> str:
    """A second member of 編集者 (the demo has one), made as an operator would."""
    stack.manage("shell", "-c", SECOND_EDITOR)
    return "editor-2"


def learner_status(stack, item: str) -> str:
    statuses = json.loads(stack.manage("training_status", "learner", "--json").stdout)
    return next(row["status"] for row in statuses if row["item"] == item)


def test_author_imports_editors_review_and_publish_a_material_revision(stack, person):
    author = person("author")
    editor = person("editor")
    learner = person("learner", device="phone")

    # The author imports a PowerPoint deck and a Markdown deck: drafts.
    pptx_lesson = import_through_admin(
        author,
        "/admin/lessons/import-pptx/",
        name="usb.pptx",
        mime=PPTX_MIME,
        content=pptx_deck(),
    )
    page = author.page
    expect(page.locator("#id_title")).to_have_value(PPTX_TITLE)
    assert "なくしたときは" in slide_titles(page)
    author.shot("authoring-01-pptx-imported")
    assert_accessible(author, "lesson editor after the import")
    submit_for_review(author, pptx_lesson, "authoring-02-pptx-submitted")

    markdown_lesson = import_through_admin(
        author,
        "/admin/lessons/import-markdown/",
        name="nozoki.md",
        mime="text/markdown",
        content=MARKDOWN_DECK.encode(),
    )
    expect(page.locator("#id_title")).to_have_value(MARKDOWN_TITLE)
    author.shot("authoring-03-markdown-imported")
    submit_for_review(author, markdown_lesson, "authoring-04-markdown-submitted")

    # The author may not publish: no publish or approve button for them.
    page = author.go(f"/admin/pages/{pptx_lesson}/edit/")
    expect(page.locator("button[name=action-publish]")).to_have_count(0)
    expect(page.locator("button[data-workflow-action-name=approve]")).to_have_count(0)

    # The editor finds both waiting for review on the dashboard.
    page = editor.go("/admin/")
    expect(page.get_by_text(PPTX_TITLE)).to_be_visible()
    expect(page.get_by_text(MARKDOWN_TITLE)).to_be_visible()
    editor.shot("authoring-05-editor-dashboard")
    assert_accessible(editor, "dashboard with pages to review")

    # The editor asks for a change on the PowerPoint lesson, with a comment.
    editor.go(f"/admin/pages/{pptx_lesson}/edit/")
    page = workflow_action(editor, pptx_lesson, "変更をリクエスト")
    page.locator(".modal textarea[name=comment]").fill(COMMENT)
    editor.shot("authoring-06-editor-requests-changes")
    assert_accessible(editor, "request changes dialog")
    page.locator(".modal form [type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(PPTX_TITLE)

    # ... and approves the Markdown lesson, which is published.
    editor.go(f"/admin/pages/{markdown_lesson}/edit/")
    page = workflow_action(editor, markdown_lesson, "承認すると公開")
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(MARKDOWN_TITLE)
    editor.shot("authoring-07-markdown-approved")
    page = learner.go("/series/telework-threats/")
    page.get_by_role("link", name=MARKDOWN_TITLE).click()
    expect(page.locator("h1, .slide__title").first).to_contain_text("画面")
    learner.shot("authoring-08-learner-sees-markdown-lesson")

    # The author reads the comment in the editor, fixes the slide, resubmits.
    page = author.go(f"/admin/pages/{pptx_lesson}/edit/")
    expect(page.locator("[data-reviewer-comment]")).to_contain_text(COMMENT)
    author.shot("authoring-09-author-reads-comment")
    assert_accessible(author, "lesson editor with the reviewer's comment")
    slide_title_input(page, "なくしたときは").fill("なくしたとき・盗まれたとき")
    more_actions(page)
    page.locator("button[name=action-submit]").click()
    page.wait_for_load_state()
    assert "提出しました" in messages_text(page)
    author.shot("authoring-10-author-resubmits")

    # Another person than the submitter approves: the editor publishes it.
    page = editor.go(f"/admin/pages/{pptx_lesson}/edit/")
    assert "なくしたとき・盗まれたとき" in slide_titles(page)
    workflow_action(editor, pptx_lesson, "承認すると公開")
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(PPTX_TITLE)
    editor.shot("authoring-11-pptx-approved")
    page = learner.go("/series/telework-threats/")
    page.get_by_role("link", name=PPTX_TITLE).click()
    expect(page.get_by_text("なくしたとき・盗まれたとき")).to_have_count(1)

    # Four eyes: an editor who submits a change is not offered approval;
    # another editor approves it.
    page = editor.go(f"/admin/pages/{markdown_lesson}/edit/")
    slide_title_input(page, "席を離れるとき").fill("席を離れるときは必ずロック")
    more_actions(page)
    page.locator("button[name=action-submit]").click()
    page.wait_for_load_state()
    assert "提出しました" in messages_text(page)
    page = editor.go(f"/admin/pages/{markdown_lesson}/edit/")
    expect(page.locator("button[data-workflow-action-name=approve]")).to_have_count(0)
    editor.shot("authoring-12-editor-may-not-approve-own-submission")
    second_editor = person(second_editor_account(stack))
    second_editor.go(f"/admin/pages/{markdown_lesson}/edit/")
    page = workflow_action(second_editor, markdown_lesson, "承認すると公開")
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(MARKDOWN_TITLE)
    second_editor.shot("authoring-13-another-editor-approves")

    # A material revision: the author corrects a lesson the learner has
    # completed; the editor publishes it marked 要再受講, with the reason.
    assert learner_status(stack, REVISED_SERIES) == "completed"
    revised = child_lesson_id(author, REVISED_SERIES, "文書管理の基本")
    page = author.go(f"/admin/pages/{revised}/edit/")
    expect(page.locator("#id_material_change")).to_be_disabled()
    first_title = slide_titles(page)[0]
    slide_title_input(page, first_title).fill(first_title + "（2026年改正）")
    more_actions(page)
    page.locator("button[name=action-submit]").click()
    page.wait_for_load_state()
    assert "提出しました" in messages_text(page)

    page = editor.go(f"/admin/pages/{revised}/edit/")
    page.locator("#id_material_change").check()
    page.locator("#id_material_change_reason").fill("文書管理規則の改正を反映したため")
    editor.shot("authoring-14-editor-marks-material-revision")
    assert_accessible(editor, "lesson editor in review, marked 要再受講")
    workflow_action(editor, revised, "承認すると公開")
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("文書管理の基本")
    editor.shot("authoring-15-material-revision-published")

    # The worker re-opens the item for those who had completed it.
    deadline = time.monotonic() + 60
    while learner_status(stack, REVISED_SERIES) == "completed":
        assert time.monotonic() < deadline, "the material revision re-opened nothing"
        time.sleep(1)
    page = learner.go("/")
    item = page.locator("#my-training-heading").locator("xpath=..")
    expect(item).to_contain_text(REVISED_SERIES)
    learner.shot("authoring-16-learner-my-training-reopened")
