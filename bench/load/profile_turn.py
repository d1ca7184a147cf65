"""Where one message's time goes as its conversation grows (issue #21; docs/production.md, "Tuning").

    ACTION_ENDPOINT_URL=http://127.0.0.1:5055/webhook ORDERS_DB_URL=sqlite:///... \\
      .venv/bin/python bench/load/profile_turn.py --messages 100 --profile-from 80

Loads the model in this process with the tracker store of endpoints.yml
(SQLite, TRACKER_DB_URL or a temporary file) and the patches of bot.server,
sends one buyer's conversation through the hand-off gate as the channels do
(OUR_SCRIPT of loadtest.py, cycled), prints each message's latency and the
tracker's event count, and cProfiles messages --profile-from..--messages.
An action server must be running (e.g. `python -m cProfile -o actions.prof -m
rasa_sdk --actions actions` to profile that side as well).
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))


async def run(args) -> None:
    from loadtest import OUR_SCRIPT
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
    endpoints = AvailableEndpoints.read_endpoints(str(REPO / args.endpoints))
    models = sorted((REPO / "models").glob("*.tar.gz"))
    agent = await load_agent(model_path=str(models[-1]), endpoints=endpoints)
    profiler = cProfile.Profile()
    buyer = args.buyer
    for i in range(args.messages):
        output = CollectingOutputChannel()
        message = UserMessage(OUR_SCRIPT[i % len(OUR_SCRIPT)], output, f"store_im:{buyer}", input_channel="store_im",
                              metadata={"verified_buyer_id": buyer})
        if i + 1 == args.profile_from:
            profiler.enable()
        started = time.perf_counter()
        await gate.deliver(agent, message, HandoffSettings(), agent.handle_message)
        elapsed = (time.perf_counter() - started) * 1000
        tracker = await agent.tracker_store.retrieve(message.sender_id)
        print(f"{i + 1:4d} {elapsed:7.1f} ms  events {len(tracker.events):5d}  replies {len(output.messages)}",
              flush=True)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats(args.sort)
    stats.print_stats(args.top)
    if args.out:
        stats.dump_stats(args.out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--profile-from", type=int, default=80)
    parser.add_argument("--buyer", default="tb_zhao_lei")
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--out", default="")
    parser.add_argument("--no-patches", dest="patches", action="store_false")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
