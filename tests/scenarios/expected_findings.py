"""What the findings of a ledger should be, computed from its log alone.

Independent of projections/: this reads the stored notifications, decodes each event with
the ledger's own mapper, and applies the rules of DOMAIN's "Findings and red flags" as the
findings contract states them, with plain loops. The test compares the views with this.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from tests.scenarios.findings_log import Log, Logged, read_log

CHINA = ZoneInfo("Asia/Shanghai")
PREPARED, REVIEWED, APPROVED, ENTERED, REVISED = (
    "填报 prepared",
    "审核 reviewed",
    "批准 approved",
    "录入 entered",
    "修改 revised",
)
FOLLOW_UPS = {"CorrectionOrdered", "BudgetReduced", "PaymentsSuspended", "FundsRecovered"}


@dataclass(frozen=True)
class Expected:
    kind: str
    object_id: str | None
    department_id: str | None
    persons: frozenset[tuple[str, str]]  # (part, person_id)
    positions: tuple[int, ...]  # the events the finding rests on (at least these)
    variant: str | None = None
    falsification_trace: bool = False
    statistic: tuple[tuple[str, str], ...] = ()


def coordinates(log: Log) -> dict[UUID, dict[str, Any]]:
    """Each aggregate's object, department and year, from its own first event (or the
    object it names)."""
    coords: dict[UUID, dict[str, Any]] = {}
    for e in log.events:
        if e.originator_id in coords:
            continue
        ev = e.event
        coords[e.originator_id] = {
            "object_id": getattr(ev, "object_id", None)
            or (e.originator_id if e.name == "PerformanceObject.Registered" else None),
            "department_id": getattr(ev, "department_id", None),
            "fiscal_year": getattr(ev, "fiscal_year", None),
            "mof_div_code": getattr(ev, "mof_div_code", None),
        }
    for c in coords.values():
        obj = coords.get(c["object_id"]) if c["object_id"] else None
        if obj:
            for k in ("department_id", "fiscal_year", "mof_div_code"):
                c[k] = c[k] or obj[k]
    return coords


def object_of(e: Logged, coords) -> UUID | None:
    own = getattr(e.event, "object_id", None)
    if isinstance(own, UUID):
        return own
    return coords.get(e.originator_id, {}).get("object_id")


def recorded_day(e: Logged) -> date:
    return e.event.timestamp.astimezone(CHINA).date()


def _lowered(previous, current) -> bool:
    before = {(r.level1, r.level2, r.name): r for r in previous}
    for row in current:
        old = before.get((row.level1, row.level2, row.name))
        if old is None or old.comparator != row.comparator or old.value is None:
            continue
        if row.comparator == "≥" and row.value < old.value:
            return True
        if row.comparator == "≤" and row.value > old.value:
            return True
    return False


def expected_findings(log: Log, tolerance_days: int, today: date) -> list[Expected]:
    coords = coordinates(log)
    found: list[Expected] = []

    def dept(oid) -> str | None:
        d = coords.get(oid, {}).get("department_id") if oid else None
        return str(d) if d else None

    by_object: dict[UUID, list[Logged]] = defaultdict(list)
    for e in log.events:
        oid = object_of(e, coords)
        if oid is not None:
            by_object[oid].append(e)

    # --- recheck_gap -----------------------------------------------------------------------
    for oid, evs in by_object.items():
        checks = [e for e in evs if e.short in ("SpotCheckRecorded", "ScoreRevised")]
        met = [e for e in checks if e.event.gap_rule_met]
        if not met:
            continue
        last = met[-1]
        self_events = [
            e for e in evs if e.short in ("SelfEvaluationSubmitted", "SelfEvaluationRevised")
        ]
        persons = {(PREPARED, e.actor_id) for e in self_events if e.short.endswith("Submitted")}
        persons |= {(REVISED, e.actor_id) for e in self_events if e.short.endswith("Revised")}
        persons |= {(REVIEWED, e.actor_id) for e in checks}
        checked = checks[0].event
        score = last.event.score
        found.append(
            Expected(
                "recheck_gap",
                str(oid),
                dept(oid),
                frozenset(persons),
                (last.position,),
                falsification_trace=checked.self_score > score,
                statistic=(("gap", str(last.event.gap)),),
            )
        )

    # --- back_dated: one finding per act (events of one save sharing its Act) --------------
    seen_acts: set[tuple[UUID, Any]] = set()
    for e in log.events:
        claimed = getattr(e.event.act, "business_date", None)
        if not isinstance(claimed, date):
            continue
        late = (recorded_day(e) - claimed).days
        if late <= tolerance_days:
            continue
        key = (e.originator_id, e.event.act)
        if key in seen_acts:
            continue
        seen_acts.add(key)
        oid = object_of(e, coords)
        part = ENTERED if e.short == "EntrySubmitted" else None
        found.append(
            Expected(
                "back_dated",
                str(oid) if oid else None,
                dept(oid),
                frozenset({(part, e.actor_id)} if part else set()),
                (e.position,),
                statistic=(
                    ("business_date", claimed.isoformat()),
                    ("recorded_date", recorded_day(e).isoformat()),
                    ("days_late", str(late)),
                    ("tolerance_days", str(tolerance_days)),
                ),
            )
        )

    # --- contradicted claims, moving goalposts, left alone ------------------------------------
    for oid, evs in by_object.items():
        entries = [e for e in evs if e.short in ("EntrySubmitted", "EntryCorrected")]
        # the entry standing for each task: its latest submission or correction
        current: dict[UUID, Logged] = {}
        for e in entries:
            current[e.originator_id] = e
        standing = sorted(current.values(), key=lambda e: e.event.act.business_date)
        selfs = [e for e in evs if e.short in ("SelfEvaluationSubmitted", "SelfEvaluationRevised")]
        evaluation = selfs[-1] if selfs else None
        if evaluation is not None:
            unmet = {
                row.name for row in evaluation.event.scoring.rows if Decimal(row.attainment) < 1
            }
            for e in standing:
                claims = {r.name for r in e.event.entry.indicators if r.likelihood == "确定能完成"}
                if claims & unmet:
                    chain = {(ENTERED, e.actor_id)}
                    chain |= {
                        (PREPARED if s.short.endswith("Submitted") else REVISED, s.actor_id)
                        for s in selfs
                    }
                    found.append(
                        Expected(
                            "contradicted_claim",
                            str(oid),
                            dept(oid),
                            frozenset(chain),
                            (e.position, evaluation.position),
                            variant="on_track_unmet",
                        )
                    )
            spent = evaluation.event.scoring.executed_amount
            for e in standing:
                if e.event.entry.budget_executed > spent:
                    found.append(
                        Expected(
                            "contradicted_claim",
                            str(oid),
                            dept(oid),
                            frozenset({(ENTERED, e.actor_id)}),
                            (e.position, evaluation.position),
                            variant="executed_above_evaluation",
                        )
                    )
        for earlier, later in pairwise(standing):
            if later.event.entry.budget_executed < earlier.event.entry.budget_executed:
                found.append(
                    Expected(
                        "contradicted_claim",
                        str(oid),
                        dept(oid),
                        frozenset({(ENTERED, later.actor_id), (ENTERED, earlier.actor_id)}),
                        (earlier.position, later.position),
                        variant="executed_decreased",
                    )
                )

        serious = [
            e for e in evs if e.short == "EntryJudged" and e.event.judgement.status == "serious"
        ]
        for adjusted in (e for e in evs if e.short == "GoalAdjusted"):
            before = [s for s in serious if s.position < adjusted.position]
            if before and _lowered(adjusted.event.previous, adjusted.event.indicators):
                # the entry the serious judgement was made on, and who entered it; by
                # procedure, who applied (修改) and who approved (批准) the adjustment
                entrant = before[-1].actor_id
                applied = [
                    a
                    for a in evs
                    if a.short == "GoalAdjustmentApplied" and a.position < adjusted.position
                ]
                if applied:
                    chain = {(REVISED, applied[-1].actor_id), (APPROVED, adjusted.actor_id)}
                    positions = (before[-1].position, applied[-1].position, adjusted.position)
                else:
                    chain = {(REVISED, adjusted.actor_id)}
                    positions = (before[-1].position, adjusted.position)
                found.append(
                    Expected(
                        "goal_lowered_after_deviation",
                        str(oid),
                        dept(oid),
                        frozenset({*chain, (ENTERED, entrant)}),
                        positions,
                    )
                )
        checked_or_applied = [e for e in evs if e.short in ("SpotCheckRecorded", "ResultApplied")]
        for revised in (e for e in evs if e.short in ("ScoreRevised", "SelfEvaluationRevised")):
            earlier = [c for c in checked_or_applied if c.position < revised.position]
            if earlier:
                last = earlier[-1]
                part = APPROVED if last.short == "ResultApplied" else REVIEWED
                found.append(
                    Expected(
                        "revised_after_check",
                        str(oid),
                        dept(oid),
                        frozenset({(REVISED, revised.actor_id), (part, last.actor_id)}),
                        (last.position, revised.position),
                    )
                )
        for judged in serious:
            later_entries = [
                e
                for e in evs
                if e.short == "EntrySubmitted"
                and e.position > judged.position
                and e.originator_id != judged.originator_id
            ]
            horizon = later_entries[0].position if later_entries else None
            followed = any(
                e.short in FOLLOW_UPS
                and e.originator_id == judged.originator_id
                and e.position > judged.position
                and (horizon is None or e.position < horizon)
                for e in evs
            )
            if not followed and horizon is not None:
                found.append(
                    Expected(
                        "deviation_not_followed_up",
                        str(oid),
                        dept(oid),
                        frozenset(),
                        (judged.position,),
                    )
                )

    # --- rectification_late -----------------------------------------------------------------
    notices: dict[UUID, dict[str, Any]] = {}
    for e in log.events:
        if e.short == "RectificationNoticeIssued":
            notices[e.originator_id] = {"due": e.event.due, "open": True, "issued": e}
        elif e.short == "RectificationReported":
            n = notices[e.originator_id]
            n["open"] = False
            if e.event.late:
                oid = object_of(e, coords)
                found.append(
                    Expected(
                        "rectification_late",
                        str(oid),
                        dept(oid),
                        frozenset({(PREPARED, e.actor_id)}),
                        (e.position,),
                        variant="answered_late",
                    )
                )
        elif e.short == "RectificationRejected":
            notices[e.originator_id]["open"] = True
    for n in notices.values():
        if n["open"] and today > n["due"]:
            oid = object_of(n["issued"], coords)
            found.append(
                Expected(
                    "rectification_late",
                    str(oid),
                    dept(oid),
                    frozenset(),
                    (n["issued"].position,),
                    variant="overdue_open",
                )
            )

    # --- segregation_breach: one person preparing and reviewing/approving one object -------
    prepare = {"GoalSubmitted", "GoalResubmitted", "SelfEvaluationSubmitted"}
    review = {"GoalReviewed", "SpotCheckRecorded", "ScoreRevised", "RectificationVerified"}
    approve = {"GoalApproved", "ResultApplied"}
    for oid, evs in by_object.items():
        preparers = {e.actor_id for e in evs if e.short in prepare}
        for person in sorted(preparers):
            acts = [e for e in evs if e.actor_id == person]
            parts = {REVIEWED for e in acts if e.short in review}
            parts |= {APPROVED for e in acts if e.short in approve}
            if parts:
                found.append(
                    Expected(
                        "segregation_breach",
                        str(oid),
                        dept(oid),
                        frozenset({(PREPARED, person)} | {(p, person) for p in parts}),
                        tuple(e.position for e in acts if e.short in prepare | review | approve),
                    )
                )
    return found


def signed_by(log: Log) -> dict[str, dict[str, int]]:
    """person_id → event name → how many events they signed."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for e in log.events:
        out[e.actor_id][e.name] += 1
    return out


__all__ = ["CHINA", "Expected", "Log", "Logged", "expected_findings", "read_log", "signed_by"]
