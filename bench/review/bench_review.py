"""How long `make review` takes, and how much memory, over a large tracker store.

Builds an SQLite tracker store in Rasa's own schema (SQLTrackerStore creates
it) holding N synthetic conversations made of real Rasa events (the builders
of tests/staff/trackers.py), a third of them with a fallback, 👎 or hand-off
over a few hundred distinct wordings, then runs the review as `make review`
does. Writes bench/review/RESULTS.md.

    .venv/bin/python bench/review/bench_review.py [--sizes 1000 10000] [--model]
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.staff.trackers import (  # noqa: E402  (after the path)
    Clock,
    answered,
    clarified,
    core_fallback,
    feedback,
    handed_off,
    save,
    session_start,
)

TOPICS = ["发票", "换货", "包邮", "优惠券", "赠品", "尺码", "颜色", "保修", "积分", "预售", "定金", "运费险"]
FRAMES = ["{}怎么弄", "请问{}怎么办", "{}的问题", "我想问下{}", "{}可以吗", "关于{}", "{}怎么处理啊", "{}在哪里看"]


def build(path: Path, size: int, seed: int = 7) -> str:
    random.seed(seed)
    start = time.time() - 6 * 24 * 3600
    url = save(path, {})  # the schema, made by SQLTrackerStore
    rows = []
    for n in range(size):
        clock = Clock(start + n * (5 * 24 * 3600 / size))
        sender = f"tb_buyer{n:06d}"
        question = random.choice(FRAMES).format(random.choice(TOPICS)) + random.choice(["", "？", "呢", "亲"])
        events = session_start(clock) + answered("退款到哪一步了", "ask_refund_progress", ["return_auto_refund_10d"], clock)
        kind = n % 6
        if kind == 0:
            events += clarified(question, clock)
        elif kind == 1:
            events += core_fallback(question, "ask_refund_progress", clock)
        elif kind == 2:
            events += feedback("down", clock)
        elif kind == 3:
            events += handed_off(question, "complain", clock)
        else:
            events += feedback("up", clock)
        for event in events:
            data = event.as_dict()
            rows.append({"sender_id": sender, "type_name": data["event"], "timestamp": data["timestamp"],
                         "intent_name": None, "action_name": data.get("name"), "data": json.dumps(data)})
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
            "VALUES (:sender_id, :type_name, :timestamp, :intent_name, :action_name, :data)"), rows)
    engine.dispose()
    return url


# Runs the review module as `python -m staff.review` would, then reports its own peak
# RSS: VmHWM of its own address space (getrusage's ru_maxrss would include this
# benchmark's memory at fork time, which Linux carries over into the child).
RUN_AND_REPORT_PEAK = (
    "import runpy, sys\n"
    "sys.argv = ['staff.review'] + sys.argv[1:]\n"
    "try:\n    runpy.run_module('staff.review', run_name='__main__')\n"
    "except SystemExit as done:\n    assert not done.code, done.code\n"
    "peak = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
    "print('PEAK_KB', peak, file=sys.stderr)\n"
)


def measure(url: str, out: Path, model: bool) -> dict:
    """One review in a fresh process (as make review runs it): wall time and its peak memory."""
    command = [sys.executable, "-c", RUN_AND_REPORT_PEAK, "--since", "7d", "--out", str(out), "--quiet",
               "--tracker-url", url] + ([] if model else ["--no-model"])
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak_kb = int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    review = json.loads((out / "review.json").read_text(encoding="utf-8"))
    return {"seconds": seconds, "peak_mb": peak_kb / 1024,
            "conversations": review["conversations"], "groups": len(review["unanswered"])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--model", action="store_true", help="also measure with the newest model")
    args = parser.parse_args()
    lines = ["| conversations | events | model | groups | seconds | peak RSS (MB) |", "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as workdir:
        for size in args.sizes:
            db = Path(workdir) / f"store-{size}.db"
            url = build(db, size)
            engine = create_engine(url, future=True)
            with engine.connect() as connection:
                events = connection.execute(text("SELECT COUNT(*) FROM events")).scalar_one()
            engine.dispose()
            for model in ([False, True] if args.model else [False]):
                result = measure(url, Path(workdir) / "reports", model)
                assert result["conversations"] == size
                lines.append(f"| {size:,} | {events:,} | {'yes' if model else 'no'} | {result['groups']} "
                             f"| {result['seconds']:.1f} | {result['peak_mb']:.0f} |")
                print(lines[-1], flush=True)
    results = REPO / "bench" / "review" / "RESULTS.md"
    results.write_text(
        "# `make review` over a large tracker store\n\n"
        "Measured by `bench/review/bench_review.py` (synthetic SQLite store in Rasa's schema, one\n"
        "review process per row as `make review` runs it; seconds include Python/Rasa start-up\n"
        "and, with a model, loading it and guessing intents for up to 300 groups).\n"
        f"Machine: 2 shared cores, other jobs running. {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.\n\n"
        + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {results}")


if __name__ == "__main__":
    main()
