"""Card bank names: any spelling a store or buyer uses -> one canonical name.

The table is banks.yml. 中银 / BOC / Bank of China / 中國銀行 all become
中国银行, so a 中国银行 card reaches the 5-10 working-day rule whatever the
store's export calls it. Unknown names give None (the default rule applies).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from shared.chinese_text import fold_width, to_simplified

BANKS_PATH = Path(__file__).with_name("banks.yml")
_LATIN = re.compile(r"^[a-z0-9 ]+$")


def _key(text: str) -> str:
    # one form: simplified, full-width folded, lower case, single spaces
    return re.sub(r"\s+", " ", to_simplified(fold_width(text))).strip().lower()


@lru_cache(maxsize=None)
def _aliases(path: Optional[str] = None) -> Tuple[Tuple[str, str], ...]:
    """(alias key, canonical name), longest alias first."""
    with Path(path or BANKS_PATH).open(encoding="utf-8") as fh:
        table: Dict[str, list] = yaml.safe_load(fh)["banks"]
    pairs = {(_key(a), name) for name, aliases in table.items() for a in [name, *aliases]}
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=None)
def _placeholders(path: Optional[str] = None) -> frozenset:
    with Path(path or BANKS_PATH).open(encoding="utf-8") as fh:
        return frozenset(_bare(_key(p)) for p in yaml.safe_load(fh).get("placeholders") or ())


def _bare(key: str) -> str:
    return re.sub(r"[\W_]+", "", key)


def is_placeholder(text: Optional[str]) -> bool:
    """Does a card_bank field say "no bank known" (未知, 不详, 其他, "-", blank ...)?"""
    if not text or not isinstance(text, str):
        return True
    bare = _bare(_key(text))
    return not bare or bare in _placeholders()


def canonical_bank(text: Optional[str]) -> Optional[str]:
    """The canonical bank named in `text` (a card_bank field or a phrase), or None."""
    if not text or not isinstance(text, str):
        return None
    key = _key(text)
    if not key:
        return None
    for alias, name in _aliases():
        if alias == key:
            return name
    for alias, name in _aliases():
        if _LATIN.match(alias):
            if re.search(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])", key):
                return name
        elif len(alias) >= 2 and alias in key:
            return name
    return None


def banks_named_in(text: str) -> frozenset:
    """Every canonical bank a buyer's phrase names ("招商那个", "中行的呢")."""
    key = _key(text or "")
    found = set()
    for alias, name in _aliases():
        if _LATIN.match(alias):
            if re.search(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])", key):
                found.add(name)
        elif len(alias) >= 2 and alias in key:
            found.add(name)
    return frozenset(found)


def readable_bank(text: Optional[str]) -> str:
    """The bank a reply can name and a window can be computed for: the canonical
    name (中国银行 for BOC / 中银 / Bank of China), a Chinese name as written,
    or "" for nothing usable. An unknown name in Latin letters, a placeholder
    (未知, 其他, "-") or a field without Chinese counts as no bank: a reply cannot
    name it, so it must not be timed as a known bank's."""
    name = canonical_bank(text)
    if name:
        return name
    raw = text.strip() if isinstance(text, str) else ""
    if is_placeholder(raw) or not re.search(r"[\u4e00-\u9fff]", raw):
        return ""
    return "" if re.search(r"[A-Za-z]", raw) else raw
