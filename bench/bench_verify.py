"""How fast is `jixiao verify`, relative to just reading the log and hashing each row?

Prints ratios against a baseline measured in the same run (never absolute timings as
pass/fail): verify (log + recorded chain + signed heads, compared) vs reading the same
notifications and hashing their canonical bytes. Also prints verify's peak Python memory
at the log's size and at twice that size: it streams, so the peak should not double.

    .venv/bin/python -m bench.bench_verify [--events 20000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from collections.abc import Callable

from eventsourcing.domain import Aggregate, event

from infrastructure.bootstrap import bootstrap
from infrastructure.integrity.merkle import leaf_hash
from infrastructure.integrity.verify import iter_records
from infrastructure.logging import configure_logging
from infrastructure.settings import Settings

KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="


class Counter(Aggregate):
    """A stand-in aggregate: the bench measures the log, not the domain."""

    @event("Noted")
    def note(self, text: str) -> None:
        self.text = text


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def peak_memory(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def append(ledger: object, count: int) -> None:
    for _ in range(count // 100):
        counter = Counter()
        for i in range(99):
            counter.note(f"第{i}条记录 — entry {i} " + "x" * 200)
        ledger.save(counter)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    configure_logging("console", "WARNING")
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    settings = Settings(database_url=url, token_signing_key="b" * 32, integrity_signing_key=KEY)
    services = bootstrap(settings, views=[])
    try:
        integrity = services.integrity  # the recorder chains and signs as it writes
        writing = timed(lambda: append(services.ledger, args.events))
        size = services.follower.head()

        def read_and_hash() -> None:
            for record in iter_records(services.ledger.recorder):
                leaf_hash(record.leaf_data())

        baseline = min(timed(read_and_hash) for _ in range(3))
        reports = [integrity.verify() for _ in range(3)]
        assert all(r.ok for r in reports), reports[0].finding
        verify = min(r.seconds for r in reports)
        peak_small = peak_memory(lambda: integrity.verify())
        append(services.ledger, args.events)
        peak_large = peak_memory(lambda: integrity.verify())

        print(f"store: {services.settings.store.describe()}")
        print(f"log entries: {size}; a signed head per commit")
        print(f"writing (events + chain + head): {size / writing:,.0f} entries/s")
        print(f"verify: {size / verify:,.0f} entries/s; read+hash: {size / baseline:,.0f}/s")
        print(f"verify / read+hash of the log: {verify / baseline:.2f}x")
        print(
            f"verify peak memory: {peak_small / 1e6:.1f} MB at {size} entries, "
            f"{peak_large / 1e6:.1f} MB at {services.follower.head()} "
            f"({peak_large / peak_small:.2f}x)"
        )
    finally:
        services.close()


if __name__ == "__main__":
    main()
