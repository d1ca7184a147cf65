"""One OpenCC converter and one full-width folding for every process.

Buyers and stores write traditional characters and full-width digits and
letters (０１０２, ＢＯＣ); the NLU normaliser, the order references, the bank
table and the staff review all compare text in one form.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict


def _build_width_table() -> Dict[int, int]:
    table = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！..～ -> !..~
    table[0x3000] = 0x20  # ideographic space
    table[0xFFE5] = 0x00A5  # ￥ -> ¥
    table[0xFFE0] = 0x00A2  # ￠
    table[0xFFE1] = 0x00A3  # ￡
    return table


WIDTH_TABLE = _build_width_table()


@lru_cache(maxsize=1)
def t2s_converter() -> Any:
    """OpenCC's traditional-to-simplified converter, built once per process."""
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    return t2s_converter().convert(text or "")


def fold_width(text: str) -> str:
    """Full-width ASCII, ideographic space and currency signs to their plain forms."""
    return (text or "").translate(WIDTH_TABLE)
