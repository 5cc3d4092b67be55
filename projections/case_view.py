"""Which cases were referred to this discipline commission, with what evidence and persons?
And which cases name this person?"""

from __future__ import annotations

import json
from typing import Any

from domain.accountability.model import AccountabilityCase, CaseStatus
from domain.accountability.values import NOT_REFERRED
from projections.findings_queries import hydrate
from projections.view import Cursor, View, equal_filters, on

C = AccountabilityCase


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


class CaseView(View):
    name = "cases"
    tables = ("v_cases", "v_case_evidence", "v_case_documents", "v_case_persons")
    schema = (
        """CREATE TABLE IF NOT EXISTS v_cases (
            case_id TEXT PRIMARY KEY,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            case_no TEXT NOT NULL,
            finding_kind TEXT NOT NULL,
            description TEXT NOT NULL,
            object_ids TEXT NOT NULL,
            status TEXT NOT NULL,
            opened_by_id TEXT NOT NULL,
            opened_by_name TEXT NOT NULL,
            opened_by_role TEXT NOT NULL,
            opened_at TEXT NOT NULL,
            referred_to_id TEXT,
            referred_to_name TEXT,
            referred_by_id TEXT,
            referred_by_name TEXT,
            referred_at TEXT,
            referral_date TEXT,
            referral_ref TEXT,
            received_by_name TEXT,
            received_at TEXT,
            outcome TEXT,
            outcome_reason TEXT,
            decided_by_name TEXT,
            decided_at TEXT,
            version INTEGER NOT NULL,
            position BIGINT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS ix_v_cases_referred ON v_cases (referred_to_id)",
        """CREATE TABLE IF NOT EXISTS v_case_evidence (
            case_id TEXT NOT NULL,
            cited_position BIGINT NOT NULL,
            originator_id TEXT NOT NULL,
            originator_version INTEGER NOT NULL,
            event TEXT NOT NULL,
            event_recorded_at TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            actor_name TEXT NOT NULL,
            actor_role TEXT NOT NULL,
            object_id TEXT,
            record_sha256 TEXT NOT NULL,
            note TEXT NOT NULL,
            cited_by_name TEXT NOT NULL,
            position BIGINT NOT NULL,
            PRIMARY KEY (case_id, cited_position)
        )""",
        """CREATE TABLE IF NOT EXISTS v_case_documents (
            case_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            position BIGINT NOT NULL,
            PRIMARY KEY (case_id, sha256)
        )""",
        """CREATE TABLE IF NOT EXISTS v_case_persons (
            case_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            name TEXT NOT NULL,
            acts TEXT NOT NULL,
            description TEXT NOT NULL,
            lifelong_responsibility INTEGER NOT NULL,
            policy_id TEXT NOT NULL,
            policy_version INTEGER NOT NULL,
            named_by_name TEXT NOT NULL,
            position BIGINT NOT NULL,
            PRIMARY KEY (case_id, person_id)
        )""",
        "CREATE INDEX IF NOT EXISTS ix_v_case_persons ON v_case_persons (person_id)",
    )

    def _update(self, cur: Cursor, e: Any, position: int, **columns: Any) -> None:
        columns |= {"version": e.originator_version, "position": position}
        assignments = ", ".join(f"{name} = ?" for name in columns)
        cur.execute(
            f"UPDATE v_cases SET {assignments} WHERE case_id = ?",
            (*columns.values(), str(e.originator_id)),
        )

    @on(C.Opened)
    def _opened(self, cur: Cursor, e: Any, position: int) -> None:
        actor = e.act.actor
        cur.execute(
            """INSERT INTO v_cases (case_id, mof_div_code, fiscal_year, case_no, finding_kind,
                description, object_ids, status, opened_by_id, opened_by_name, opened_by_role,
                opened_at, version, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                str(e.originator_id),
                e.mof_div_code,
                e.fiscal_year,
                e.case_no,
                e.finding_kind,
                e.description,
                json.dumps([str(o) for o in e.object_ids]),
                CaseStatus.OPEN.value,
                actor.person_id,
                actor.name,
                actor.role,
                e.timestamp.isoformat(),
                e.originator_version,
                position,
            ),
        )

    @on(C.EventCited)
    def _cited(self, cur: Cursor, e: Any, position: int) -> None:
        c = e.cited
        cur.execute(
            """INSERT INTO v_case_evidence (case_id, cited_position, originator_id,
                originator_version, event, event_recorded_at, actor_id, actor_name, actor_role,
                object_id, record_sha256, note, cited_by_name, position)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                str(e.originator_id),
                c.position,
                str(c.originator_id),
                c.version,
                c.event,
                c.recorded_at.isoformat(),
                c.actor.person_id,
                c.actor.name,
                c.actor.role,
                str(c.object_id) if c.object_id else None,
                c.record_sha256,
                e.note,
                e.act.actor.name,
                position,
            ),
        )
        self._update(cur, e, position)

    @on(C.DocumentsAttached)
    def _documents(self, cur: Cursor, e: Any, position: int) -> None:
        for doc in e.documents:
            cur.execute(
                "INSERT INTO v_case_documents (case_id, sha256, name, description, position) "
                "VALUES (?, ?, ?, ?, ?)",
                (str(e.originator_id), doc.sha256, doc.name, e.description, position),
            )
        self._update(cur, e, position)

    @on(C.ResponsiblePersonNamed)
    def _named(self, cur: Cursor, e: Any, position: int) -> None:
        p = e.person
        acts = [
            {"position": a.position, "event": a.event, "role": a.role,
             "organisation_id": a.organisation_id, "organisation_name": a.organisation_name}
            for a in p.acts
        ]  # fmt: skip
        cur.execute(
            """INSERT INTO v_case_persons (case_id, person_id, name, acts, description,
                lifelong_responsibility, policy_id, policy_version, named_by_name, position)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                str(e.originator_id),
                p.person_id,
                p.name,
                json.dumps(acts, ensure_ascii=False),
                p.description,
                int(e.lifelong),
                e.policy_ref.policy_id,
                e.policy_ref.version,
                e.act.actor.name,
                position,
            ),
        )
        self._update(cur, e, position)

    @on(C.Referred)
    def _referred(self, cur: Cursor, e: Any, position: int) -> None:
        actor = e.act.actor
        self._update(
            cur,
            e,
            position,
            status=CaseStatus.REFERRED.value,
            referred_to_id=str(e.organisation_id),
            referred_to_name=e.organisation_name,
            referred_by_id=actor.person_id,
            referred_by_name=actor.name,
            referred_at=e.timestamp.isoformat(),
            referral_date=_date(e.act.business_date),
            referral_ref=e.referral_ref,
        )

    @on(C.ReferralReceived)
    def _received(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(
            cur,
            e,
            position,
            status=CaseStatus.RECEIVED.value,
            received_by_name=e.act.actor.name,
            received_at=e.timestamp.isoformat(),
        )

    @on(C.OutcomeDecided)
    def _decided(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(
            cur,
            e,
            position,
            status=CaseStatus.CLOSED.value,
            outcome=e.outcome,
            outcome_reason=e.act.reason,
            decided_by_name=e.act.actor.name,
            decided_at=e.timestamp.isoformat(),
        )

    @on(C.ClosedWithoutReferral)
    def _closed_without_referral(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(
            cur,
            e,
            position,
            status=CaseStatus.CLOSED.value,
            outcome=NOT_REFERRED,
            outcome_reason=e.act.reason,
            decided_by_name=e.act.actor.name,
            decided_at=e.timestamp.isoformat(),
        )


def _case_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "object_ids": json.loads(row["object_ids"])}


def list_cases(
    cur: Cursor,
    *,
    referred_to: str | None = None,
    mof_div_code: str | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    filters = {"referred_to_id": referred_to, "mof_div_code": mof_div_code, "status": status}
    where, params = equal_filters(filters)
    rows = cur.execute(
        f"SELECT * FROM v_cases WHERE {where} ORDER BY position DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return [_case_row(r) for r in rows]


def case_package(cur: Cursor, case_id: str) -> dict[str, Any] | None:
    """The referral package: the facts, the cited events, the documents, the persons."""
    row = cur.execute("SELECT * FROM v_cases WHERE case_id = ?", (case_id,)).fetchone()
    if row is None:
        return None
    evidence = cur.execute(
        "SELECT * FROM v_case_evidence WHERE case_id = ? ORDER BY cited_position", (case_id,)
    ).fetchall()
    documents = cur.execute(
        "SELECT * FROM v_case_documents WHERE case_id = ? ORDER BY position, sha256", (case_id,)
    ).fetchall()
    persons = cur.execute(
        "SELECT * FROM v_case_persons WHERE case_id = ? ORDER BY position", (case_id,)
    ).fetchall()
    for p in persons:
        p["acts"] = json.loads(p["acts"])
        p["lifelong_responsibility"] = bool(p["lifelong_responsibility"])
    cited = cur.execute(
        "SELECT f.* FROM v_finding_citations c JOIN v_findings f ON f.finding_id = c.finding_id "
        "WHERE c.case_id = ? ORDER BY f.found_at_position, f.finding_id",
        (case_id,),
    ).fetchall()
    return {
        **_case_row(row),
        "evidence": evidence,
        "documents": documents,
        "persons": persons,
        "findings": hydrate(cur, cited),
    }


def cases_naming(cur: Cursor, person_id: str) -> list[dict[str, Any]]:
    """The person ledger: every case naming this person, with their acts and the outcome."""
    rows = cur.execute(
        """SELECT c.case_id, c.mof_div_code, c.fiscal_year, c.case_no, c.finding_kind,
                  c.status, c.referred_to_name, c.outcome, p.acts, p.description,
                  p.lifelong_responsibility, p.policy_id, p.policy_version
           FROM v_case_persons p JOIN v_cases c ON c.case_id = p.case_id
           WHERE p.person_id = ? ORDER BY p.position""",
        (person_id,),
    ).fetchall()
    for r in rows:
        r["acts"] = json.loads(r["acts"])
        r["lifelong_responsibility"] = bool(r["lifelong_responsibility"])
    return rows
