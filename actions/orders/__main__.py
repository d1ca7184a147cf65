"""Command line for the order database.

    python -m actions.orders init            create missing tables
    python -m actions.orders load FILE.json  import a store's file (all or nothing)
    python -m actions.orders demo [--if-empty] load the demo shop (default database only)
"""
from __future__ import annotations

import argparse
import sys

from sqlalchemy import func, select

from actions.orders.db import database_url, engine_for, is_default_database, session_factory
from actions.orders.demo import demo_document
from actions.orders.loader import load_document, load_file
from actions.orders.models import Buyer, create_tables
from actions.orders.validate import ImportRejected


def _redacted(url: str) -> str:
    # Never print a password that may be in the URL.
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.orders", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init", help="create missing tables")
    load = commands.add_parser("load", help="import a JSON file in the documented format")
    load.add_argument("file")
    demo = commands.add_parser("demo", help="load the demo shop's data")
    demo.add_argument("--if-empty", action="store_true",
                      help="only when the default database has no buyers yet")
    args = parser.parse_args(argv)

    url = database_url()
    sessions = session_factory(url)
    try:
        create_tables(engine_for(url))
        if args.command == "init":
            print(f"order tables ready in {_redacted(url)}")
            return 0
        if args.command == "load":
            summary = load_file(args.file, sessions)
            print(f"{args.file}: {summary} into {_redacted(url)}")
            return 0
        if args.if_empty:
            if not is_default_database(url):
                print("ORDERS_DB_URL is set: not loading demo data into a store's database")
                return 0
            with sessions() as session:
                if session.scalar(select(func.count()).select_from(Buyer)):
                    print("order database already has data: demo not loaded")
                    return 0
        summary = load_document(demo_document(), sessions)
        print(f"demo shop: {summary} into {_redacted(url)}")
        return 0
    except ImportRejected as rejected:
        print(f"rejected, nothing was changed ({len(rejected.errors)} problem(s)):", file=sys.stderr)
        for error in rejected.errors:
            print(f"  - {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"cannot read {getattr(args, 'file', '')}: {error.strerror}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
