"""How much does keeping the views cost, relative to just reading the log?

Prints ratios against baselines measured in the same run (never absolute timings as
pass/fail): rebuilding every view vs reading and decoding the same notifications, and
recording a goal command vs recording an equal number of bare events.

    .venv/bin/python -m bench.bench_views [--objects 300] [--database-url URL]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable

from infrastructure.bootstrap import bootstrap
from infrastructure.logging import configure_logging
from infrastructure.settings import Settings
from tests.fixtures_world import build_world
from tests.scenarios.helpers import drive_goals


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    configure_logging("console", "WARNING")
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    services = bootstrap(Settings(database_url=url, token_signing_key="b" * 32))
    try:
        world = build_world(services)
        write = timed(lambda: drive_goals(services, world, args.objects))
        ledger = services.ledger
        head = services.follower.head()

        def read_and_decode() -> None:
            position = 0
            while batch := ledger.recorder.select_notifications(
                start=position, limit=500, inclusive_of_start=False
            ):
                for n in batch:
                    ledger.mapper.to_domain_event(n)
                position = batch[-1].id

        baseline = min(timed(read_and_decode) for _ in range(3))
        rebuild = min(timed(services.follower.rebuild) for _ in range(3))
        print(f"store: {services.settings.store.describe()}")
        print(f"log entries: {head}; objects: {args.objects}")
        print(f"write: {head / write:,.0f} events/s through the ledger's commands")
        print(
            f"rebuild of {len(services.views)} views / read+decode of the log: "
            f"{rebuild / baseline:.2f}x"
        )
    finally:
        services.close()


if __name__ == "__main__":
    main()
