"""The log as an index: one row per event (who signed it, when, claiming which date, on what),
and the ledgers it belongs to (its actor's, its department's, its jurisdiction-year's), so
ledgers and searches page by log position without reading the log.

Most events carry their coordinates only when their aggregate is created (an object's
registration names its jurisdiction, year, department and unit; a later review names none),
so the view remembers each aggregate's coordinates and each organisation's department and
jurisdiction, and fills an event's gaps from them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from domain.accountability.model import AccountabilityCase
from domain.errors import InvalidInput
from domain.objects.model import PerformanceObject
from domain.registry.model import Organisation
from projections.page_totals import DEFAULT_CAP, Total, capped_count
from projections.view import Cursor, View

COORDINATES = ("mof_div_code", "fiscal_year", "object_id", "department_id", "unit_id", "case_id")
DEPARTMENT, PERSON, YEAR = "department", "person", "jurisdiction_year"

COLUMNS = (
    "position, originator_id, originator_version, event_type, topic, recorded_at, "
    "business_date, actor_id, actor_name, actor_role, actor_org_id, actor_org_name, "
    "mof_div_code, fiscal_year, object_id, department_id, unit_id, case_id"
)


def recorded_text(moment: datetime) -> str:
    """Fixed-width UTC text, so that comparing the text compares the instants."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def year_key(mof_div_code: str, fiscal_year: int) -> str:
    return f"{mof_div_code}/{fiscal_year}"


class LogIndex(View):
    name = "log_index"
    tables = ("v_log_index", "v_log_ledgers", "v_log_coordinates")
    schema = (
        """CREATE TABLE IF NOT EXISTS v_log_index (
            position BIGINT PRIMARY KEY,
            originator_id TEXT NOT NULL,
            originator_version INTEGER NOT NULL,
            event_type TEXT NOT NULL,
            topic TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            business_date TEXT,
            actor_id TEXT NOT NULL,
            actor_name TEXT NOT NULL,
            actor_role TEXT NOT NULL,
            actor_org_id TEXT,
            actor_org_name TEXT,
            mof_div_code TEXT,
            fiscal_year INTEGER,
            object_id TEXT,
            department_id TEXT,
            unit_id TEXT,
            case_id TEXT
        )""",
        # Each search filter leads an index that ends in the position, so a filtered page
        # is a range scan from the keyset, whatever the size of the log.
        "CREATE INDEX IF NOT EXISTS ix_log_actor ON v_log_index (actor_id, position)",
        "CREATE INDEX IF NOT EXISTS ix_log_org ON v_log_index (actor_org_id, position)",
        "CREATE INDEX IF NOT EXISTS ix_log_role ON v_log_index (actor_role, position)",
        "CREATE INDEX IF NOT EXISTS ix_log_type ON v_log_index (event_type, position)",
        "CREATE INDEX IF NOT EXISTS ix_log_object ON v_log_index (object_id, position)",
        "CREATE INDEX IF NOT EXISTS ix_log_case ON v_log_index (case_id, position)",
        "CREATE INDEX IF NOT EXISTS ix_log_jurisdiction ON v_log_index (mof_div_code, position)",
        "CREATE INDEX IF NOT EXISTS ix_log_year "
        "ON v_log_index (mof_div_code, fiscal_year, position)",
        "CREATE INDEX IF NOT EXISTS ix_log_recorded ON v_log_index (recorded_at)",
        # A business-date search pages in business-date order (a date range cannot also be
        # read in log order without sorting all of it); the index replaces one without the
        # position, which logs before 2026-12 created.
        "DROP INDEX IF EXISTS ix_log_business",
        "CREATE INDEX IF NOT EXISTS ix_log_business_position "
        "ON v_log_index (business_date, position)",
        """CREATE TABLE IF NOT EXISTS v_log_ledgers (
            ledger TEXT NOT NULL,
            ledger_key TEXT NOT NULL,
            position BIGINT NOT NULL,
            PRIMARY KEY (ledger, ledger_key, position)
        )""",
        "CREATE INDEX IF NOT EXISTS ix_log_ledgers_position ON v_log_ledgers (position)",
        """CREATE TABLE IF NOT EXISTS v_log_coordinates (
            aggregate_id TEXT PRIMARY KEY,
            mof_div_code TEXT,
            fiscal_year INTEGER,
            object_id TEXT,
            department_id TEXT,
            unit_id TEXT,
            case_id TEXT
        )""",
    )

    def wants(self, topic: str) -> bool:
        return True  # every event is in the log, so every event is indexed

    def handle(self, cur: Cursor, e: Any, position: int) -> None:
        raise TypeError("the log index keeps each record's stored topic: handle_record")

    def handle_record(self, cur: Cursor, e: Any, record: Any) -> None:
        position, topic = record.id, record.topic  # the topic as stored, old or new
        aggregate_id = str(e.originator_id)
        known = _coordinates(cur, aggregate_id)
        found = {k: _s(getattr(e, k, None)) for k in COORDINATES}
        year = getattr(e, "fiscal_year", None)
        found["fiscal_year"] = year if isinstance(year, int) else None
        if isinstance(e, PerformanceObject.Event):
            found["object_id"] = aggregate_id
        elif isinstance(e, AccountabilityCase.Event):
            found["case_id"] = aggregate_id
        elif isinstance(e, Organisation.Registered):
            found |= _organisation_coordinates(e)
        merged = {k: found[k] if found[k] is not None else known.get(k) for k in COORDINATES}
        for k in ("mof_div_code", "fiscal_year", "department_id", "unit_id"):
            if merged[k] is None and merged["object_id"] and merged["object_id"] != aggregate_id:
                merged[k] = _coordinates(cur, merged["object_id"]).get(k)
        actor = e.act.actor
        actor_org = _coordinates(cur, actor.organisation_id) if actor.organisation_id else {}
        if merged["mof_div_code"] is None:
            merged["mof_div_code"] = actor_org.get("mof_div_code")  # registry acts
        if merged["department_id"] is None and merged["unit_id"]:
            merged["department_id"] = _coordinates(cur, merged["unit_id"]).get("department_id")
        _remember(cur, aggregate_id, merged)
        business = e.act.business_date
        fiscal_year = merged["fiscal_year"]
        cur.execute(
            f"INSERT INTO v_log_index ({COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                position,
                aggregate_id,
                e.originator_version,
                type(e).__qualname__,
                topic,
                recorded_text(e.timestamp),
                business.isoformat() if business else None,
                actor.person_id,
                actor.name,
                actor.role,
                actor.organisation_id,
                actor.organisation_name,
                merged["mof_div_code"],
                fiscal_year,
                merged["object_id"],
                merged["department_id"],
                merged["unit_id"],
                merged["case_id"],
            ),
        )
        ledgers = {(PERSON, actor.person_id)}
        # A department's ledger: acts on its (and its units') records, and its own people's.
        for department in (merged["department_id"], actor_org.get("department_id")):
            if department:
                ledgers.add((DEPARTMENT, department))
        if merged["mof_div_code"] and fiscal_year is not None:
            ledgers.add((YEAR, year_key(merged["mof_div_code"], fiscal_year)))
        for ledger, key in sorted(ledgers):
            cur.execute(
                "INSERT INTO v_log_ledgers (ledger, ledger_key, position) VALUES (?, ?, ?)",
                (ledger, key, position),
            )


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _organisation_coordinates(e: Any) -> dict[str, str | None]:
    """An organisation's own coordinates: a department is its own department, a unit is
    its own unit under its parent department."""
    org_id = str(e.originator_id)
    if e.kind == "department":
        return {"department_id": org_id}
    if e.kind == "unit":
        return {"unit_id": org_id, "department_id": _s(e.parent_id)}
    return {}


