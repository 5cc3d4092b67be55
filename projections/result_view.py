"""Which projects' funding is blocked until rectified, and which results were applied —
as the policy proposed, or otherwise and why?"""

from __future__ import annotations

from typing import Any

from domain.results.funding_block import FundingBlock
from domain.results.model import ResultApplication
from projections.view import Cursor, View, equal_filters, on


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


class ResultView(View):
    name = "results"
    version = 2  # 2: results corrected (corrected_by, corrected_at)
    tables = ("v_funding_blocks", "v_result_applications")
    schema = (
        """CREATE TABLE IF NOT EXISTS v_funding_blocks (
            block_id TEXT PRIMARY KEY,
            mof_div_code TEXT NOT NULL,
            pro_code TEXT NOT NULL,
            object_id TEXT NOT NULL,
            department_id TEXT NOT NULL,
            evaluated_year INTEGER NOT NULL,
            active INTEGER NOT NULL,
            gap TEXT,
            measure TEXT,
            reason TEXT NOT NULL,
            policy_id TEXT NOT NULL,
            policy_version INTEGER NOT NULL,
            lifted_by_notice TEXT,
            version INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            position BIGINT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS v_result_applications (
            result_id TEXT PRIMARY KEY,
            evaluation_id TEXT NOT NULL,
            evaluation_kind TEXT NOT NULL,
            object_id TEXT NOT NULL,
            department_id TEXT NOT NULL,
            grade TEXT NOT NULL,
            proposed_measure TEXT NOT NULL,
            measure TEXT NOT NULL,
            follows_proposal INTEGER NOT NULL,
            percentage TEXT,
            amount TEXT,
            reason TEXT,
            applied_by TEXT NOT NULL,
            policy_id TEXT NOT NULL,
            policy_version INTEGER NOT NULL,
            applied_at TEXT NOT NULL,
            position BIGINT NOT NULL,
            corrected_by TEXT,
            corrected_at TEXT
        )""",
    )

    # --- funding blocks ------------------------------------------------------------------

    @on(FundingBlock.FundingBlocked)
    def _blocked(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            """INSERT INTO v_funding_blocks (block_id, mof_div_code, pro_code, object_id,
                department_id, evaluated_year, active, gap, measure, reason, policy_id,
                policy_version, lifted_by_notice, version, updated_at, position)
               VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, NULL, ?, ?, ?)""",
            (
                str(e.originator_id),
                e.mof_div_code,
                e.pro_code,
                str(e.object_id),
                str(e.department_id),
                e.evaluated_year,
                str(e.gap),
                e.measure,
                e.reason,
                e.policy.policy_id,
                e.policy.version,
                e.originator_version,
                e.timestamp.isoformat(),
                position,
            ),
        )

    @on(FundingBlock.FundingBlockedAgain)
    def _blocked_again(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            """UPDATE v_funding_blocks SET object_id = ?, department_id = ?, evaluated_year = ?,
                active = 1, gap = ?, measure = ?, reason = ?, policy_id = ?, policy_version = ?,
                lifted_by_notice = NULL, version = ?, updated_at = ?, position = ?
               WHERE block_id = ?""",
            (
                str(e.object_id),
                str(e.department_id),
                e.evaluated_year,
                str(e.gap),
                e.measure,
                e.reason,
                e.policy.policy_id,
                e.policy.version,
                e.originator_version,
                e.timestamp.isoformat(),
                position,
                str(e.originator_id),
            ),
        )

    @on(FundingBlock.FundingBlockLifted)
    def _lifted(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            "UPDATE v_funding_blocks SET active = 0, lifted_by_notice = ?, version = ?, "
            "updated_at = ?, position = ? WHERE block_id = ?",
            (
                str(e.notice_id),
                e.originator_version,
                e.timestamp.isoformat(),
                position,
                str(e.originator_id),
            ),
        )

    # --- results -------------------------------------------------------------------------

    @on(ResultApplication.ResultApplied)
    def _applied(self, cur: Cursor, e: Any, position: int) -> None:
        cur.execute(
            """INSERT INTO v_result_applications (result_id, evaluation_id, evaluation_kind,
                object_id, department_id, grade, proposed_measure, measure, follows_proposal,
                percentage, amount, reason, applied_by, policy_id, policy_version, applied_at,
                position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                str(e.originator_id),
                str(e.evaluation_id),
                e.evaluation_kind,
                str(e.object_id),
                str(e.department_id),
                e.proposal.grade,
                e.proposal.measure,
                e.measure,
                int(e.follows_proposal),
                _s(e.percentage),
                _s(e.amount),
                e.act.reason,
                e.act.actor.name,
                e.policy.policy_id,
                e.policy.version,
                e.timestamp.isoformat(),
                position,
            ),
        )

    @on(ResultApplication.ResultCorrected)
    def _corrected(self, cur: Cursor, e: Any, position: int) -> None:
        # The row shows the result in force; the event keeps what it replaced.
        cur.execute(
            """UPDATE v_result_applications SET measure = ?, follows_proposal = ?,
                percentage = ?, amount = ?, corrected_by = ?, corrected_at = ?
                WHERE result_id = ?""",
            (
                e.measure,
                int(e.follows_proposal),
                _s(e.percentage),
                _s(e.amount),
                e.act.actor.name,
                e.timestamp.isoformat(),
                str(e.originator_id),
            ),
        )


def list_funding_blocks(
    cur: Cursor, *, limit: int = 100, offset: int = 0, **filters: Any
) -> list[dict[str, Any]]:
    where, params = equal_filters(filters)
    return cur.execute(
        f"SELECT * FROM v_funding_blocks WHERE {where} ORDER BY position LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()


def list_results(
    cur: Cursor, *, limit: int = 100, offset: int = 0, **filters: Any
) -> list[dict[str, Any]]:
    where, params = equal_filters(filters)
    return cur.execute(
        f"SELECT * FROM v_result_applications WHERE {where} ORDER BY position LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
