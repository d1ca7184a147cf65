"""Command line for the order database.

    python -m actions.orders create-database create the PostgreSQL database if missing
    python -m actions.orders init            create missing tables
    python -m actions.orders load FILE.json  import a store's file (all or nothing)
    python -m actions.orders demo [--if-empty] load the demo shop (default database only);
                                             loading it again changes nothing
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


def create_database(url: str) -> None:
    """PostgreSQL: create the URL's database if it does not exist (other backends: nothing)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                        {"n": parsed.database}).first()
            if not exists:
                quoted = parsed.database.replace('"', '""')
                connection.execute(text(f'CREATE DATABASE "{quoted}"'))
                print(f"created database {parsed.database}")
    finally:
        admin.dispose()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.orders", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("create-database", help="create the PostgreSQL database if missing")
    commands.add_parser("init", help="create missing tables")
    load = commands.add_parser("load", help="import a JSON file in the documented format")
    load.add_argument("file")
    demo = commands.add_parser("demo", help="load the demo shop's data")
    demo.add_argument("--if-empty", action="store_true",
                      help="only when the default database has no buyers yet")
    args = parser.parse_args(argv)

    url = database_url()
    if args.command == "create-database":
        create_database(url)
        return 0
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
        summary = load_document(demo_document(), sessions, replace_frozen_funds=True)
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
