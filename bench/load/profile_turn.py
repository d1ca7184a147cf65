"""Where one message's time goes (issue #21; docs/production.md, "Tuning").

    ACTION_ENDPOINT_URL=http://127.0.0.1:5055/webhook ORDERS_DB_URL=sqlite:///... \\
      .venv/bin/python bench/load/profile_turn.py --messages 100 --profile 80-100
    # the first message of 30 conversations, ours and then Rasa's own `rasa init` bot:
    .venv/bin/python bench/load/profile_turn.py --conversations 30 --messages 1 --profile 1
    .venv/bin/python bench/load/profile_turn.py --conversations 30 --messages 1 --profile 1 \\
      --model /path/to/rasa-init-bot/models --endpoints none --script init

Loads the model in this process with the tracker store of endpoints.yml
(SQLite, TRACKER_DB_URL or a temporary file) and the patches of bot.server,
sends --conversations conversations of --messages messages through the
hand-off gate as the channels do (OUR_SCRIPT of loadtest.py, cycled; each
conversation a new conversation id of the same buyer), prints each message's
latency and the tracker's event count, the median latency at each message
position, and cProfiles the positions given by --profile (``80-100``, ``1,20``).
An action server must be running for our bot (e.g. `python -m cProfile -o
actions.prof -m rasa_sdk --actions actions` to profile that side as well).
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Set

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def positions(spec: str) -> Set[int]:
    out: Set[int] = set()
    for part in filter(None, spec.split(",")):
        first, _, last = part.partition("-")
        out.update(range(int(first), int(last or first) + 1))
    return out


async def run(args) -> None:
    from loadtest import INIT_SCRIPT, OUR_SCRIPT
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings

    from bot import rasa_patches
    from bot.handoff import gate
    from bot.handoff.state import HandoffSettings

    configure_logging_and_warnings(logging.INFO)  # as `rasa run` without --debug
    if args.patches:
        rasa_patches.apply()
    os.environ.setdefault("TRACKER_DB_URL", f"sqlite:///{tempfile.mkdtemp()}/conversations.db")
    endpoints = (AvailableEndpoints() if args.endpoints == "none"
                 else AvailableEndpoints.read_endpoints(str(REPO / args.endpoints)))
    model_dir = Path(args.model) if args.model else REPO / "models"
    models = sorted(model_dir.glob("*.tar.gz")) if model_dir.is_dir() else [model_dir]
    agent = await load_agent(model_path=str(models[-1]), endpoints=endpoints)
    script = INIT_SCRIPT if args.script == "init" else OUR_SCRIPT
    profiler = cProfile.Profile()
    profiled = positions(args.profile)
    latencies: Dict[int, List[float]] = {}
    for c in range(args.conversations):
        sender = f"store_im:{args.buyer}" + (f"~{os.getpid()}-{c}" if args.conversations > 1 else "")
        for i in range(args.messages):
            output = CollectingOutputChannel()
            message = UserMessage(script[i % len(script)], output, sender, input_channel="store_im",
                                  metadata={"verified_buyer_id": args.buyer})
            if i + 1 in profiled:
                profiler.enable()
            started = time.perf_counter()
            await gate.deliver(agent, message, HandoffSettings(), agent.handle_message)
            elapsed = (time.perf_counter() - started) * 1000
            profiler.disable()
            latencies.setdefault(i + 1, []).append(elapsed)
            if args.verbose:
                tracker = await agent.tracker_store.retrieve(message.sender_id)
                print(f"{i + 1:4d} {elapsed:7.1f} ms  events {len(tracker.events):5d}  replies "
                      f"{len(output.messages)}", flush=True)
    print("median ms by message:", {k: round(statistics.median(v), 1) for k, v in latencies.items()
                                    if k in profiled or k in (1, 20, 50, 100)}, flush=True)
    stats = pstats.Stats(profiler).sort_stats(args.sort)
    stats.print_stats(args.top)
    if args.out:
        stats.dump_stats(args.out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--conversations", type=int, default=1)
    parser.add_argument("--profile", default="80-100", help="message positions to profile: 80-100, 1,20")
    parser.add_argument("--buyer", default="tb_zhao_lei")
    parser.add_argument("--endpoints", default="endpoints.yml", help="'none': no action server, in-memory store")
    parser.add_argument("--model", default="", help="a model file or a directory of them (default: models/)")
    parser.add_argument("--script", choices=("ours", "init"), default="ours")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--out", default="")
    parser.add_argument("--verbose", action="store_true", help="each message's latency and event count")
    parser.add_argument("--no-patches", dest="patches", action="store_false")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
