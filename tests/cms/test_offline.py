"""Nothing on the site or in the admin points outside the intranet."""

import re

import pytest

pytestmark = pytest.mark.django_db

# What a browser fetches by itself: src attributes and <link href>. Plain links
# to outside documentation are the reader's choice, not a load.
EXTERNAL_LOAD = re.compile(
    r"""(?:\bsrc=|<link\b[^>]*\bhref=)["'](?:https?:)?//(?!testserver)[^"']+"""
)


@pytest.mark.parametrize("path", ["/", "/admin/", "/admin/pages/"])
def test_pages_load_nothing_from_other_origins(client, editor, path):
    client.force_login(editor)

    response = client.get(path, follow=True)

    assert response.status_code == 200
    assert EXTERNAL_LOAD.findall(response.text) == []