def _coordinates(cur: Cursor, aggregate_id: str) -> dict[str, Any]:
    row = cur.execute(
        "SELECT * FROM v_log_coordinates WHERE aggregate_id = ?", (aggregate_id,)
    ).fetchone()
    return row or {}


def _remember(cur: Cursor, aggregate_id: str, merged: dict[str, Any]) -> None:
    values = tuple(merged[k] for k in COORDINATES)
    updates = ", ".join(f"{k} = excluded.{k}" for k in COORDINATES)
    cur.execute(
        f"INSERT INTO v_log_coordinates (aggregate_id, {', '.join(COORDINATES)}) "
        f"VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (aggregate_id) DO UPDATE SET {updates}",
        (aggregate_id, *values),
    )


# --- queries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Narrowing:
    """What of the log a reader may see: rows of one jurisdiction, and of these departments'
    ledgers; None means no bound of that kind (a person's own ledger)."""

    mof_div_code: str | None = None
    departments: tuple[str, ...] | None = None
    cases: bool = True  # accountability cases' acts (a department never sees its own case)


EVERYTHING = Narrowing()


@dataclass(frozen=True)
class Search:
    actor_id: str | None = None
    actor_org_id: str | None = None
    actor_role: str | None = None
    event_type: str | None = None
    object_id: str | None = None
    mof_div_code: str | None = None
    fiscal_year: int | None = None
    recorded_from: datetime | None = None  # inclusive
    recorded_to: datetime | None = None  # exclusive
    business_from: date | None = None  # inclusive
    business_to: date | None = None  # inclusive


# Search filters with an index of their own that ends in the position.
_LEADING = (
    "actor_id",
    "actor_org_id",
    "actor_role",
    "event_type",
    "object_id",
    "recorded_from",
    "recorded_to",
    "business_from",
    "business_to",
)


