"""Command line: python -m staff.review [--since 7d] [--out reports] (what `make review` runs)."""
from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List, Optional

from tqdm import tqdm

from staff.review import source
from staff.review.conversations import read_conversation
from staff.review.intent_guess import IntentGuesser, newest_model
from staff.review.page import render
from staff.review.report import review_document, unanswered_groups
from staff.review.suggestions import draft
from staff.review.summary import Totals

REPO_ROOT = Path(__file__).resolve().parents[2]
_PERIOD = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, now: Optional[datetime] = None) -> datetime:
    """'7d', '24h', '30m', '2w' before now, or a date / ISO time ('2026-11-01')."""
    now = now or datetime.now(timezone.utc)
    period = _PERIOD.match(value or "")
    if period:
        return now - timedelta(**{_UNITS[period.group(2)]: int(period.group(1))})
    try:
        moment = datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise ValueError(f"--since {value!r} 看不懂：请写 7d、24h、30m、2w 或日期 2026-11-01") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def run(since: datetime, out_dir: Path, url: str, models_dir: Optional[Path],
        show_progress: bool = True) -> dict:
    """Read the store, write review.json / review.html / nlu_suggestions.yml; return the review."""
    quiet = not show_progress
    total_events = source.count_events(url, since.timestamp())
    totals = Totals()
    with tqdm(total=total_events, desc="读取会话", unit="事件", disable=quiet) as bar:
        for stored in source.read_conversations(url, since.timestamp(), progress=bar):
            totals.add(read_conversation(stored.sender_id, stored.events))

    model = newest_model(models_dir) if models_dir else None
    guesser = None
    if model and totals.unanswered:
        print(f"加载模型 {model.name} 以猜测意图…", file=sys.stderr)
        guesser = IntentGuesser(model).load()
    try:
        groups = unanswered_groups(
            totals.unanswered, guesser.guess if guesser else None,
            progress=lambda items, **kw: tqdm(items, disable=quiet, **kw))
    finally:
        if guesser:
            guesser.close()

    review = review_document(totals, groups, since, source.display_url(url),
                             model.name if model else None)
    review["model_note"] = (f"模型 {model.name}" if model else
                            "未使用模型（--no-model）" if not models_dir else
                            f"{models_dir} 里没有训练好的模型，无法猜测意图（make train）")
    out_dir.mkdir(parents=True, exist_ok=True)
    out_dir.chmod(0o700)  # buyers' messages: staff only (issue #23)
    for name, text in (("review.json", json.dumps(review, ensure_ascii=False, indent=2)),
                       ("nlu_suggestions.yml", draft(groups)), ("review.html", render(review))):
        path = out_dir / name
        path.touch(mode=0o600)
        path.chmod(0o600)  # also a report written before with a wider mode
        path.write_text(text, encoding="utf-8")
    return review


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="make review", description=__doc__)
    parser.add_argument("--since", default="7d", help="7d (default), 24h, 2w, or a date 2026-11-01")
    parser.add_argument("--out", default=str(REPO_ROOT / "reports"), help="output directory")
    parser.add_argument("--tracker-url", default=None, help="default: as make run (TRACKER_DB_URL, ...)")
    parser.add_argument("--models", default=str(REPO_ROOT / "models"), help="where the newest model is")
    parser.add_argument("--no-model", action="store_true", help="do not guess intents")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    # The owner reads this terminal: library deprecation notices are not for them.
    # (Filters alone do not hold: importing Rasa/TensorFlow installs its own.)
    warnings.simplefilter("ignore")
    warnings.showwarning = lambda *args, **kwargs: None
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    for noisy in ("matplotlib", "rasa", "tensorflow", "absl", "jieba"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        since = parse_since(args.since)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    url = args.tracker_url or source.tracker_db_url()
    try:
        review = run(since, Path(args.out), url, None if args.no_model else Path(args.models),
                     show_progress=not args.quiet)
    except source.TrackerStoreMissing as error:
        print(error, file=sys.stderr)
        return 1
    rate = review["resolution_rate"]
    print(f"{review['conversations']} 个会话，{review['messages']} 条消息，"
          f"独立解决率 {'—' if rate is None else f'{rate:.0%}'}，"
          f"{len(review['unanswered'])} 组没答上来的问题；"
          f"{review['model_note']}")
    print(f"报告：{Path(args.out) / 'review.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
