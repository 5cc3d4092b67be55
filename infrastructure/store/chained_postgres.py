"""The ledger's PostgreSQL store: under the library's table lock (which keeps the log
gap-free for readers), one transaction inserts the events of several commands, their chain
links and a signed tree head."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import psycopg
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from psycopg.sql import SQL, Identifier

from infrastructure.integrity.chain_writer import Tip
from infrastructure.store.chained import ChainedWrites, Finish
from infrastructure.store.unavailable import CommitOutcomeUnknown
from infrastructure.viewdb import ViewCursor


class ChainedPostgresRecorder(ChainedWrites, PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self._start_chaining()
        self._search_path = SQL("SET LOCAL search_path TO {0}").format(Identifier(datastore.schema))

    def _write_chained(
        self, writes: Sequence[list[StoredEvent]], finish: Finish
    ) -> tuple[list[list[int]], Tip]:
        rows = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for events in writes
            for e in events
        ]
        with self.datastore.get_connection() as conn:
            cur = conn.cursor()
            cur.execute("BEGIN")
            try:
                for statement in self.lock_table_statements:
                    cur.execute(statement, prepare=True)
                self._notify_channel(cur)  # as the library does, for its subscribers
                cur.execute(self.insert_events_statement, (rows,), prepare=True)
                flat = iter([row["notification_id"] for row in cur.fetchall()])
                ids = [[next(flat) for _ in events] for events in writes]
                cur.execute(self._search_path)
                tip = finish(ViewCursor(cur, "postgres"), ids)
            except BaseException:
                with contextlib.suppress(psycopg.Error):
                    cur.execute("ROLLBACK")
                raise
            try:
                cur.execute("COMMIT")
            except psycopg.Error as e:  # sent, and no answer: it may have committed
                raise CommitOutcomeUnknown(f"COMMIT failed: {e}", retry_after=2) from e
        return ids, tip


class LedgerPostgresFactory(PostgresFactory):
    application_recorder_class = ChainedPostgresRecorder