def _where(
    search: Search, narrowing: Narrowing, led_by_filter: bool = False
) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column in (
        "actor_id",
        "actor_org_id",
        "actor_role",
        "event_type",
        "object_id",
        "mof_div_code",
        "fiscal_year",
    ):
        value = getattr(search, column)
        if value is not None:
            clauses.append(f"i.{column} = ?")
            params.append(value)
    bounds = (
        ("i.recorded_at >= ?", search.recorded_from and recorded_text(search.recorded_from)),
        ("i.recorded_at < ?", search.recorded_to and recorded_text(search.recorded_to)),
        ("i.business_date >= ?", search.business_from and search.business_from.isoformat()),
        ("i.business_date <= ?", search.business_to and search.business_to.isoformat()),
    )
    for clause, value in bounds:
        if value:
            clauses.append(clause)
            params.append(value)
    if narrowing.mof_div_code is not None:
        # Where a filter or a ledger leads, the reader's jurisdiction is checked on its rows,
        # not walked: it is most often every row of the log, and SQLite, with no statistics
        # to tell it so, would take the jurisdiction's index over the filter's (`|| ''`
        # keeps it from doing so; a page of the whole jurisdiction still walks its index).
        led = led_by_filter or any(getattr(search, f) is not None for f in _LEADING)
        clauses.append("i.mof_div_code || '' = ?" if led else "i.mof_div_code = ?")
        params.append(narrowing.mof_div_code)
    if not narrowing.cases:
        clauses.append("i.case_id IS NULL")
    if narrowing.departments is not None:
        if not narrowing.departments:
            clauses.append("1 = 0")
        else:
            marks = ", ".join("?" for _ in narrowing.departments)
            clauses.append(
                "EXISTS (SELECT 1 FROM v_log_ledgers d WHERE d.ledger = ? AND d.position = "
                f"i.position AND d.ledger_key IN ({marks}))"
            )
            params += [DEPARTMENT, *narrowing.departments]
    return clauses, params


def log_page(
    cur: Cursor,
    search: Search,
    narrowing: Narrowing,
    *,
    ledger: tuple[str, str] | None = None,
    after: int = 0,
    limit: int = 100,
    cap: int = DEFAULT_CAP,
) -> tuple[list[dict[str, Any]], Total]:
    """Entries after the position `after`, at most `limit`, and how many match on all pages
    (counted up to `cap`). Pages are in log order (oldest first); a search with a
    business-date range pages in business-date order, then log order, `after` still the
    last position seen (its business date is looked up)."""
    keys: tuple[str, ...] = ()
    if ledger is not None:
        kind, keys = ledger[0], (ledger[1],)
    elif narrowing.departments is not None:
        # Some departments' rows: walk their ledgers rather than test every row of the log.
        kind, keys = DEPARTMENT, narrowing.departments or ("",)
        narrowing = replace(narrowing, departments=None)
    source, keyed, lead, lead_params = "v_log_index i", "i.position", [], []
    if keys:
        if len(keys) == 1:
            ledgers = "v_log_ledgers"
            lead = ["l.ledger = ?", "l.ledger_key = ?"]
        else:  # an event may be in two of them (one department acting on another's)
            marks = ", ".join("?" for _ in keys)
            ledgers = (
                "(SELECT DISTINCT ledger, position FROM v_log_ledgers WHERE ledger = ? "
                f"AND ledger_key IN ({marks}))"
            )
        source = f"{ledgers} l JOIN v_log_index i ON i.position = l.position"
        lead_params = [kind, *keys]  # the first clauses' or the subquery's
        keyed = "l.position"

    def matching(search: Search, seek: bool = False) -> tuple[str, list[Any]]:
        clauses, params = _where(search, narrowing, led_by_filter=bool(keys) or seek)
        return " AND ".join([*lead, *clauses]) or "1 = 1", [*lead_params, *params]

    where, params = matching(search)
    total = capped_count(cur, f"{source} WHERE {where}", params, cap)
    if search.business_from is None and search.business_to is None:
        where, params = f"{where} AND {keyed} > ?", [*params, after]
        order = keyed
    else:
        order = "i.business_date, i.position"
        if after:
            # Seek to the keyset: the entry must be one this search returned (within the
            # reader's reach), and the range's lower bound goes, as the keyset is past it
            # (with it SQLite scans the range from its start on every deeper page).
            found = cur.execute(
                f"SELECT i.business_date FROM {source} WHERE {where} AND {keyed} = ?",
                (*params, after),
            ).fetchone()
            if found is None:
                raise InvalidInput(
                    f"after: position {after} is not an entry of this search; pass the "
                    "next_after of the page before",
                    "after",
                )
            where, params = matching(replace(search, business_from=None), seek=True)
            # Row values, so both stores walk (business_date, position) from the keyset.
            where += " AND (i.business_date, i.position) > (?, ?)"
            params = [*params, found["business_date"], after]
    rows = cur.execute(
        f"SELECT {', '.join('i.' + c for c in COLUMNS.split(', '))} FROM {source} "
        f"WHERE {where} ORDER BY {order} LIMIT ?",
        (*params, limit),
    ).fetchall()
    return rows, total
