"""What went to the NPC and how it was rated; what was published where; how each
department's performance work was scored (考核) and whether its budget is to be cut."""

from __future__ import annotations

import json
from typing import Any

from domain.supervision.disclosure import Disclosure
from domain.supervision.model import NpcSubmission
from domain.supervision.work_assessment import WorkAssessment
from projections.view import Cursor, View, equal_filters, on


class SupervisionView(View):
    name = "supervision"
    tables = ("v_npc_submissions", "v_npc_ratings", "v_publications", "v_work_scores")
    schema = (
        """CREATE TABLE IF NOT EXISTS v_npc_submissions (
            submission_id TEXT PRIMARY KEY,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            department_ids TEXT NOT NULL,
            key_projects TEXT NOT NULL,
            budget_draft_ref TEXT NOT NULL,
            departments_min INTEGER NOT NULL,
            policy_id TEXT NOT NULL,
            policy_version INTEGER NOT NULL,
            submitted_by_name TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            version INTEGER NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS v_npc_ratings (
            submission_id TEXT NOT NULL,
            department_id TEXT NOT NULL,
            rater_id TEXT NOT NULL,
            rater_name TEXT NOT NULL,
            rating TEXT NOT NULL,
            comments TEXT,
            position BIGINT NOT NULL,
            PRIMARY KEY (submission_id, department_id, rater_id)
        )""",
        """CREATE TABLE IF NOT EXISTS v_publications (
            disclosure_id TEXT PRIMARY KEY,
            object_id TEXT NOT NULL,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            department_id TEXT NOT NULL,
            subject TEXT NOT NULL,
            cited_position BIGINT NOT NULL,
            cited_event TEXT NOT NULL,
            record_sha256 TEXT NOT NULL,
            channel TEXT NOT NULL,
            url TEXT,
            published_on TEXT NOT NULL,
            published_by_name TEXT NOT NULL,
            position BIGINT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS ix_v_publications_obj ON v_publications (object_id)",
        """CREATE TABLE IF NOT EXISTS v_work_scores (
            assessment_id TEXT PRIMARY KEY,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            department_id TEXT NOT NULL,
            score TEXT NOT NULL,
            budget_cut_proposed INTEGER NOT NULL,
            cut_budget_year INTEGER,
            rule TEXT,
            policy_id TEXT NOT NULL,
            policy_version INTEGER NOT NULL,
            policy_document TEXT NOT NULL,
            revisions INTEGER NOT NULL,
            scored_by_name TEXT NOT NULL,
            version INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS ix_v_work_scores ON v_work_scores (mof_div_code, fiscal_year)",
    )

    @on(NpcSubmission.Submitted)
    def _submitted(self, cur: Cursor, e: Any, position: int) -> None:
        projects = [
            {"object_id": str(p.object_id), "pro_code": p.pro_code, "name": p.name,
             "department_id": str(p.department_id), "amount": str(p.amount)}
            for p in e.key_projects
        ]  # fmt: skip
        cur.execute(
            """INSERT INTO v_npc_submissions (submission_id, mof_div_code, fiscal_year,
                department_ids, key_projects, budget_draft_ref, departments_min, policy_id,
                policy_version, submitted_by_name, submitted_at, version)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                str(e.originator_id),
                e.mof_div_code,
                e.fiscal_year,
                json.dumps([str(d) for d in e.department_ids]),
                json.dumps(projects, ensure_ascii=False),
                e.budget_draft_ref,
                e.departments_min,
                e.policy_ref.policy_id,
                e.policy_ref.version,
                e.act.actor.name,
                e.timestamp.isoformat(),
                e.originator_version,
            ),
        )

    @on(NpcSubmission.SatisfactionRated)
    def _rated(self, cur: Cursor, e: Any, position: int) -> None:
        actor = e.act.actor
        cur.execute(
            """INSERT INTO v_npc_ratings (submission_id, department_id, rater_id, rater_name,
                rating, comments, position) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (
                str(e.originator_id),
                str(e.department_id),
                actor.person_id,
                actor.name,
                e.rating,
                e.comments,
                position,
            ),
        )
        cur.execute(
            "UPDATE v_npc_submissions SET version = ? WHERE submission_id = ?",
            (e.originator_version, str(e.originator_id)),
        )

    @on(Disclosure.Published)
    def _published(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            """INSERT INTO v_publications (disclosure_id, object_id, mof_div_code, fiscal_year,
                department_id, subject, cited_position, cited_event, record_sha256, channel,
                url, published_on, published_by_name, position)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                str(e.originator_id),
                str(e.object_id),
                e.mof_div_code,
                e.fiscal_year,
                str(e.department_id),
                e.subject,
                e.cited.position,
                e.cited.event,
                e.cited.record_sha256,
                e.channel,
                e.url,
                e.act.business_date.isoformat(),
                e.act.actor.name,
                position,
            ),
        )

    @on(WorkAssessment.Scored)
    def _scored(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            """INSERT INTO v_work_scores (assessment_id, mof_div_code, fiscal_year, department_id,
                score, budget_cut_proposed, cut_budget_year, rule, policy_id, policy_version,
                policy_document, revisions, scored_by_name, version, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)""",
            (
                str(e.originator_id),
                e.mof_div_code,
                e.fiscal_year,
                str(e.department_id),
                str(e.score),
                int(e.budget_cut_proposed),
                e.cut_budget_year,
                e.rule,
                e.policy_ref.policy_id,
                e.policy_ref.version,
                e.policy_ref.document,
                e.act.actor.name,
                e.originator_version,
                e.timestamp.isoformat(),
            ),
        )

    @on(WorkAssessment.ScoreRevised)
    def _revised(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            """UPDATE v_work_scores SET score = ?, budget_cut_proposed = ?, cut_budget_year = ?,
                rule = ?, policy_id = ?, policy_version = ?, policy_document = ?,
                revisions = revisions + 1, scored_by_name = ?, version = ?, updated_at = ?
               WHERE assessment_id = ?""",
            (
                str(e.score),
                int(e.budget_cut_proposed),
                e.cut_budget_year,
                e.rule,
                e.policy_ref.policy_id,
                e.policy_ref.version,
                e.policy_ref.document,
                e.act.actor.name,
                e.originator_version,
                e.timestamp.isoformat(),
                str(e.originator_id),
            ),
        )


def npc_submission(cur: Cursor, submission_id: str) -> dict[str, Any] | None:
    row = cur.execute(
        "SELECT * FROM v_npc_submissions WHERE submission_id = ?", (submission_id,)
    ).fetchone()
    if row is None:
        return None
    row["department_ids"] = json.loads(row["department_ids"])
    row["key_projects"] = json.loads(row["key_projects"])
    row["ratings"] = cur.execute(
        "SELECT department_id, rater_id, rater_name, rating, comments FROM v_npc_ratings "
        "WHERE submission_id = ? ORDER BY position",
        (submission_id,),
    ).fetchall()
    return row


def publications(
    cur: Cursor, *, object_id: str | None = None, mof_div_code: str | None = None
) -> list[dict[str, Any]]:
    filters = {"object_id": object_id, "mof_div_code": mof_div_code}
    where, params = equal_filters(filters)
    return cur.execute(
        f"SELECT * FROM v_publications WHERE {where} ORDER BY position", params
    ).fetchall()


def work_scores(
    cur: Cursor, mof_div_code: str, fiscal_year: int, *, budget_cut_only: bool = False
) -> list[dict[str, Any]]:
    cut = " AND budget_cut_proposed = 1" if budget_cut_only else ""
    rows = cur.execute(
        f"SELECT * FROM v_work_scores WHERE mof_div_code = ? AND fiscal_year = ?{cut} "
        "ORDER BY department_id",
        (mof_div_code, fiscal_year),
    ).fetchall()
    for r in rows:
        r["budget_cut_proposed"] = bool(r["budget_cut_proposed"])
    return rows
