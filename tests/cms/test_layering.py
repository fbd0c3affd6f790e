"""`cms` is the lowest app: it imports none of the apps built on it.

Apps above it add navigation, header parts, home-page panels and demo steps
through the hooks in cms.extension_points.
"""

import ast
import re

from django.conf import settings

CMS = settings.BASE_DIR / "cms"
APPS_ABOVE = {
    "organisation",
    "learning_series",
    "quizzes",
    "training",
    "certificates",
    "reminders",
    "hr_export",
    "search",
    "analytics",
}
# The project's URLconf and settings name every app by design.
WIRING = {"urls.py", "settings"}


def _python_files():
    for path in CMS.rglob("*.py"):
        relative = path.relative_to(CMS)
        if relative.parts[0] in WIRING or "migrations" in relative.parts:
            continue
        yield path


def test_cms_python_imports_no_app_above_it():
    offenders = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            offenders += [
                f"{path.relative_to(CMS)}: {name}"
                for name in names
                if name.split(".")[0] in APPS_ABOVE
            ]

    assert offenders == []


def test_cms_templates_name_no_app_above_it():
    pattern = re.compile(
        r"""(?:include|extends|url)\s+["'](?:"""
        + "|".join(sorted(APPS_ABOVE))
        + r""")[/:]"""
    )
    offenders = [
        str(path.relative_to(CMS))
        for path in (CMS / "templates").rglob("*.html")
        if pattern.search(path.read_text("utf-8"))
    ]

    assert offenders == []
