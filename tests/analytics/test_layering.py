"""Apps below analytics never import it: they ask through hooks (lessons served,
view counts, reading evidence), so they work, and fail closed, without it."""

import ast

import pytest
from django.conf import settings

LOWER_APPS = ["cms", "organisation", "learning_series", "quizzes", "training", "search"]


def imports_of(app: str):
    for path in (settings.BASE_DIR / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                yield path.relative_to(settings.BASE_DIR), name


@pytest.mark.parametrize("app", LOWER_APPS)
def test_lower_apps_do_not_import_analytics(app):
    offenders = [
        f"{path}: {name}"
        for path, name in imports_of(app)
        if name.split(".")[0] == "analytics"
    ]

    assert offenders == []


@pytest.mark.parametrize("app", LOWER_APPS)
def test_lower_templates_do_not_name_analytics(app):
    offenders = [
        str(path)
        for path in (settings.BASE_DIR / app).rglob("*.html")
        if "analytics/" in path.read_text("utf-8")
        or "analytics:" in path.read_text("utf-8")
    ]

    assert offenders == []
