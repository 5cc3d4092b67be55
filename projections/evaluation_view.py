"""Which evaluations exist, with what score and grade, under which policy?"""

from __future__ import annotations

from typing import Any

from domain.evaluation.key_evaluation import KeyEvaluation
from domain.evaluation.model import SelfEvaluation
from domain.evaluation.spot_check import SpotCheck
from projections.view import Cursor, View, equal_filters, on


class EvaluationView(View):
    name = "evaluations"
    version = 2  # 2: a self-evaluation's due day and whether it came late
    tables = ("v_evaluations",)
    schema = (
        """CREATE TABLE IF NOT EXISTS v_evaluations (
            evaluation_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            object_id TEXT NOT NULL,
            mof_div_code TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            pro_code TEXT NOT NULL,
            department_id TEXT NOT NULL,
            status TEXT NOT NULL,
            score TEXT,
            grade TEXT,
            revisions INTEGER NOT NULL,
            self_score TEXT,
            gap TEXT,
            gap_rule_met INTEGER,
            third_party_id TEXT,
            policy_id TEXT,
            policy_version INTEGER,
            version INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            position BIGINT NOT NULL,
            due TEXT,
            late INTEGER
        )""",
        "CREATE INDEX IF NOT EXISTS ix_v_evaluations_year ON v_evaluations "
        "(mof_div_code, fiscal_year, kind)",
        "CREATE INDEX IF NOT EXISTS ix_v_evaluations_object ON v_evaluations (object_id)",
    )

    # --- evaluations ---------------------------------------------------------------------

    def _insert(self, cur: Cursor, e: Any, position: int, kind: str, **columns: Any) -> None:
        row = {
            "evaluation_id": str(e.originator_id),
            "kind": kind,
            "object_id": str(e.object_id),
            "mof_div_code": e.mof_div_code,
            "fiscal_year": e.fiscal_year,
            "pro_code": e.pro_code,
            "department_id": str(e.department_id),
            "revisions": 0,
            "version": e.originator_version,
            "updated_at": e.timestamp.isoformat(),
            "position": position,
            **columns,
        }
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur.execute(f"INSERT INTO v_evaluations ({names}) VALUES ({marks})", tuple(row.values()))

    def _update(self, cur: Cursor, e: Any, position: int, revised: bool, **columns: Any) -> None:
        columns |= {
            "version": e.originator_version,
            "updated_at": e.timestamp.isoformat(),
            "position": position,
        }
        sets = ", ".join(f"{k} = ?" for k in columns)
        if revised:
            sets += ", revisions = revisions + 1"
        cur.execute(
            f"UPDATE v_evaluations SET {sets} WHERE evaluation_id = ?",
            (*columns.values(), str(e.originator_id)),
        )

    @on(SelfEvaluation.SelfEvaluationSubmitted)
    def _self(self, cur: Cursor, e: Any, position: int) -> None:
        self._insert(
            cur,
            e,
            position,
            "self",
            status="scored",
            score=str(e.scoring.total),
            grade=e.scoring.grade,
            policy_id=e.policy.policy_id,
            policy_version=e.policy.version,
            due=e.due.isoformat() if e.due else None,
            late=None if e.late is None else int(e.late),
        )

    @on(SelfEvaluation.SelfEvaluationRevised)
    def _self_revised(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(
            cur,
            e,
            position,
            True,
            score=str(e.score),
            grade=e.grade,
            policy_id=e.policy.policy_id,
            policy_version=e.policy.version,
        )

    @on(KeyEvaluation.EvaluationOpened)
    def _opened(self, cur: Cursor, e: Any, position: int) -> None:
        self._insert(cur, e, position, e.kind, status="opened")

    @on(KeyEvaluation.ThirdPartyAssigned)
    def _third_party(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(cur, e, position, False, third_party_id=str(e.organisation_id))

    @on(KeyEvaluation.EvaluationScored)
    def _scored(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(
            cur,
            e,
            position,
            False,
            status="scored",
            score=str(e.score),
            grade=e.grade,
            policy_id=e.policy.policy_id,
            policy_version=e.policy.version,
        )

    @on(KeyEvaluation.ScoreRevised)
    def _key_revised(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(cur, e, position, True, score=str(e.score), grade=e.grade)

    @on(SpotCheck.SpotCheckRecorded)
    def _spot_check(self, cur: Cursor, e: Any, position: int) -> None:
        self._insert(
            cur,
            e,
            position,
            "spot_check",
            status="scored",
            score=str(e.score),
            grade=e.grade,
            self_score=str(e.self_score),
            gap=str(e.gap),
            gap_rule_met=int(e.gap_rule_met),
            policy_id=e.policy.policy_id,
            policy_version=e.policy.version,
        )

    @on(SpotCheck.ScoreRevised)
    def _spot_revised(self, cur: Cursor, e: Any, position: int) -> None:
        self._update(
            cur,
            e,
            position,
            True,
            score=str(e.score),
            grade=e.grade,
            gap=str(e.gap),
            gap_rule_met=int(e.gap_rule_met),
        )


def list_evaluations(
    cur: Cursor, *, limit: int = 100, offset: int = 0, **filters: Any
) -> list[dict[str, Any]]:
    where, params = equal_filters(filters)
    return cur.execute(
        f"SELECT * FROM v_evaluations WHERE {where} "
        "ORDER BY fiscal_year DESC, pro_code, kind LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
