"""Growth benchmark: what one message costs as its conversation grows (issue #21).

    .venv/bin/python bench/load/growth.py                    # part of `make bench-load`
    .venv/bin/python bench/load/growth.py --conversations 2 --memory-messages 0   # quick look

Three stacks run side by side for the whole run, on free 127.0.0.1 ports:
`local` (our bot as `make run` starts it: SQLite tracker store, SQLite orders),
`production` (PostgreSQL tracker store, Redis lock store, PostgreSQL orders,
selective domain; databases made for the run and dropped afterwards) and
`rasa-init` (Rasa's own `rasa init` bot as it ships: in-memory tracker store),
all over the signed store IM channel. The machine is shared, so every figure
is compared with rasa-init's in the same run, measured interleaved:

1. latency growth: --conversations conversations of --length messages each,
   one message at a time, each message sent to local, production and rasa-init
   in turn. The latency "at message k" is the median over the conversations
   of messages k-4..k (one whole cycle of each script; message 1 alone, and
   also measured on --first-messages more new conversations, interleaved the
   same way, since one sample per conversation is too few on a busy machine).
2. throughput: 10 buyers at once, each holding a 30-message conversation
   (--buyers, --throughput-length), rounds alternating between the stacks
   (--rounds); messages/s per round, the median round reported.
3. memory: --memory-messages messages (10 buyers at once, conversations of
   --length messages) to each of --memory-stacks; resident memory of the Rasa
   server and the action server (process trees) every 1,000 messages.

Our conversation cycles through 你好 -> 退款到哪一步了 -> 四件套那个 ->
那卖家一直不处理怎么办 -> 谢谢 (questions, an order reference, a follow-up),
rasa-init's through hello -> I am sad -> yes -> bye. Results: the section of
bench/load/RESULTS.md after its marker line (loadtest.py keeps it), and growth.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadtest as lt  # noqa: E402  (bench/load is not a package)

CHECKPOINTS = (1, 20, 50, 100)
WINDOW = 5
OURS = ("local", "production")


def script_for(name: str) -> List[str]:
    return lt.INIT_SCRIPT if name == "rasa-init" else lt.OUR_SCRIPT


def reply_problem(result) -> Optional[str]:
    replies = result.get("replies") or []
    text = " ".join(r.get("text", "") for r in replies)
    if not text.strip() and not any(r.get("buttons") for r in replies):
        return "empty reply"
    if lt.APOLOGY_MARK in text:
        return "apology (something failed)"
    return None


class Target:
    """One running stack and the buyers it may still use."""

    def __init__(self, name: str, stack: lt.Stack, prefix: str):
        self.name, self.stack, self.prefix = name, stack, prefix
        self.next_buyer = 0
        self.errors: Dict[str, int] = {}

    def buyers(self, n: int) -> List[str]:
        ids = [f"{self.prefix}{self.next_buyer + i:04d}" for i in range(n)]
        self.next_buyer += n
        return ids

    async def say(self, session, buyer: str, index: int) -> float:
        script = script_for(self.name)
        started = time.monotonic()
        try:
            status, result = await lt.post_signed(session, self.stack.url, buyer, script[index % len(script)])
        except Exception as error:
            self.errors[type(error).__name__] = self.errors.get(type(error).__name__, 0) + 1
            return time.monotonic() - started
        elapsed = time.monotonic() - started
        why = f"HTTP {status}" if status != 200 else reply_problem(result)
        if why:
            self.errors[why] = self.errors.get(why, 0) + 1
        return elapsed


async def latency_growth(targets: List[Target], conversations: int, length: int) -> Dict[str, List[List[float]]]:
    """latencies[name][conversation][message index] in ms, interleaved message by message."""
    out: Dict[str, List[List[float]]] = {t.name: [] for t in targets}
    async with aiohttp.ClientSession() as session:
        for _ in range(conversations):
            buyer = {t.name: t.buyers(1)[0] for t in targets}
            rows: Dict[str, List[float]] = {t.name: [] for t in targets}
            for i in range(length):
                for t in targets:
                    rows[t.name].append(await t.say(session, buyer[t.name], i) * 1000)
            for t in targets:
                out[t.name].append(rows[t.name])
    return out


def at_message(rows: List[List[float]], k: int) -> float:
    """Median latency at message k (1-based): messages k-4..k of every conversation."""
    first = 0 if k == 1 else max(0, k - WINDOW)
    return statistics.median(v for row in rows for v in row[first:k])


async def conversations_at_once(target: Target, buyers: int, length: int) -> Tuple[int, float]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        async def one(buyer: str) -> None:
            for i in range(length):
                await target.say(session, buyer, i)

        started = time.monotonic()
        await asyncio.gather(*(one(b) for b in target.buyers(buyers)))
        return buyers * length, time.monotonic() - started


async def memory_run(target: Target, messages: int, buyers: int, length: int,
                     samples: List[Dict[str, float]], saved: Callable[[], None]) -> None:
    """Resident memory (MB) of each server every 1,000 messages, into `samples` (saved as they come)."""
    samples.append({"messages": 0, **rss_mb(target.stack)})
    sent = 0
    while sent < messages:
        count, _ = await conversations_at_once(target, buyers, length)
        sent += count
        if sent // 1000 > samples[-1]["messages"] // 1000:
            samples.append({"messages": sent, **rss_mb(target.stack)})
            saved()


def rss_mb(stack: lt.Stack) -> Dict[str, float]:
    return {name: round(lt.tree_rss_kb(pid) / 1024) for name, pid in stack.pids().items()}


def start_stacks(workdir: Path, run_id: str, buyers_needed: int, dbs: List[str]) -> List[Target]:
    targets = []
    # local: what `make run` starts (endpoints.yml: SQLite tracker store)
    orders = f"sqlite:///{workdir / 'orders-local.db'}"
    lt.load_orders(orders, buyers_needed)
    local = lt.Stack("local", workdir, lt.base_env({"ORDERS_DB_URL": orders}), lt.REPO / "models",
                     "  enable_selective_domain: true\n"
                     "tracker_store:\n  type: SQL\n  dialect: sqlite\n"
                     f"  url: sqlite:///{workdir / 'conversations.db'}\n")
    targets.append(Target("local", local, "bench_"))
    # production: endpoints.production.yml's stores, databases of this run
    orders_db, tracker_db = f"bench_orders_{run_id}", f"bench_tracker_{run_id}"
    lt.pg_admin(f'CREATE DATABASE "{orders_db}"')
    dbs += [orders_db, tracker_db]
    url = lt.PG_ADMIN.rsplit("/", 1)[0] + f"/{orders_db}"
    lt.load_orders(url, buyers_needed)
    env = lt.base_env({"ORDERS_DB_URL": url, "TRUSTED_SENDER_CHANNELS": "store_im",
                       "STORE_IM_DEDUP_REDIS_URL": f"redis://{lt.REDIS_HOST}:{lt.REDIS_PORT}/2"})
    production = lt.Stack("production", workdir, env, lt.REPO / "models",
                          "  enable_selective_domain: true\n"
                          "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: 127.0.0.1\n  port: 5432\n"
                          f"  db: {tracker_db}\n  username: postgres\n  login_db: postgres\n"
                          f"lock_store:\n  type: redis\n  url: {lt.REDIS_HOST}\n  port: {lt.REDIS_PORT}\n"
                          f"  db: 1\n  key_prefix: growth_{run_id}\n")
    targets.append(Target("production", production, "bench_"))
    # BENCH_INIT_BOT_DIR: a `rasa init` bot trained by an earlier run (saves its training)
    cached = os.environ.get("BENCH_INIT_BOT_DIR")
    bot_dir = Path(cached) if cached and list(Path(cached).glob("models/*.tar.gz")) else lt.make_init_bot(workdir)
    if cached and bot_dir != Path(cached):
        shutil.copytree(bot_dir, cached, dirs_exist_ok=True)
    init = lt.Stack("rasa-init", workdir, lt.base_env(), bot_dir / "models", "", with_actions=False,
                    cwd=bot_dir, stock=True)
    targets.append(Target("rasa-init", init, "user_"))
    # Both of ours read the same bench buyers: production starts where local's buyers end.
    targets[1].next_buyer = buyers_needed // 2
    return targets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=5)
    parser.add_argument("--length", type=int, default=100)
    parser.add_argument("--buyers", type=int, default=10)
    parser.add_argument("--throughput-length", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-messages", type=int, default=10000)
    parser.add_argument("--memory-stacks", default="local,production", help="which of ours to measure memory of")
    parser.add_argument("--first-messages", type=int, default=20,
                        help="more new conversations whose first message is measured")
    parser.add_argument("--only-ours", default="local,production", help="which of ours to run")
    parser.add_argument("--out", default=str(lt.REPO / "bench" / "load" / "RESULTS.md"))
    args = parser.parse_args()
    memory_buyers = -(-args.memory_messages // args.length) if args.memory_messages else 0
    per_stack = (args.conversations + args.first_messages + args.buyers * args.rounds + memory_buyers
                 + args.buyers) * 2
    workdir = Path(tempfile.mkdtemp(prefix="bench-growth-"))
    run_id = uuid.uuid4().hex[:8]
    dbs: List[str] = []
    targets: List[Target] = []
    result: Dict[str, object] = {"args": vars(args), "python": platform.python_version(), "cpus": os.cpu_count()}
    loads: List[float] = []
    try:
        wanted = [x for x in args.only_ours.split(",") if x]
        targets = [t for t in start_stacks(workdir, run_id, per_stack, dbs)
                   if t.name in wanted or t.name == "rasa-init"]
        for t in targets:
            print(f"== {t.name}: first answer after {t.stack.start():.1f}s", flush=True)
        # warm-up: one short conversation each, not measured
        asyncio.run(latency_growth(targets, 1, 10))
        for t in targets:
            t.errors.clear()
        memory: Dict[str, List[Dict[str, float]]] = {}
        rounds: Dict[str, List[float]] = {t.name: [] for t in targets}
        result.update({"throughput_rounds": rounds, "memory_mb": memory, "errors": {t.name: t.errors for t in targets},
                       "load_avg_1min": loads})

        def saved() -> None:  # each phase is written as it ends: a long run cut short keeps what it measured
            loads.append(round(os.getloadavg()[0], 2))
            save(result, Path(args.out))

        loads.append(round(os.getloadavg()[0], 2))
        rows = asyncio.run(latency_growth(targets, args.conversations, args.length))
        if args.first_messages:  # one-message rows: they count at message 1 only
            for name, firsts in asyncio.run(latency_growth(targets, args.first_messages, 1)).items():
                rows[name] += firsts
        result["latency_ms"] = {name: {k: round(at_message(r, k)) for k in CHECKPOINTS if k <= args.length}
                                for name, r in rows.items()}
        result["latency_rows_ms"] = rows
        saved()
        print("   latency ms:", result["latency_ms"], flush=True)
        for _ in range(args.rounds):
            for t in targets:
                count, wall = asyncio.run(conversations_at_once(t, args.buyers, args.throughput_length))
                rounds[t.name].append(round(count / wall, 1))
            saved()
        print("   throughput msg/s:", rounds, flush=True)
        for t in targets:
            if t.name in OURS and t.name in args.memory_stacks.split(",") and args.memory_messages:
                memory[t.name] = []
                asyncio.run(memory_run(t, args.memory_messages, args.buyers, args.length, memory[t.name], saved))
                print(f"   memory {t.name}:", memory[t.name][0], memory[t.name][-1], flush=True)
    finally:
        for t in targets:
            t.stack.stop()
        for db in dbs:
            try:
                lt.pg_drop(db)
            except Exception as error:  # pragma: no cover
                print(f"   could not drop {db}: {error}")
        shutil.rmtree(workdir, ignore_errors=True)
    print(report(result))
    return 0


def save(result: Dict, out: Path) -> None:
    (out.parent / "growth.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    before = out.read_text(encoding="utf-8").partition(lt.GROWTH_MARKER)[0] if out.exists() else ""
    out.write_text(before.rstrip("\n") + f"\n\n{lt.GROWTH_MARKER}\n\n" + report(result), encoding="utf-8")


def report(result: Dict) -> str:
    args = result["args"]
    latency, rounds = result["latency_ms"], result["throughput_rounds"]
    memory = {n: samples for n, samples in result["memory_mb"].items() if samples}
    init = latency["rasa-init"]
    loads = result["load_avg_1min"]
    ours = [n for n in OURS if n in latency]
    lines = [
        "## Growth: one message's cost as the conversation grows (issue #21)",
        "",
        "Made by `.venv/bin/python bench/load/growth.py "
        f"--conversations {args['conversations']} --length {args['length']} --buyers {args['buyers']} "
        f"--throughput-length {args['throughput_length']} --rounds {args['rounds']} "
        f"--memory-messages {args['memory_messages']} --memory-stacks {args.get('memory_stacks', 'local,production')} "
        f"--first-messages {args.get('first_messages', 0)}` (part of `make bench-load`; "
        "`make bench-growth` runs this part alone).",
        f"Machine: {result['cpus']} CPUs shared with other jobs, Python {result['python']}; 1-minute load average "
        f"during the run {min(loads):.1f}–{max(loads):.1f} (mean {statistics.mean(loads):.1f}). Absolute numbers "
        "move with the load; the ratios compare stacks measured interleaved in the same run.",
        "",
        "### Latency at message k of one conversation (median ms; rasa-init = 1.0)",
        "",
        "| message | " + " | ".join(ours) + " | rasa-init | " + " | ".join(f"{n} ÷ rasa-init" for n in ours) + " |",
        "|---|" + "---|" * (2 * len(ours) + 1),
    ]
    for k in init:
        lines.append(f"| {k} | " + " | ".join(str(latency[n][k]) for n in ours) + f" | {init[k]} | "
                     + " | ".join(f"{latency[n][k] / init[k]:.2f}×" for n in ours) + " |")
    med = {n: statistics.median(r) for n, r in rounds.items() if r}
    if "rasa-init" in med and all(n in med for n in ours):
        lines += ["", f"### {args['buyers']} buyers at once, each holding a {args['throughput_length']}-message "
                  "conversation (messages/s)", "",
                  "| stack | rounds | median | ÷ rasa-init |", "|---|---|---|---|"]
        for n in ours + ["rasa-init"]:
            lines.append(f"| {n} | {', '.join(map(str, rounds[n]))} | {med[n]} | {med[n] / med['rasa-init']:.2f}× |")
    if memory:
        lines += ["", f"### Resident memory over {args['memory_messages']:,} messages (MB, process trees)", "",
                  "| messages | " + " | ".join(f"{n} Rasa | {n} actions" for n in memory) + " |",
                  "|---|" + "---|" * (2 * len(memory))]
        longest = max(memory.values(), key=len)
        for i, sample in enumerate(longest):
            cells = []
            for samples in memory.values():
                row = samples[min(i, len(samples) - 1)]
                cells += [str(row.get("rasa", "")), str(row.get("actions", ""))]
            lines.append(f"| {sample['messages']:,} | " + " | ".join(cells) + " |")
    lines += ["", "### Targets (issue #21, local profile; production beside it)", ""]
    for n in ours:
        worst = max(latency[n][k] / init[k] for k in init)
        lines.append(f"- `{n}` latency ≤ 1.5× rasa-init at every length: worst {worst:.2f}× "
                     f"({'met' if worst <= 1.5 else 'MISSED'})")
        if n in med and "rasa-init" in med:
            ratio = med[n] / med["rasa-init"]
            lines.append(f"- `{n}` throughput ≥ 1.0× rasa-init: {ratio:.2f}× ({'met' if ratio >= 1.0 else 'MISSED'})")
        if n in memory and len(memory[n]) > 2:
            grew = {k: memory[n][-1].get(k, 0) - memory[n][1].get(k, 0) for k in ("rasa", "actions")}
            lines.append(f"- `{n}` memory from message {memory[n][1]['messages']:,} to {memory[n][-1]['messages']:,}: "
                         f"Rasa {grew['rasa']:+} MB, action server {grew['actions']:+} MB")
    lines += ["", "Errors (non-200, empty reply, the failure apology): "
              + ", ".join(f"{n} {sum(e.values())}{' ' + json.dumps(e, ensure_ascii=False) if e else ''}"
                          for n, e in result["errors"].items()), ""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
