"""The architecture holds: imports point down, the wings of `portal/` keep to themselves,
pages start with the guard, no SQL in the UI."""

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


# portal/ is a kernel (its top-level modules) and one package per capability, a wing. A wing
# imports the kernel and, where the design says so, another wing; the kernel imports no wing.
# `run` (the launcher's helpers) and portal/__main__.py sit on top and may import every wing.
WINGS: dict[str, set[str]] = {
    "intake": set(),
    "casework": {"handoffs"},  # resolving a case completes the transfer that brought it
    "handoffs": set(),  # never casework: a hand-off does not work the case
    "dashboard": set(),  # read models only
    "admin": {"accounts"},  # managing users ends their sessions
    "accounts": set(),
    "api": {"intake"},  # a work order is taken in; a request reads as the status page does
    "messaging": set(),  # sends what the kernel's outbox holds
    "run": {"intake", "casework", "handoffs", "dashboard", "admin", "accounts", "api",
            "messaging"},
}


def portal_wings_imported(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("portal."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.ImportFrom) and node.module == "portal":
            found.update(alias.name for alias in node.names)
    return found & set(WINGS)


def test_every_package_of_portal_is_a_wing_with_its_rules():
    packages = {p.parent.name for p in (ROOT / "portal").glob("*/__init__.py")}
    assert packages == set(WINGS) | {"messages"}  # the catalogue is the kernel's, split by wing


def test_the_kernel_imports_no_wing():
    for path in [*(ROOT / "portal").glob("*.py"), *(ROOT / "portal" / "messages").glob("*.py")]:
        if path.name != "__main__.py":
            assert not portal_wings_imported(path), path


def test_wings_import_only_the_kernel_and_the_wings_the_design_allows():
    for wing, allowed in WINGS.items():
        for path in (ROOT / "portal" / wing).glob("*.py"):
            assert portal_wings_imported(path) <= allowed | {wing}, path


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
