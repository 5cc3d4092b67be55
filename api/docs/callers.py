"""Who may call an operation, in Chinese, read from the access table (api/access/rules.py)
when the document is built, so the page cannot drift from what the gate enforces."""

from __future__ import annotations

from api.access.rules import Rule, Scope
from domain.roles import Role

ROLE_NAMES: dict[Role, str] = {
    Role.UNIT_STAFF: "单位填报人",
    Role.UNIT_HEAD: "单位负责人",
    Role.DEPARTMENT_STAFF: "部门填报人",
    Role.DEPARTMENT_HEAD: "部门负责人",
    Role.BUSINESS_SECTION: "财政业务股室",
    Role.PERFORMANCE_SECTION: "财政绩效股",
    Role.BUDGET_SECTION: "财政预算股",
    Role.TREASURY_SECTION: "财政国库股",
    Role.AUDITOR: "审计",
    Role.NPC: "人大",
    Role.DISCIPLINE: "纪检监察",
    Role.THIRD_PARTY: "第三方机构",
    Role.ADMINISTRATOR: "系统管理员",
}

# What the caller's reach is checked against (403 out-of-scope outside it).
SCOPE_NAMES: dict[Scope, str] = {
    Scope.PUBLIC: "无需令牌",
    Scope.ANY: "不涉及他人记录",
    Scope.JURISDICTION: "限本人所在行政区划",
    Scope.DOMAIN: "由业务规则核对请求体所指对象",
    Scope.BODY: "限请求体所指的行政区划、部门或对象在本人范围内",
    Scope.LIST: "结果只含本人范围内的记录",
    Scope.OBJECT: "限本人范围内的绩效对象",
    Scope.EVALUATION: "限本人范围内的评价，第三方限受托的评价",
    Scope.TASK: "限本人范围内的监控任务",
    Scope.NOTICE: "限本人范围内的整改通知",
    Scope.CASE: "限本人范围内的案件",
    Scope.SUBMISSION: "限本人所在行政区划的报送",
    Scope.WORK_SCORE: "限本人范围内的考核",
    Scope.ORGANISATION: "限本人所在行政区划的机构",
    Scope.PERSON: "限在本人行政区划任职的人员",
    Scope.LIBRARY: "限本人可用的指标库条目",
    Scope.EVENT: "限本人可读的记录所含事件",
}


def who_may_call(rule: Rule) -> str:
    if rule.scope is Scope.PUBLIC:
        return "调用者：任何人，无需令牌。"
    if rule.roles == frozenset(Role):
        names = "持有效令牌的任何角色"
    else:
        names = "、".join(ROLE_NAMES[r] for r in Role if r in rule.roles)
    return f"调用者：{names}（{SCOPE_NAMES[rule.scope]}）；其他角色 403。"


def what_it_records(rule: Rule, records: str | None) -> str:
    if records is not None:
        return f"{records}；被拒绝时不记录业务事件。"
    if rule.logged:
        return "只读，不记录业务事件；本次查阅记入访问日志（谁、何时、看了什么）。"
    return "只读，不记录任何内容。"
