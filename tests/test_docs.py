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


def test_the_readmes_angry_buyer_is_a_conversation_the_tests_replay():
    """README's angry-buyer exchange (issue #19) is issue_examples.yml's "README: an angry buyer":
    the same buyer lines, and each reply shown holds the facts that conversation checks."""
    import yaml

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- replayed: an angry buyer -->")[1].split("<!-- /replayed -->")[0]
    buyer = re.findall(r"^> 买家：(.+)$", block, re.M)
    bot = re.findall(r"^> 客服：(.+)$", block, re.M)
    examples = yaml.safe_load((REPO / "tests/conversations/dialogues/issue_examples.yml").read_text(encoding="utf-8"))
    conversation = next(c for c in examples["conversations"] if c["name"] == "README: an angry buyer")
    assert buyer == [turn["say"] for turn in conversation["turns"]]
    for reply, turn in zip(bot, conversation["turns"], strict=True):
        for part in turn["expect"].get("has", []):
            assert part in reply, (part, reply)
        for part in turn["expect"].get("lacks", []):
            assert part not in reply, (part, reply)
