"""Every .pptx shipped in python-pptx's source distribution imports or is refused
in one line; none crashes the command."""

from __future__ import annotations

import pytest
from wagtail.images import get_image_model

from learning_series.models import LessonPage
from tests.factories import make_series
from tests.learning_series.pptx_builders import FILES
from tests.learning_series.pptx_helpers import import_pptx

pytestmark = pytest.mark.django_db

CORPUS = sorted(FILES.glob("*.pptx"))
# Decks with layouts and masters only; python-pptx's templates and fixtures.
WITHOUT_SLIDES = {
    "default.pptx",
    "lyt-shapes.pptx",
    "minimal.pptx",
    "mst-placeholders.pptx",
    "mst-shapes.pptx",
    "mst-slide-layouts.pptx",
    "no-slides.pptx",
    "prs-properties.pptx",
    "prs-slide-masters.pptx",
}


def test_the_corpus_is_all_of_python_pptx_test_files():
    assert len(CORPUS) == 66


@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_python_pptx_test_file_imports_or_is_refused_in_one_line(author, path):
    make_series(slug="corpus")

    outcome = import_pptx(path, series="corpus", owner=author.username)

    if path.name in WITHOUT_SLIDES:
        assert outcome.status == 2
        assert outcome.stderr == "スライドが1枚もありません。"
        assert not LessonPage.objects.exists()
        assert not get_image_model().objects.exists()
    else:
        assert outcome.status == 0, outcome.stderr
        result = outcome.json
        lesson = LessonPage.objects.get(pk=result["lesson_id"])
        assert result["slides"] == len(lesson.slides) > 0
        assert all(isinstance(warning, str) for warning in result["warnings"])
        assert not lesson.live
