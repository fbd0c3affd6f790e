"""`manage.py search` and `manage.py rebuild_search_index`."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from search.models import SearchEntry, SearchQuery
from tests.factories import make_series

from .helpers import make_text_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(committed):
    with committed():
        return make_text_lesson(
            series=make_series(),
            title="テレワークの注意点",
            body="自宅から接続するときはVPNを使います。",
        )


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_search_command_prints_json_results(lesson):
    rows = json.loads(run("search", "vpn", "--json"))

    assert rows[0]["title"] == "テレワークの注意点"
    assert rows[0]["url"] == lesson.get_url()
    assert rows[0]["score"] > 0
    assert "VPN" in rows[0]["snippet"]
    assert "<mark>" not in rows[0]["snippet"]


def test_search_command_prints_a_readable_list(lesson):
    output = run("search", "VPN")

    assert "「VPN」の検索結果：1 件" in output
    assert "1. テレワークの注意点" in output


def test_search_command_is_not_logged(lesson):
    run("search", "VPN")

    assert not SearchQuery.objects.exists()


def test_rebuild_command_indexes_live_lessons(lesson):
    SearchEntry.objects.all().delete()

    output = run("rebuild_search_index")

    assert "1" in output
    assert (
        json.loads(run("search", "vpn", "--json"))[0]["title"] == "テレワークの注意点"
    )
