"""The README and docs/ are what a shop owner and a new engineer read: every
file they point at is in the repository, and none points outside it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
TOP_LEVEL = {p.name for p in REPO.iterdir() if p.is_dir() and not p.name.startswith(".")}
# Made by a command, not committed (named in the docs as where output goes).
GENERATED = {"reports/review.html", "reports/review.json"}
PATH = re.compile(r"`([A-Za-z0-9_.-]+/[A-Za-z0-9_./-]*\.(?:md|py|yml|sh|json|txt|png|html))`")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_page_points_outside_the_repository(page):
    assert "../shared" not in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_file_a_page_names_exists(page):
    missing = [path for path in PATH.findall(page.read_text(encoding="utf-8"))
               if path.split("/")[0] in TOP_LEVEL and path not in GENERATED
               and not (REPO / path).exists()]
    assert missing == []
