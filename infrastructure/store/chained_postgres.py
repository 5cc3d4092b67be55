"""The ledger's PostgreSQL store: under the library's table lock (which keeps the log
gap-free for readers), one transaction inserts the events of several commands, their chain
links and a signed tree head."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from psycopg.sql import SQL, Identifier

from infrastructure.integrity.chain_writer import ChainWriter
from infrastructure.store.group_commit import GroupCommit
from infrastructure.store.records import records_of
from infrastructure.viewdb import ViewCursor


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain: ChainWriter | None = None  # set by bootstrap(); no chain, no write
        self.group: GroupCommit[list[StoredEvent], list[int]] = GroupCommit(self._commit)
        self._search_path = SQL("SET LOCAL search_path TO {0}").format(Identifier(datastore.schema))

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> list[int]:
        if kwargs.get("tracking") is not None:
            raise ProgrammingError("the ledger's recorder takes no tracking records")
        if not stored_events:
            return []
        return self.group.submit(list(stored_events))

    def _commit(self, writes: Sequence[list[StoredEvent]]) -> list[list[int]]:
        chain = self.chain
        if chain is None:
            raise ProgrammingError(
                "no chain writer: the ledger records only as bootstrap() built it"
            )
        rows = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for events in writes
            for e in events
        ]
        try:
            with self.datastore.get_connection() as conn, conn.transaction():
                cur = conn.cursor()
                for statement in self.lock_table_statements:
                    cur.execute(statement, prepare=True)
                self._notify_channel(cur)  # as the library does, for its subscribers
                cur.execute(self.insert_events_statement, (rows,), prepare=True)
                flat = [row["notification_id"] for row in cur.fetchall()]
                ids, start = [], 0
                for events in writes:
                    ids.append(flat[start : start + len(events)])
                    start += len(events)
                cur.execute(self._search_path)
                tip, _ = chain.extend(ViewCursor(cur, "postgres"), records_of(writes, ids))
        except BaseException:
            chain.forget()
            raise
        chain.committed(tip)
        return ids


class LedgerPostgresFactory(PostgresFactory):
    application_recorder_class = ChainedPostgresRecorder
