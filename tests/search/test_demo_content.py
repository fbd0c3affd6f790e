"""Acceptance 1 on the demo content itself, when the branch has it."""

import pytest

from cms.demo import demo_load
from learning_series.demo import DEMO_CONTENT
from search.selectors import lesson_search

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (DEMO_CONTENT / "series.yaml").exists(),
        reason="no demo content (learning_series/demo) in this checkout",
    ),
]


@pytest.fixture
def demo(committed):
    with committed():
        demo_load()


def top_three(query: str) -> list[str]:
    _, results = lesson_search(query=query, limit=3)
    return [hit.url.rstrip("/").rsplit("/", 1)[-1] for hit in results.hits]


# Each query with the demo lessons that contain it (in any spelling).
EXPECTED = [
    ("添付", {"targeted-email-1", "targeted-email-2", "information-security-2"}),
    ("鍵", {"passwords-1"}),
    ("パスワード", {"passwords-1"}),
    ("うっかり", {"cybersecurity-1"}),
    ("ばらまき", {"targeted-email-1"}),
    ("ＵＳＢ", {"information-security-2", "lan-it-officer-1", "lan-it-officer-2",
               "cybersecurity-1", "telework-threats-1"}),
    ("ｸﾗｳﾄﾞ", {"external-services-1", "information-security-2"}),
    ("サーバー", {"ai-basics-1", "cybersecurity-1", "external-services-1",
                 "information-security-2", "lan-it-officer-1", "targeted-email-2"}),
    ("コンピューター", {"cybersecurity-1", "information-security-2", "passwords-1",
                      "targeted-email-2", "telework-threats-1"}),
    ("vpn", {"telework-threats-1"}),
    ("個人情報 メール", {"information-security-2"}),
]  # fmt: skip


def test_each_word_finds_a_demo_lesson_containing_it_first(demo):
    # One test for all words: loading the demo is the slow part.
    misses = {
        query: found
        for query, containing in EXPECTED
        if not (found := top_three(query)) or found[0] not in containing
    }

    assert misses == {}
