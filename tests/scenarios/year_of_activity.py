"""A year of activity (fiscal 2025) for three departments of 浔阳区, built through the
ledger's own commands as the people whose job it is, each act at its time of year.

The clock is moved through the year with time_machine (goals in January 2025, monitoring
entries a few days after each period's as-of date, self-evaluations in March 2026, spot
checks in May 2026, rectifications after), so that only the planted back-dated entry is
recorded long after the date it claims.

Planted (each on its own project, so each trace stands alone):
  住建局 D101  P1 an inflated self-score caught by the finance bureau's re-check (gap ≥ 15)
              P2 a serious deviation at mid-year, ordered corrected, then the goal lowered
              P3 a segregation-of-duties breach: the preparer of the goal, granted the
                 budget-section role, approves it himself
  卫健委 D102  P4 a back-dated monitoring entry (as of 30 June, first recorded in November)
              P5 an on-track claim (确定能完成) the self-evaluation finds unmet
              P6 budget executed going down between two entries
              and (over HTTP, by the test) a segregation-of-duties attempt: the preparer of
              P4's self-evaluation, moved to the performance section, tries to re-check it
  教体局 D103  nothing: two clean projects, one spot-checked within the gap, one
              rectification answered on time and verified
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import time_machine

from domain.evaluation.model import SelfEvaluation
from domain.ledger import Ledger
from domain.monitoring.entry import Entry
from domain.monitoring.model import monitoring_task_id
from domain.rectification.model import RectificationNotice
from infrastructure.bootstrap import Services, cli_act
from tests.fixtures_world import build_world
from tests.scenarios.helpers import indicators
from tests.scenarios.year_of_activity_parts import (
    ADJUSTED_QUANTITY,
    AS_OF,
    AT_TOLERANCE_RECORDED,
    BACK_DATED_RECORDED,
    ENTERED,
    EXTRA_ORGS,
    EXTRA_PEOPLE,
    EXTRA_SUPERVISORS,
    FISCAL_YEAR,
    P4_M10_RECORDED,
    PROJECTS,
    Q3_CUT,
    ROLE_CHANGES,
    Acts,
    Project,
    Year,
    _actuals,
    _indicators_with,
    _org_name,
    _progress,
    _self_overrides,
    _targets,
    at,
    evidence,
    executed,
)


def build_year(services: Services) -> Year:
    """Build the whole year; returns what the test needs to find its way in it."""
    with time_machine.travel(at("2024-12-20"), tick=True) as clock:
        return _build(services, clock)


def _build(services: Services, clock) -> Year:
    ledger: Ledger = services.ledger
    world = build_world(services)
    act = Acts(world)
    setup = cli_act("test set-up")
    for code, (name, kind, parent) in EXTRA_ORGS.items():
        parent_id = world.org(parent) if parent else None
        ledger.registry.register_organisation(
            setup, world.mof_div_code, code, name, kind, parent_id
        )
    for department, section in EXTRA_SUPERVISORS.items():
        ledger.registry.assign_supervisor(setup, world.org(department), world.org(section))
    for login, (name, role, org) in EXTRA_PEOPLE.items():
        ledger.registry.register_person(setup, login, name)
        ledger.registry.grant_role(setup, world.person(login), role, world.org(org))
    projects = {p.key: Project(p.key, p.department, p.preparer, p.amount, p.unit) for p in PROJECTS}
    year = Year(
        services,
        world,
        projects,
        {code: _org_name(code) for code in ("D101", "D102", "D103")},
    )

    # --- January 2025: registration, goals, reviews, approval --------------------------------
    clock.move_to(at("2025-01-06"))
    for p in projects.values():
        p.object_id = ledger.goals.register_object(
            act(p.preparer),
            mof_div_code=world.mof_div_code,
            fiscal_year=FISCAL_YEAR,
            pro_code=f"3604032025{p.key}",
            name=f"{_org_name(p.department)}2025年项目{p.key}",
            kind="project",
            department_id=world.org(p.department),
            unit_id=world.org(p.unit) if p.unit else None,
            fund_type="general_public",
            amount=p.amount,
            is_new=True,
            last_year_amount=None,
        ).aggregate_id
        ledger.goals.submit_goal(act(p.preparer), p.object_id, indicators())
    clock.move_to(at("2025-01-09"))
    # 高峰 moves to the budget section (he keeps his department role).
    login, (role, org) = "gaofeng", ROLE_CHANGES["gaofeng"]
    ledger.registry.grant_role(act("admin"), world.person(login), role, world.org(org))
    clock.move_to(at("2025-01-10"))
    for p in projects.values():
        for login, stage in (("chenjing", "initial"), ("liuqiang", "second"), ("sunli", "final")):
            ledger.goals.review_goal(act(login), p.object_id, stage, "良", "同意")
    clock.move_to(at("2025-01-15"))
    for p in projects.values():
        approver = act("gaofeng", ROLE_CHANGES["gaofeng"]) if p.key == "P3" else act("sunli")
        ledger.goals.approve_goal(approver, p.object_id, p.amount, f"浔财预〔2025〕{p.key}号")

    # --- the year's monitoring: H1, M10, M12 --------------------------------------------
    all_ids = [p.object_id for p in projects.values()]
    for period, opened in (("H1", "2025-06-20"), ("M10", "2025-10-20"), ("M12", "2025-12-20")):
        clock.move_to(at(opened))
        ledger.monitoring.open_monitoring_round(
            act("chenjing"), world.mof_div_code, FISCAL_YEAR, period, all_ids
        )
        for p in projects.values():
            p.tasks[period] = monitoring_task_id(p.object_id, period)
        if period == "H1":
            _mid_year(ledger, act, clock, projects)
        elif period == "M10":
            clock.move_to(at(ENTERED["M10"]))
            for p in projects.values():
                if p.key != "P4":
                    _enter(ledger, act, p, "M10")
            # P4's mid-year entry is first recorded now, claiming 30 June.
            clock.move_to(at(BACK_DATED_RECORDED))
            _enter(ledger, act, projects["P4"], "H1")
            clock.move_to(at(P4_M10_RECORDED))
            _enter(ledger, act, projects["P4"], "M10")
        else:
            clock.move_to(at(ENTERED["M12"]))
            for p in projects.values():
                _enter(ledger, act, p, "M12")

    # --- March 2026: self-evaluations ----------------------------------------------------
    clock.move_to(at("2026-03-16"))
    for p in projects.values():
        preparer = "liming" if p.key == "P4" else p.preparer
        p.self_evaluation_id = ledger.evaluation.submit_self_evaluation(
            act(preparer, business_date=date(2026, 3, 16), evidence=evidence("自评表.pdf")),
            p.object_id,
            _actuals(_self_overrides(p.key)),
            executed(p, "M12"),
        ).aggregate_id
    # Q2's self-evaluation is corrected before anyone checked it (not a finding).
    clock.move_to(at("2026-03-25"))
    ledger.evaluation.revise_self_evaluation(
        act(
            "liuyang",
            reason="满意度调查结果更正",
            business_date=date(2026, 3, 25),
            evidence=evidence("满意度调查报告.pdf"),
        ),
        projects["Q2"].self_evaluation_id,
        _actuals({"居民满意度": "94"}),
        executed(projects["Q2"], "M12"),
    )

    # 李明 moves to the performance section (he keeps his department role).
    clock.move_to(at("2026-04-01"))
    login, (role, org) = "liming", ROLE_CHANGES["liming"]
    ledger.registry.grant_role(act("admin"), world.person(login), role, world.org(org))

    # --- May 2026: spot checks and results -------------------------------------------------
    clock.move_to(at("2026-05-12"))
    # P1: exactly 15 points below its self-score (相差15分以上 includes 15); P6 close;
    # Q1: 14.99 below, just inside the rule.
    # R5: rechecked a little above its self-score.
    below = {
        "P1": Decimal("15.00"),
        "P6": Decimal("4.00"),
        "Q1": Decimal("14.99"),
        "R5": Decimal("-0.20"),
    }
    for key, gap in below.items():
        p = projects[key]
        self_score = ledger.load(SelfEvaluation, p.self_evaluation_id).score
        p.spot_check_id = ledger.evaluation.recheck_self_evaluation(
            act("liuqiang", business_date=date(2026, 5, 12), evidence=evidence("复核底稿.pdf")),
            p.self_evaluation_id,
            self_score - gap,
            "抽查复核意见",
        ).aggregate_id
    clock.move_to(at("2026-05-20"))
    for p in projects.values():
        if p.key == "P7":
            continue  # P7's result is still to be applied (the finance board shows it)
        target = p.spot_check_id or p.self_evaluation_id
        proposal = ledger.results.result_proposal(target)
        percentage = Decimal("10") if proposal.measure in ("reduce", "cut_recurring") else None
        amount = Decimal("30000.00") if proposal.measure == "no_funding_until_rectified" else None
        ledger.results.apply_result(act("sunli"), target, proposal.measure, percentage, amount)
    # --- rectification ------------------------------------------------------------------------
    # P1 and Q1 (住建局, 教体局: 经济建设股 follows up) answered in time, Q1 on its due date;
    # P6 (卫健委: 社会保障股) answered late; P4's left open past its deadline.
    clock.move_to(at("2026-05-25"))
    notices = (
        ("P1", "chenjing", "浔财绩整〔2026〕1号"),
        ("Q1", "chenjing", "浔财绩整〔2026〕2号"),
        ("P6", "qianjin", "浔财绩整〔2026〕3号"),
        ("P4", "qianjin", "浔财绩整〔2026〕4号"),
    )
    for key, issuer, ref in notices:
        p = projects[key]
        year.notices[key] = ledger.rectification.issue_rectification(
            act(issuer, business_date=date(2026, 5, 25)),
            p.object_id,
            ref,
            ["自评佐证材料不足"],
            p.spot_check_id or p.self_evaluation_id,
        ).aggregate_id
    due = {k: ledger.load(RectificationNotice, n).due for k, n in year.notices.items()}
    answers = [
        ("P1", date(2026, 6, 5)),
        ("Q1", due["Q1"]),  # 届满: the due date itself is in time
        ("P6", due["P6"] + timedelta(days=7)),
    ]
    for key, day in sorted(answers, key=lambda a: a[1]):
        p = projects[key]
        clock.move_to(at(day.isoformat()))
        ledger.rectification.respond_rectification(
            act(p.preparer, business_date=day, evidence=evidence("整改报告.pdf")),
            year.notices[key],
            "已补充佐证材料并建立复核机制",
        )
    clock.move_to(at((due["P6"] + timedelta(days=10)).isoformat()))
    for key, verifier in (("P1", "chenjing"), ("Q1", "chenjing"), ("P6", "qianjin")):
        ledger.rectification.verify_rectification(act(verifier), year.notices[key], "整改到位")
    # P5's self-evaluation is revised after its result was applied (planted).
    clock.move_to(at((due["P6"] + timedelta(days=14)).isoformat()))
    ledger.evaluation.revise_self_evaluation(
        act(
            "zhaoyun",
            reason="补充满意度调查",
            business_date=due["P6"] + timedelta(days=14),
            evidence=evidence("满意度调查报告.pdf"),
        ),
        projects["P5"].self_evaluation_id,
        _actuals({**_self_overrides("P5"), "居民满意度": "95"}),
        executed(projects["P5"], "M12"),
    )

    return year


def _mid_year(ledger: Ledger, act: Acts, clock, projects: dict[str, Project]) -> None:
    clock.move_to(at(ENTERED["H1"]))
    for p in projects.values():
        if p.key not in ("P4", "Q2"):
            _enter(ledger, act, p, "H1")
    # The finance bureau follows up the deviations: P2 and Q4 ordered corrected, Q3 cut.
    clock.move_to(at("2025-07-08"))
    for key in ("P2", "Q4"):
        ledger.monitoring.follow_up_monitoring(
            act("chenjing", reason="执行进度滞后，限期纠偏", business_date=date(2025, 7, 8)),
            projects[key].tasks["H1"],
            "correction_ordered",
        )
    ledger.monitoring.follow_up_monitoring(
        act("sunli", reason="执行严重滞后，调减预算", business_date=date(2025, 7, 8)),
        projects["Q3"].tasks["H1"],
        "budget_reduced",
        Q3_CUT,
    )
    # 教体局 finds a payment it left out of Q1's entry: a correction, six days later.
    clock.move_to(at("2025-07-10"))
    q1 = projects["Q1"]
    ledger.monitoring.correct_monitoring_entry(
        act("liuyang", reason="漏报6月28日支付", business_date=date(2025, 6, 30)),
        q1.tasks["H1"],
        Entry(executed(q1, "H1") + Decimal("36000.00"), q1.amount, _progress(_targets(q1, "H1"))),
    )
    # The goals adjusted by procedure (财预〔2015〕88号 第二十八条): P2 lowered (planted), Q3
    # raised, Q4 lowered; each applied for, reviewed by 归口 B01, approved by the budget section.
    clock.move_to(at("2025-07-17"))
    for key, quantity in ADJUSTED_QUANTITY.items():
        p = projects[key]
        ledger.goals.apply_goal_adjustment(
            act(
                p.preparer,
                reason="项目内容调整，按程序调整绩效目标",
                evidence=evidence(f"{key}绩效目标调整申请.pdf"),
            ),
            p.object_id,
            _indicators_with(quantity),
        )
    clock.move_to(at("2025-07-18"))
    for key in ADJUSTED_QUANTITY:
        p = projects[key]
        ledger.goals.review_goal_adjustment(act("chenjing"), p.object_id, "agreed", "同意调整")
    clock.move_to(at("2025-07-21"))
    for key in ADJUSTED_QUANTITY:
        p = projects[key]
        ledger.goals.approve_goal_adjustment(act("sunli"), p.object_id, f"浔财预调〔2025〕{key}号")
    # Q2's mid-year entry is recorded 31 days after the date it claims: at the tolerance.
    clock.move_to(at(AT_TOLERANCE_RECORDED))
    _enter(ledger, act, projects["Q2"], "H1")


def _enter(ledger: Ledger, act: Acts, p: Project, period: str) -> None:
    doubtful = None
    if p.key == "P2" and period == "H1":
        doubtful = {"改造老旧小区数量": "9"}
    if p.key == "Q4" and period == "H1":
        doubtful = {"改造老旧小区数量": "11"}
    if p.key == "P5" and period != "H1":  # only the mid-year entry claims 确定能完成
        doubtful = {"受益居民户数": "2900"}
    forecast = p.amount - Q3_CUT if p.key == "Q3" and period != "H1" else p.amount
    entry = Entry(executed(p, period), forecast, _progress(_targets(p, period), doubtful))
    ledger.monitoring.submit_monitoring_entry(
        act(p.preparer, business_date=date.fromisoformat(AS_OF[period])), p.tasks[period], entry
    )


__all__ = ["EXTRA_PEOPLE", "ROLE_CHANGES", "Year", "at", "build_year"]
