"""The admin's "PowerPoint から取り込む": upload form, errors, redirect, messages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry

from learning_series.models import LessonPage
from tests.factories import make_series
from tests.learning_series import pptx_builders as build
from tests.learning_series.test_pptx_safe_text import executable_parts

pytestmark = pytest.mark.django_db

IMPORT_URL = "learning_series_pptx_import"


@pytest.fixture
def series():
    return make_series(slug="admin-import")


def upload(path, name: str = "deck.pptx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, path.read_bytes())


def post_file(client, series, file):
    return client.post(reverse(IMPORT_URL), {"series": series.pk, "file": file})


def test_import_form_offers_the_series_an_author_can_write_in(client, author, series):
    client.force_login(author)

    response = client.get(reverse(IMPORT_URL) + f"?series={series.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    assert "PowerPoint から取り込む" in html
    assert f'<option value="{series.pk}" selected>' in html


def test_upload_creates_draft_and_opens_its_editor(client, author, series, tmp_path):
    client.force_login(author)

    response = post_file(
        client, series, upload(build.deck_with_slides(tmp_path / "a.pptx", 2))
    )

    lesson = LessonPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    assert not lesson.live
    assert lesson.owner == author
    assert PageLogEntry.objects.filter(
        page=lesson, action="gofun.lesson.import_pptx", user=author
    ).exists()


def test_warnings_are_listed_after_the_upload(client, author, series, tmp_path):
    client.force_login(author)

    response = post_file(
        client, series, upload(build.deck_with_pictures(tmp_path / "a.pptx"))
    )
    page = client.get(response["Location"]).content.decode()

    assert "取り込めなかった内容があります" in page
    warning = "スライド 1: 最初の画像だけを取り込みました。省いた画像：「警告画面」。"
    assert f"<li>{warning}</li>" in page


def test_warning_naming_a_hostile_shape_is_shown_as_text(
    client, author, series, tmp_path
):
    client.force_login(author)

    response = post_file(
        client, series, upload(build.hostile_text_deck(tmp_path / "a.pptx"))
    )
    page = client.get(response["Location"]).content.decode()

    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in page
    assert executable_parts(page) == []


@pytest.mark.parametrize(
    ("builder", "message"),
    [
        (
            build.text_named_pptx,
            "PowerPoint プレゼンテーション（.pptx）ではないか、"
            "ファイルが壊れています。",
        ),
        (
            build.external_entity_deck,
            "プレゼンテーションには不要な文書型宣言（DOCTYPE）を含むため"
            "受け付けませんでした。",
        ),
    ],
    ids=["text-file", "external-entity"],
)
def test_bad_upload_gets_a_one_line_form_error_and_creates_nothing(
    client, author, series, tmp_path, builder, message
):
    client.force_login(author)

    response = post_file(client, series, upload(builder(tmp_path / "bad.pptx")))

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert message in response.content.decode()
    assert not LessonPage.objects.exists()
    assert not get_image_model().objects.exists()


def test_learner_cannot_open_the_import_form(client, learner, series):
    client.force_login(learner)

    response = client.get(reverse(IMPORT_URL))

    assert response.status_code in (302, 403)


def test_author_cannot_import_into_a_series_they_cannot_write_in(
    client, author, series, tmp_path
):
    client.force_login(author)
    path = build.deck_with_slides(tmp_path / "a.pptx", 1)

    response = client.post(
        reverse(IMPORT_URL), {"series": 999999, "file": upload(path)}
    )

    assert response.status_code == 200
    assert "series" in response.context["form"].errors
    assert not LessonPage.objects.exists()


def test_series_header_offers_import_to_authors(client, author, series):
    client.force_login(author)

    response = client.get(reverse("wagtailadmin_explore", args=[series.pk]))

    html = response.content.decode()
    assert "PowerPoint から取り込む" in html
    assert reverse(IMPORT_URL) + f"?series={series.pk}" in html


def test_admin_menu_offers_import_to_authors(client, author, series):
    client.force_login(author)

    response = client.get(reverse("wagtailadmin_home"))

    assert reverse(IMPORT_URL) in response.content.decode()
