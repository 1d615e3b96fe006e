"""The architecture holds: imports point down, pages start with the guard, no SQL in the UI."""

import ast
import re

from db.config import ROOT
from portal import registry


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_portal_and_db_never_import_streamlit_or_upper_layers():
    for layer, forbidden in (("portal", {"streamlit", "components", "pages"}),
                             ("db", {"streamlit", "components", "pages", "portal"})):
        for path in (ROOT / layer).rglob("*.py"):
            assert not imported_modules(path) & forbidden, path


def test_components_never_import_pages():
    for path in (ROOT / "components").rglob("*.py"):
        assert "pages" not in imported_modules(path), path


def test_every_page_file_starts_with_its_guard():
    for page in registry.PAGES:
        tree = ast.parse((ROOT / page.file).read_text(encoding="utf-8"))
        first = next(node for node in tree.body[1:]  # after the docstring
                     if not isinstance(node, ast.Import | ast.ImportFrom))
        call = first.value if isinstance(first, ast.Assign | ast.Expr) else None
        guard = "public_page" if page.public else "require_page"
        assert isinstance(call, ast.Call) and getattr(call.func, "id", "") == guard, page.file
        assert call.args[0].value == page.key, page.file


def test_no_sql_in_pages_components_or_app():
    sql = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "components").glob("*.py")]:
        assert not sql.search(path.read_text(encoding="utf-8")), path
