"""Load benchmark: N concurrent buyers, each a realistic multi-turn conversation.

    .venv/bin/python bench/load/loadtest.py            # what `make bench-load` runs
    .venv/bin/python bench/load/loadtest.py --only local --levels 1,10 --seconds 10

For each configuration a fresh action server and Rasa server are started on free
ports (127.0.0.1 only), N = 1, 10, 50 buyers talk at once over the signed store
IM channel (POST /webhooks/store_im/webhook, X-Store-Signature), and the script
measures messages/s, latency percentiles, errors, start-up time to the first
answer and the peak resident memory of the Rasa server and of the action server
(each process tree, sampled every 0.2 s). Results: bench/load/RESULTS.md and
bench/load/results.json.

Configurations:
  local-stock  as `local`, but started with Rasa's own `rasa` command (before tuning)
  local        in-memory tracker store, SQLite order database (`make run`)
  production   PostgreSQL tracker store + Redis lock store, PostgreSQL order
               database (endpoints.production.yml); databases are made for the
               run and dropped afterwards
  production-tuned   production plus what the measurements pointed at:
               SANIC_WORKERS=2 (needs the Redis lock store; each worker loads
               its own model)
  production-tuned-tf1   production-tuned plus one TensorFlow thread per pool
               (TF_INTER_OP/INTRA_OP_PARALLELISM_THREADS=1)
  rasa-init    Rasa's own `rasa init` bot, trained in a temporary directory
               (not in the repo), served with the same store IM channel

Our conversation (buyer bench_NNNN, a copy of demo buyer tb_zhao_lei with own
order numbers; every conversation is a different buyer, as on a real shop): 你好 -> 退款到哪一步了 (the
bot lists the orders) -> 四件套那个 (a reference, answered) -> 那卖家一直不处理怎么办 (a follow-up about
the order under discussion) -> 谢谢. The rasa-init conversation: hello -> I am sad -> yes -> bye.
A reply counts as an error when the HTTP status is not 200, the request fails
or times out, or the reply is not the expected one (no buttons where the bot
must ask which order, the apology for a failure, or no text at all).
Each level runs for at most --seconds and at most --max-conversations conversations
per simulated client.
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import hashlib
import hmac
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiohttp

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
BIN = REPO / ".venv" / "bin"
SECRET = "bench-store-im-secret"
PG_ADMIN = os.environ.get("BENCH_POSTGRES_ADMIN_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
TEMPLATE_BUYER = "tb_zhao_lei"
APOLOGY_MARK = "系统开小差"
GROWTH_MARKER = "<!-- growth.py writes below this line -->"
# Seconds a server may take to answer its first message (a busy shared machine needs more).
START_TIMEOUT_S = float(os.environ.get("BENCH_START_TIMEOUT", "300"))

# question -> list -> reference -> follow-up about the order under discussion -> thanks
OUR_SCRIPT = ["你好", "退款到哪一步了", "四件套那个", "那卖家一直不处理怎么办", "谢谢"]
INIT_SCRIPT = ["hello", "I am sad", "yes", "bye"]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONPATH": str(REPO), "STORE_IM_SECRET": SECRET,
                "SANIC_REQUEST_MAX_SIZE": "1048576"})
    # The per-conversation and per-client limits (docs/security.md) would answer a
    # load generator's messages with the "too fast" reply: off for the benchmark.
    env.update({"BOT_MESSAGES_PER_MINUTE_PER_CONVERSATION": "0", "BOT_MESSAGES_PER_MINUTE_PER_CLIENT": "0",
                "BOT_MAX_CONNECTIONS_PER_CLIENT": "0", "BOT_MAX_EVENTS_PER_SESSION": "0"})
    env.update(extra or {})
    return env


# ---------------------------------------------------------------- data

def bench_document(buyers: int) -> dict:
    """The demo shop plus `buyers` copies of tb_zhao_lei (bench_000 ...) with their own order ids."""
    from actions.orders.demo import demo_document

    doc = demo_document()
    template_orders = [o for o in doc["orders"] if o["buyer_id"] == TEMPLATE_BUYER]
    ids = {o["order_id"] for o in template_orders}
    refunds = [r for r in doc.get("refunds", []) if r["order_id"] in ids]
    frozen = [f for f in doc.get("frozen_funds", []) if f["buyer_id"] == TEMPLATE_BUYER]
    template = next(b for b in doc["buyers"] if b["buyer_id"] == TEMPLATE_BUYER)
    for i in range(buyers):
        buyer_id = f"bench_{i:04d}"
        doc["buyers"].append({**template, "buyer_id": buyer_id})
        new_id = {old: f"9{i:04d}{old[-14:]}" for old in ids}
        for o in template_orders:
            doc["orders"].append({**copy.deepcopy(o), "order_id": new_id[o["order_id"]], "buyer_id": buyer_id})
        for r in refunds:
            doc["refunds"].append({**copy.deepcopy(r), "refund_id": f"B{i:04d}{r['refund_id']}",
                                   "order_id": new_id[r["order_id"]]})
        for f in frozen:
            extra = {"buyer_id": buyer_id}
            if "fund_id" in f:
                extra["fund_id"] = f"B{i:04d}{f['fund_id']}"
            doc["frozen_funds"].append({**copy.deepcopy(f), **extra})
    return doc


def load_orders(url: str, buyers: int) -> None:
    from sqlalchemy.orm import sessionmaker

    from actions.orders.db import make_engine
    from actions.orders.loader import load_document

    engine = make_engine(url)
    load_document(bench_document(buyers), sessionmaker(engine, future=True))
    engine.dispose()


def pg_admin(sql: str, **params) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_ADMIN, future=True, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text(sql), params)
    engine.dispose()


def pg_drop(name: str) -> None:
    pg_admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n", n=name)
    pg_admin(f'DROP DATABASE IF EXISTS "{name}"')


# ---------------------------------------------------------------- processes

def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (kB)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return total


class Sampler(threading.Thread):
    def __init__(self, pids: Dict[str, int]):
        super().__init__(daemon=True)
        self.pids, self.peak = pids, {k: 0 for k in pids}
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            for name, pid in self.pids.items():
                self.peak[name] = max(self.peak[name], tree_rss_kb(pid))
            time.sleep(0.2)

    def stop(self) -> Dict[str, int]:
        self.stop_event.set()
        self.join()
        return self.peak


class Stack:
    """An action server (optional) and a Rasa server with the store IM channel."""

    def __init__(self, name: str, workdir: Path, env: Dict[str, str], model: Path, endpoints: str,
                 with_actions: bool = True, cwd: Path = REPO, stock: bool = False):
        self.name, self.workdir, self.env, self.model, self.cwd = name, workdir, env, model, cwd
        # stock: Rasa as it comes (BOT_RASA_PATCHES=0); else with bot/rasa_patches.py
        # (bounded action calls, action-response validator prepared once)
        # (bot.server applies the patches explicitly; importing `bot` does not)
        self.launcher = [str(BIN / "python"), "-m", "bot.server"]
        if stock:
            self.env = dict(env, BOT_RASA_PATCHES="0")
        self.port, self.actions_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.procs: Dict[str, subprocess.Popen] = {}
        ep = workdir / f"endpoints-{name}.yml"
        ep.write_text((f'action_endpoint:\n  url: "http://127.0.0.1:{self.actions_port}/webhook"\n'
                       if with_actions else "") + endpoints, encoding="utf-8")
        cred = workdir / f"credentials-{name}.yml"
        cred.write_text("bot.channels.store_im.StoreIMInput:\n  max_body_bytes: 65536\n", encoding="utf-8")
        self.endpoints, self.credentials, self.with_actions = ep, cred, with_actions

    def start(self) -> float:
        """Start both servers; seconds until the first message is answered."""
        started = time.monotonic()
        if self.with_actions:
            self.procs["actions"] = subprocess.Popen(
                [str(BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.actions_port)],
                cwd=REPO, env={**self.env, "SANIC_HOST": "127.0.0.1"},
                stdout=(self.workdir / f"actions-{self.name}.log").open("w"), stderr=subprocess.STDOUT)
        self.procs["rasa"] = subprocess.Popen(
            [*self.launcher, "run", "-i", "127.0.0.1", "-p", str(self.port),
             "--model", str(self.model), "--endpoints", str(self.endpoints),
             "--credentials", str(self.credentials)],
            cwd=self.cwd, env=self.env, stdout=(self.workdir / f"rasa-{self.name}.log").open("w"),
            stderr=subprocess.STDOUT)
        deadline = started + START_TIMEOUT_S
        while time.monotonic() < deadline:
            for name, p in self.procs.items():
                if p.poll() is not None:
                    log = (self.workdir / f"{name}-{self.name}.log").read_text()[-3000:]
                    raise RuntimeError(f"{self.name}: {name} server exited:\n{log}")
            try:
                status, _ = asyncio.run(self._first_message())
                if status == 200:
                    return time.monotonic() - started
            except Exception:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"{self.name}: not answering after {START_TIMEOUT_S:g} s")

    async def _first_message(self):
        async with aiohttp.ClientSession() as session:
            return await post_signed(session, self.url, f"warmup-{uuid.uuid4().hex[:6]}", "你好", timeout=5)

    def stop(self) -> None:
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()

    def pids(self) -> Dict[str, int]:
        return {name: p.pid for name, p in self.procs.items()}


# ---------------------------------------------------------------- load

async def post_signed(session: aiohttp.ClientSession, url: str, buyer: str, text: str, timeout: float = 30):
    body = json.dumps({"buyer_id": buyer, "message_id": uuid.uuid4().hex, "text": text,
                       "timestamp": int(time.time())}, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json",
               "X-Store-Signature": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()}
    async with session.post(f"{url}/webhooks/store_im/webhook", data=body, headers=headers,
                            timeout=aiohttp.ClientTimeout(total=timeout)) as response:
        return response.status, (await response.json() if response.status == 200 else await response.text())


def expected(step: int, script: List[str], result) -> Optional[str]:
    """None if the reply is what a buyer should get at this step, else why not."""
    replies = result.get("replies") or []
    text = " ".join(r.get("text", "") for r in replies)
    if not text.strip() and not any(r.get("buttons") for r in replies):
        return "empty reply"
    if APOLOGY_MARK in text:
        return "apology (something failed)"
    if script is OUR_SCRIPT and step == 1 and not any(r.get("buttons") for r in replies):
        return "no order buttons"
    asks_again = any("feedback" not in b.get("payload", "") for r in replies for b in r.get("buttons") or [])
    if script is OUR_SCRIPT and step in (2, 3) and ("四件套" not in text or asks_again):
        return "reference or follow-up not answered about the order"
    return None


async def buyer_loop(session, url: str, buyers: List[str], script: List[str], stop_at: float,
                     latencies: List[float], errors: Dict[str, int]) -> None:
    """One simulated client: one conversation after another, each of a different buyer."""
    for buyer in buyers:
        payload = None
        for step, message in enumerate(script):
            if time.monotonic() >= stop_at:
                return
            if message == "<button>":
                if payload is None:
                    break
                message = payload
            started = time.monotonic()
            try:
                status, result = await post_signed(session, url, buyer, message)
            except Exception as error:
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
                break
            latencies.append(time.monotonic() - started)
            if status != 200:
                errors[f"HTTP {status}"] = errors.get(f"HTTP {status}", 0) + 1
                break
            why = expected(step, script, result)
            if why:
                errors[why] = errors.get(why, 0) + 1
            buttons = [b for r in result.get("replies", []) for b in r.get("buttons", [])]
            if buttons:
                payload = next((b["payload"] for b in buttons if "四件套" in b["title"]), buttons[0]["payload"])


async def run_level(url: str, n: int, script: List[str], buyer_prefix: str, seconds: float,
                    max_conversations: int, first_buyer: int) -> dict:
    latencies: List[float] = []
    errors: Dict[str, int] = {}
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        stop_at = started + seconds
        await asyncio.gather(*[
            buyer_loop(session, url, [f"{buyer_prefix}{first_buyer + i * max_conversations + c:04d}"
                                      for c in range(max_conversations)], script, stop_at, latencies, errors)
            for i in range(n)
        ])
        wall = time.monotonic() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000 if ordered else 0.0

    return {"n": n, "messages": len(latencies), "seconds": round(wall, 2),
            "messages_per_s": round(len(latencies) / wall, 1) if wall else 0.0,
            "p50_ms": round(pct(50)), "p95_ms": round(pct(95)), "p99_ms": round(pct(99)),
            "mean_ms": round(statistics.mean(ordered) * 1000) if ordered else 0,
            "errors": sum(errors.values()), "error_kinds": errors}


# ---------------------------------------------------------------- configurations

def make_init_bot(workdir: Path) -> Path:
    """`rasa init` in a temporary directory, trained there; returns that directory."""
    bot_dir = workdir / "rasa-init-bot"
    bot_dir.mkdir()  # rasa init --init-dir wants an existing directory
    env = base_env()
    subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(bot_dir)], cwd=workdir, env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
    if not list((bot_dir / "models").glob("*.tar.gz")):
        raise RuntimeError("rasa init did not train a model")
    return bot_dir


# Two cores shared by the Rasa workers, the action server and the databases:
# one TensorFlow thread per pool, to avoid oversubscription (measured: slower).
TF_ONE_THREAD = {"TF_INTER_OP_PARALLELISM_THREADS": "1", "TF_INTRA_OP_PARALLELISM_THREADS": "1"}


def configurations(only: Optional[List[str]]) -> List[str]:
    names = ["local-stock", "local", "production", "production-tuned", "production-tuned-tf1", "rasa-init"]
    return [n for n in names if not only or n in only]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--seconds", type=float, default=20, help="time limit of each level")
    parser.add_argument("--max-conversations", type=int, default=10,
                        help="conversations per simulated client and level (each with a buyer of its own)")
    parser.add_argument("--only", default="", help="comma-separated configuration names")
    parser.add_argument("--out", default=str(REPO / "bench" / "load" / "RESULTS.md"))
    parser.add_argument("--tuned-workers", type=int, default=int(os.environ.get("BENCH_TUNED_SANIC_WORKERS", "2")))
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite RESULTS.md from the results.json beside it, measuring nothing")
    args = parser.parse_args()
    if args.report_only:
        out = Path(args.out)
        write_results(json.loads((out.parent / "results.json").read_text(encoding="utf-8")), args, out)
        return 0
    levels = [int(x) for x in args.levels.split(",")]
    # Every conversation is a different buyer (conversation id = buyer id on the IM channel).
    buyers_needed = sum(levels) * args.max_conversations
    only = [x for x in args.only.split(",") if x] or None
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    results: List[Dict[str, Any]] = []
    run_id = uuid.uuid4().hex[:8]
    try:
        for name in configurations(only):
            env, endpoints, model, cwd, with_actions = base_env(), "", REPO / "models", REPO, True
            script, prefix = OUR_SCRIPT, "bench_"
            dbs: List[str] = []
            if name in ("local", "local-stock"):
                url = f"sqlite:///{workdir / 'orders-local.db'}"
                load_orders(url, buyers_needed)
                env["ORDERS_DB_URL"] = url
            elif name.startswith("production"):
                orders_db, tracker_db = f"bench_orders_{run_id}_{len(results)}", f"bench_tracker_{run_id}_{len(results)}"
                pg_admin(f'CREATE DATABASE "{orders_db}"')
                dbs = [orders_db, tracker_db]
                url = PG_ADMIN.rsplit("/", 1)[0] + f"/{orders_db}"
                load_orders(url, buyers_needed)
                env.update({"ORDERS_DB_URL": url, "TRUSTED_SENDER_CHANNELS": "store_im",
                            "STORE_IM_DEDUP_REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/2"})
                endpoints = ("  enable_selective_domain: true\n"
                             "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: 127.0.0.1\n  port: 5432\n"
                             f"  db: {tracker_db}\n  username: postgres\n  login_db: postgres\n"
                             f"lock_store:\n  type: redis\n  url: {REDIS_HOST}\n  port: {REDIS_PORT}\n  db: 1\n"
                             f"  key_prefix: bench_{run_id}\n")
                if name.startswith("production-tuned"):
                    env["SANIC_WORKERS"] = str(args.tuned_workers)
                if name == "production-tuned-tf1":
                    env.update(TF_ONE_THREAD)
            elif name == "rasa-init":
                bot_dir = make_init_bot(workdir)
                model, cwd, with_actions = bot_dir / "models", bot_dir, False
                script, prefix = INIT_SCRIPT, "user_"
            stack = Stack(name, workdir, env, model, endpoints, with_actions=with_actions, cwd=cwd,
                          stock=name in ("local-stock", "rasa-init"))
            print(f"== {name}: starting", flush=True)
            try:
                startup = stack.start()
                print(f"   first answer after {startup:.1f}s", flush=True)
                first_buyer = 0
                for n in levels:
                    sampler = Sampler(stack.pids())
                    sampler.start()
                    level = asyncio.run(run_level(stack.url, n, script, prefix, args.seconds, args.max_conversations,
                                                  first_buyer))
                    first_buyer += n * args.max_conversations
                    peak = sampler.stop()
                    level.update({"config": name, "startup_s": round(startup, 1),
                                  "rasa_rss_mb": round(peak.get("rasa", 0) / 1024),
                                  "actions_rss_mb": round(peak.get("actions", 0) / 1024) if with_actions else None,
                                  "load_avg_1min": round(os.getloadavg()[0], 1)})
                    results.append(level)
                    print(f"   N={n}: {level['messages_per_s']} msg/s p50 {level['p50_ms']} ms "
                          f"p95 {level['p95_ms']} ms p99 {level['p99_ms']} ms errors {level['errors']} "
                          f"{level['error_kinds'] or ''}", flush=True)
            finally:
                stack.stop()
                for db in dbs:
                    try:
                        pg_drop(db)
                    except Exception as error:  # pragma: no cover
                        print(f"   could not drop {db}: {error}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    write_results(results, args, Path(args.out))
    return 0


def write_results(results: List[dict], args, out: Path) -> None:
    (out.parent / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    loads = [r["load_avg_1min"] for r in results if "load_avg_1min" in r] or [os.getloadavg()[0]]
    load = (sum(loads) / len(loads),)
    lines = [
        "# Load benchmark results",
        "",
        "Made by `make bench-load` (= `.venv/bin/python bench/load/loadtest.py "
        f"--levels {args.levels} --seconds {args.seconds:g} --max-conversations {args.max_conversations}`).",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, mean 1-minute load average "
        f"{load[0]:.1f} (the benchmark itself counts: 2 servers and the client share the cores; "
        "with other jobs running numbers move by about 30% between runs, so compare rows of one run). "
        "Channel: store IM (signed webhook) for every row. Each simulated client runs one conversation after "
        "another, each of a different buyer: 你好 → 退款到哪一步了 (the list) → 四件套那个 (a reference) → "
        "那卖家一直不处理怎么办 (a follow-up about that order) → 谢谢 (rasa-init: hello → "
        "I am sad → yes → bye).",
        "",
        "| configuration | N | msg/s | p50 ms | p95 ms | p99 ms | errors | messages | start-up to first answer s "
        "| Rasa RSS MB | action server RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['config']} | {r['n']} | {r['messages_per_s']} | {r['p50_ms']} | {r['p95_ms']} | "
                     f"{r['p99_ms']} | {r['errors']} | {r['messages']} | {r['startup_s']} | {r['rasa_rss_mb']} | "
                     f"{r['actions_rss_mb'] if r['actions_rss_mb'] is not None else '–'} |")
    lines += ["", "## Targets", ""] + [f"- {line}" for line in target_lines(results)]
    lines += ["", "Rows: `local-stock` = local configuration started with Rasa's own `rasa run` (before tuning); "
              "`local` = the same with `bot/rasa_patches.py` (action-response validator prepared once, "
              "one tracker read per message); "
              "`production` = PostgreSQL tracker + Redis lock + PostgreSQL orders + selective domain; "
              "`production-tuned` = production + SANIC_WORKERS=2; "
              "`production-tuned-tf1` = production-tuned + one TensorFlow thread per pool; "
              "`rasa-init` = Rasa's `rasa init` bot (English moodbot, no custom actions) with the same channel. "
              "RSS is the peak of each server's process tree (all Sanic workers) during the level. "
              "See docs/production.md, \"Tuning\"."]
    # bench/load/growth.py's section (after GROWTH_MARKER) is kept as it was.
    kept = out.read_text(encoding="utf-8").partition(GROWTH_MARKER) if out.exists() else ("", "", "")
    out.write_text("\n".join(lines) + "\n" + (f"\n{GROWTH_MARKER}{kept[2]}" if kept[1] else ""), encoding="utf-8")


def target_lines(results: List[dict]) -> List[str]:
    by = {(r["config"], r["n"]): r for r in results}
    ours = [c for c in ("production-tuned", "production-tuned-tf1", "production", "local", "local-stock")
            if any(k[0] == c for k in by)]
    out = []
    for config in ours:
        r50, r10 = by.get((config, 50)), by.get((config, 10))
        parts = []
        if r50:
            parts.append(f"errors at N=50: {r50['errors']} ({'met' if r50['errors'] == 0 else 'MISSED'})")
        if r10:
            ok = r10["messages_per_s"] >= 40 and r10["p95_ms"] < 300
            parts.append(f"N=10: {r10['messages_per_s']} msg/s, p95 {r10['p95_ms']} ms "
                         f"(target >= 40 msg/s, p95 < 300 ms: {'met' if ok else 'MISSED'})")
        medians = []
        for n in sorted({k[1] for k in by if k[0] == config}):
            mine, theirs = by.get((config, n)), by.get(("rasa-init", n))
            if mine and theirs and theirs["p50_ms"]:
                ratio = mine["p50_ms"] / theirs["p50_ms"]
                medians.append(f"N={n} {ratio:.2f}x")
        if medians:
            parts.append("median vs rasa-init (target <= 1.5x): " + ", ".join(medians))
        any_row = next(r for r in results if r["config"] == config)
        parts.append(f"start-up {any_row['startup_s']} s (target < 30 s: "
                     f"{'met' if any_row['startup_s'] < 30 else 'MISSED'})")
        out.append(f"`{config}`: " + "; ".join(parts))
    return out


if __name__ == "__main__":
    sys.exit(main())
