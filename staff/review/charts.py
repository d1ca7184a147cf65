"""Charts for the review page, drawn here with matplotlib as inline SVG (the page fetches nothing).

Text is stored as glyph outlines (svg.fonttype "path"), so the page shows the
Chinese labels without the reader's browser having a Chinese font.
"""
from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence

logger = logging.getLogger(__name__)

# Fonts with Chinese glyphs found on Debian (fonts-wqy-microhei, fonts-noto-cjk, ...).
CJK_FONT_FILES = ("wqy-microhei.ttc", "wqy-zenhei.ttc", "NotoSansCJK-Regular.ttc", "NotoSansSC-Regular.otf",
                  "DroidSansFallbackFull.ttf", "uming.ttc", "ukai.ttc")
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
UP_COLOUR, DOWN_COLOUR, MAIN_COLOUR, GOOD_COLOUR = "#2e9d5b", "#d9534f", "#ff7a1a", "#2e9d5b"


@lru_cache(maxsize=1)
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, pyplot

    font = chinese_font()
    if font:
        font_manager.fontManager.addfont(str(font))
        name = font_manager.FontProperties(fname=str(font)).get_name()
        matplotlib.rcParams["font.sans-serif"] = [name] + matplotlib.rcParams["font.sans-serif"]
    else:
        logger.warning("no Chinese font found (apt-get install fonts-wqy-microhei): chart labels may show boxes")
    matplotlib.rcParams.update({"font.family": "sans-serif", "svg.fonttype": "path",
                                "axes.unicode_minus": False, "svg.hashsalt": "review"})
    return pyplot


def chinese_font() -> Optional[Path]:
    for directory in FONT_DIRS:
        if directory.is_dir():
            for name in CJK_FONT_FILES:
                found = next(directory.rglob(name), None)
                if found:
                    return found
    return None


def _svg(figure) -> str:
    buffer = io.StringIO()
    # No creation date in the file: the same data draws the same page.
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    _pyplot().close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]  # inline: no XML declaration or doctype


def _empty(message: str) -> str:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6, 1.2))
    axes.axis("off")
    axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#888")
    return _svg(figure)


def conversations_per_day(days: Sequence[str], conversations: Sequence[int], resolved: Sequence[int]) -> str:
    """Bars: conversations per day, the resolved part in green."""
    if not days:
        return _empty("这段时间没有会话")
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(max(4.5, 0.7 * len(days) + 2), 3))
    positions = list(range(len(days)))
    width = 0.6
    axes.bar(positions, conversations, width, color=MAIN_COLOUR, label="会话")
    axes.bar(positions, resolved, width, color=GOOD_COLOUR, label="机器人独立解决")
    axes.set_xlim(-0.8, len(days) - 0.2)
    axes.set_xticks(positions)
    axes.set_xticklabels([d[5:] for d in days], rotation=45 if len(days) > 10 else 0)
    axes.set_ylabel("会话数")
    axes.yaxis.get_major_locator().set_params(integer=True)
    _legend_above(axes)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def _legend_above(axes) -> None:
    axes.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=9)


def horizontal_counts(labels: Sequence[str], counts: Sequence[int], empty: str) -> str:
    """One bar per label (e.g. hand-offs by reason), largest on top."""
    if not labels:
        return _empty(empty)
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6, 0.45 * len(labels) + 0.8))
    axes.barh(list(range(len(labels)))[::-1], counts, 0.6, color=MAIN_COLOUR)
    axes.set_yticks(list(range(len(labels)))[::-1])
    axes.set_yticklabels(labels)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def up_down(labels: Sequence[str], counts: List[Dict[str, int]], empty: str) -> str:
    """👍 to the right, 👎 to the left of one line per intent or rule."""
    if not labels:
        return _empty(empty)
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(5, 0.45 * len(labels) + 1))
    rows = list(range(len(labels)))[::-1]
    axes.barh(rows, [c["up"] for c in counts], 0.6, color=UP_COLOUR, label="解决了（赞）")
    axes.barh(rows, [-c["down"] for c in counts], 0.6, color=DOWN_COLOUR, label="没解决（踩）")
    most = max([1] + [max(c["up"], c["down"]) for c in counts])
    axes.set_xlim(-most * 1.1, most * 1.1)  # zero in the middle: 👎 left, 👍 right
    axes.axvline(0, color="#444", linewidth=0.8)
    axes.set_yticks(rows)
    axes.set_yticklabels(labels)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.xaxis.set_major_formatter(lambda value, _: f"{abs(int(value))}")
    _legend_above(axes)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)
