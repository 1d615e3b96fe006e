"""docs/adding-a-page.md followed literally, in a copy of the project, gives a working page
that the smoke test picks up for every role."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from db.config import ROOT

GUIDE = ROOT / "docs" / "adding-a-page.md"
# A fenced block whose info string names the file it belongs to: ```python pages/x.py
BLOCK = re.compile(r"```python (\S+)\n(.*?)```", re.S)


def test_the_guides_example_page_appears_for_its_roles(database_url, tmp_path):
    blocks = dict(BLOCK.findall(GUIDE.read_text(encoding="utf-8")))
    page_file = next(path for path in blocks if path.startswith("pages/"))
    copy = tmp_path / "portal"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        "var", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "results"))

    # Step 1: the page file, as the guide gives it.
    (copy / page_file).write_text(blocks[page_file], encoding="utf-8")
    # Step 2: the registry entry, before the closing parenthesis of PAGES.
    registry = copy / "portal" / "registry.py"
    source = registry.read_text(encoding="utf-8")
    start = source.index("PAGES: tuple[PageSpec, ...] = (")
    end = source.index("\n)\n", start)
    registry.write_text(source[:end] + "\n" + blocks["portal/registry.py"].rstrip("\n")
                        + source[end:], encoding="utf-8")

    # Step 3: the guide's check, on the same database server as this run.
    key = page_file.removeprefix("pages/").removesuffix(".py")
    env = {**os.environ, "TEST_DATABASE_URL": database_url}
    env.pop("DATABASE_URL", None)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/test_pages.py", "-k", key],
                         cwd=copy, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    # Every role (allowed: title shown; the others: refused), and refused when logged out.
    assert re.search(r"\b5 passed\b", run.stdout), run.stdout[-2000:]
