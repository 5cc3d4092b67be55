"""The roles and scope of every operation, as one table.

A row says which roles may ever call the operation (anyone else: 403 `forbidden` before
anything runs) and how the thing it touches is found, so that a permitted role may still
act only within its reach (403 `out-of-scope`); lists are narrowed to that reach instead.
The app refuses to start if a route has no row, and the matrix test checks the table
against the OpenAPI document, so an endpoint cannot be added without deciding who may use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from domain.roles import Role

R = Role


class Scope(StrEnum):
    PUBLIC = "public"  # no token at all (health)
    ANY = "any"  # any permitted role; touches no one's records (calendar, policy, proofs)
    JURISDICTION = "jurisdiction"  # the actor's jurisdiction (query/body mof_div_code)
    DOMAIN = "domain"  # the target is in the body and the domain checks the actor against it
    BODY = "body"  # the target is named in the body: mof_div_code, department(s), object(s)
    LIST = "list"  # rows narrowed to the actor's reach
    OBJECT = "object"  # path object_id → the performance object
    EVALUATION = "evaluation"  # path evaluation_id → its object (and assigned third party)
    TASK = "task"  # path task_id → the monitoring task's object
    NOTICE = "notice"  # path notice_id → the rectification notice's department
    CASE = "case"  # path case_id → the case's jurisdiction, objects and referral
    SUBMISSION = "submission"  # path submission_id → an NPC submission's jurisdiction
    WORK_SCORE = "work_score"  # path assessment_id → the scored department
    ORGANISATION = "organisation"  # path organisation_id → its jurisdiction
    PERSON = "person"  # path person_id → the jurisdictions the person holds roles in
    LIBRARY = "library"  # path entry_id → a library entry: its jurisdiction, its department
    EVENT = "event"  # position (path/query) or event_id → what the event belongs to (events.py)


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    scope: Scope
    logged: bool = False  # the read is recorded in the access log (who looked)
    resource: str | None = None  # the kind named in the access log
    note: str | None = None  # what the reader gets beyond the roles and scope (the docs say it)


def rule(
    roles: Iterable[Role],
    scope: Scope,
    *,
    logged: bool = False,
    resource: str | None = None,
    note: str | None = None,
) -> Rule:
    return Rule(frozenset(roles), scope, logged, resource, note)


UNIT = frozenset({R.UNIT_STAFF, R.UNIT_HEAD})
DEPARTMENT = frozenset({R.DEPARTMENT_STAFF, R.DEPARTMENT_HEAD})
SPENDING = UNIT | DEPARTMENT
FINANCE = frozenset({R.BUSINESS_SECTION, R.PERFORMANCE_SECTION, R.BUDGET_SECTION})
FINANCE_ALL = FINANCE | {R.TREASURY_SECTION}
BUDGET_READERS = SPENDING | FINANCE_ALL | {R.AUDITOR}  # who reads budget data at all
CASE_READERS = FINANCE | {R.AUDITOR, R.DISCIPLINE}
CASE_BUILDERS = frozenset({R.PERFORMANCE_SECTION, R.BUSINESS_SECTION, R.AUDITOR, R.DISCIPLINE})
SUPERVISION_READERS = frozenset(
    {R.PERFORMANCE_SECTION, R.BUDGET_SECTION, R.BUSINESS_SECTION, R.AUDITOR, R.NPC}
)
EVIDENCE_READERS = frozenset({R.PERFORMANCE_SECTION, R.AUDITOR, R.DISCIPLINE})
# An event is read, with its proof, by whoever may read the record it belongs to.
EVENT_READERS = BUDGET_READERS | {R.DISCIPLINE, R.NPC}
EVERYONE = frozenset(Role)
LOG_READERS = FINANCE_ALL | {R.AUDITOR}  # the log's ledgers and search
FINDING_READERS = frozenset({R.AUDITOR, R.DISCIPLINE, R.PERFORMANCE_SECTION})
ADMIN = frozenset({R.ADMINISTRATOR})
PS, BS, YS = R.PERFORMANCE_SECTION, R.BUSINESS_SECTION, R.BUDGET_SECTION

S = Scope
RULES: dict[tuple[str, str], Rule] = {
    # health, and the calendar and policy everyone counts with
    ("GET", "/health"): rule(EVERYONE, S.PUBLIC),
    ("GET", "/health/live"): rule(EVERYONE, S.PUBLIC),
    ("GET", "/health/ready"): rule(EVERYONE, S.PUBLIC),
    ("GET", "/holiday-tables/{year}"): rule(EVERYONE, S.ANY),
    ("PUT", "/holiday-tables/{year}"): rule(ADMIN, S.ANY),
    ("GET", "/working-days/deadline"): rule(EVERYONE, S.ANY),
    ("GET", "/monitoring/schedule"): rule(BUDGET_READERS, S.ANY),
    # registry: administrators keep it; organisations are readable in their jurisdiction
    ("POST", "/jurisdictions"): rule(ADMIN, S.ANY),
    ("POST", "/organisations"): rule(ADMIN, S.BODY),
    ("GET", "/organisations/{organisation_id}"): rule(EVERYONE, S.ORGANISATION),
    ("POST", "/organisations/{organisation_id}/supervisor"): rule(ADMIN, S.ORGANISATION),
    ("POST", "/persons"): rule(ADMIN, S.ANY),
    ("GET", "/persons/{person_id}"): rule(
        ADMIN | {R.AUDITOR, PS}, S.PERSON, logged=True, resource="person"
    ),
    ("POST", "/persons/{person_id}/roles"): rule(ADMIN, S.PERSON),
    # performance objects and goals
    ("POST", "/objects"): rule(SPENDING, S.DOMAIN),
    ("GET", "/objects"): rule(BUDGET_READERS, S.LIST),
    ("GET", "/objects/{object_id}"): rule(BUDGET_READERS | {R.THIRD_PARTY}, S.OBJECT),
    ("GET", "/objects/{object_id}/history"): rule(BUDGET_READERS, S.OBJECT),
    ("GET", "/objects/{object_id}/diff"): rule(BUDGET_READERS, S.OBJECT),
    ("POST", "/objects/{object_id}/goal/submit"): rule(SPENDING, S.OBJECT),
    ("POST", "/objects/{object_id}/goal/reviews"): rule(FINANCE, S.OBJECT),
    ("POST", "/objects/{object_id}/goal/approve"): rule({YS}, S.OBJECT),
    ("POST", "/objects/{object_id}/goal/adjustment"): rule(SPENDING, S.OBJECT),
    ("POST", "/objects/{object_id}/goal/adjustment/review"): rule({BS}, S.OBJECT),
    ("POST", "/objects/{object_id}/goal/adjustment/approval"): rule({YS}, S.OBJECT),
    # the indicator library (指标库): the finance bureau and the auditors read the
    # jurisdiction's, departments and units what their department may use (api/routers/
    # library.py narrows); the performance section keeps common entries and grants, a
    # department its own (the domain checks who keeps which)
    ("GET", "/library/indicators"): rule(BUDGET_READERS, S.LIST),
    ("GET", "/library/indicators/{entry_id}"): rule(BUDGET_READERS, S.LIST),
    ("POST", "/library/indicators"): rule(DEPARTMENT | {PS}, S.BODY),
    ("POST", "/library/indicators/{entry_id}/revision"): rule(DEPARTMENT | {PS}, S.LIBRARY),
    ("POST", "/library/indicators/{entry_id}/retirement"): rule(DEPARTMENT | {PS}, S.LIBRARY),
    ("POST", "/library/indicators/{entry_id}/grants"): rule({PS}, S.LIBRARY),
    # ex-ante assessment and the project library
    ("GET", "/objects/{object_id}/ex-ante"): rule(BUDGET_READERS | {R.THIRD_PARTY}, S.OBJECT),
    ("POST", "/objects/{object_id}/ex-ante/declare"): rule(SPENDING, S.OBJECT),
    ("POST", "/objects/{object_id}/ex-ante/submit"): rule(SPENDING | {PS, R.THIRD_PARTY}, S.OBJECT),
    ("POST", "/objects/{object_id}/ex-ante/review"): rule({BS, PS}, S.OBJECT),
    ("POST", "/objects/{object_id}/ex-ante/commission"): rule({PS}, S.OBJECT),
    ("POST", "/objects/{object_id}/library/admit"): rule({BS, YS}, S.OBJECT),
    # monitoring
    ("POST", "/objects/{object_id}/monitoring/tasks"): rule({BS, PS}, S.OBJECT),
    ("POST", "/monitoring/rounds"): rule({BS, PS}, S.BODY),
    ("GET", "/monitoring/tasks"): rule(BUDGET_READERS, S.LIST),
    ("GET", "/monitoring/tasks/{task_id}"): rule(BUDGET_READERS, S.TASK),
    ("POST", "/monitoring/tasks/{task_id}/entry"): rule(SPENDING | {PS}, S.TASK),
    ("POST", "/monitoring/tasks/{task_id}/entry/correct"): rule(SPENDING | {PS}, S.TASK),
    ("POST", "/monitoring/tasks/{task_id}/follow-ups"): rule({BS, YS, R.TREASURY_SECTION}, S.TASK),
    # Excel forms (api/routers/forms.py): read as the record they print, imported by whoever
    # may run the command the form stands for
    ("GET", "/objects/{object_id}/forms/goal"): rule(BUDGET_READERS, S.OBJECT),
    ("POST", "/objects/{object_id}/forms/goal"): rule(SPENDING, S.OBJECT),
    ("GET", "/monitoring/tasks/{task_id}/form"): rule(BUDGET_READERS, S.TASK),
    ("POST", "/monitoring/tasks/{task_id}/form"): rule(SPENDING | {PS}, S.TASK),
    ("GET", "/objects/{object_id}/forms/self-evaluation"): rule(BUDGET_READERS, S.OBJECT),
    ("POST", "/objects/{object_id}/forms/self-evaluation"): rule(SPENDING, S.OBJECT),
    # evaluations and result application
    ("POST", "/objects/{object_id}/evaluations/self"): rule(SPENDING, S.OBJECT),
    ("POST", "/objects/{object_id}/evaluations"): rule(DEPARTMENT | {PS}, S.OBJECT),
    ("GET", "/evaluations"): rule(BUDGET_READERS | {R.THIRD_PARTY}, S.LIST),
    ("GET", "/evaluations/{evaluation_id}"): rule(BUDGET_READERS | {R.THIRD_PARTY}, S.EVALUATION),
    ("GET", "/evaluations/{evaluation_id}/report"): rule(
        BUDGET_READERS | {R.THIRD_PARTY},
        S.EVALUATION,
        note="results, notices and findings only for readers of GET /results, "
        "GET /rectifications, GET /findings; a section left out says so",
    ),  # the 绩效评价报告: whoever may read the evaluation
    ("POST", "/evaluations/{evaluation_id}/self-revision"): rule(SPENDING, S.EVALUATION),
    ("POST", "/evaluations/{evaluation_id}/third-party"): rule({PS}, S.EVALUATION),
    ("POST", "/evaluations/{evaluation_id}/scores"): rule(
        DEPARTMENT | {PS, R.THIRD_PARTY}, S.EVALUATION
    ),
    ("POST", "/evaluations/{evaluation_id}/score-revisions"): rule(
        DEPARTMENT | {PS, R.THIRD_PARTY}, S.EVALUATION
    ),
    ("POST", "/evaluations/{evaluation_id}/recheck"): rule({PS}, S.EVALUATION),
    ("GET", "/evaluations/{evaluation_id}/proposal"): rule(
        BUDGET_READERS | {R.THIRD_PARTY}, S.EVALUATION
    ),
    ("POST", "/evaluations/{evaluation_id}/result"): rule({YS, PS}, S.EVALUATION),
    ("POST", "/evaluations/{evaluation_id}/result/correction"): rule({YS, PS}, S.EVALUATION),
    ("GET", "/funding-blocks"): rule(BUDGET_READERS, S.LIST),
    ("GET", "/results"): rule(BUDGET_READERS, S.LIST),
    # rectification
    ("POST", "/objects/{object_id}/rectifications"): rule({BS, PS}, S.OBJECT),
    ("GET", "/rectifications"): rule(BUDGET_READERS, S.LIST),
    ("GET", "/rectifications/{notice_id}"): rule(BUDGET_READERS, S.NOTICE),
    ("POST", "/rectifications/{notice_id}/response"): rule(SPENDING, S.NOTICE),
    ("POST", "/rectifications/{notice_id}/verification"): rule({BS}, S.NOTICE),
    ("POST", "/rectifications/{notice_id}/rejection"): rule({BS}, S.NOTICE),
    # accountability cases: the audit bureau writes its own findings, nothing else
    ("POST", "/cases"): rule(CASE_BUILDERS, S.BODY),
    ("GET", "/cases"): rule(CASE_READERS, S.LIST),
    ("GET", "/cases/naming/{person_id}"): rule(
        CASE_READERS, S.LIST, logged=True, resource="person"
    ),
    ("GET", "/cases/{case_id}"): rule(CASE_READERS, S.CASE, logged=True, resource="case"),
    ("GET", "/cases/{case_id}/package"): rule(CASE_READERS, S.CASE, logged=True, resource="case"),
    ("GET", "/cases/{case_id}/package.pdf"): rule(
        CASE_READERS, S.CASE, logged=True, resource="case"
    ),
    ("GET", "/cases/{case_id}/evidence-check"): rule(
        CASE_READERS, S.CASE, logged=True, resource="case"
    ),
    ("POST", "/cases/{case_id}/evidence/events"): rule(CASE_BUILDERS, S.CASE),
    ("POST", "/cases/{case_id}/evidence/documents"): rule(CASE_BUILDERS, S.CASE),
    ("POST", "/cases/{case_id}/responsible-persons"): rule(CASE_BUILDERS, S.CASE),
    ("POST", "/cases/{case_id}/referral"): rule({PS, R.AUDITOR}, S.CASE),
    ("POST", "/cases/{case_id}/closure"): rule({PS, R.AUDITOR}, S.CASE),
    ("POST", "/cases/{case_id}/receipt"): rule({R.DISCIPLINE}, S.CASE),
    ("POST", "/cases/{case_id}/outcome"): rule({R.DISCIPLINE}, S.CASE),
    # supervision and disclosure: the NPC sees these and nothing else of the budget
    ("GET", "/supervision/key-projects"): rule(SUPERVISION_READERS, S.JURISDICTION),
    ("POST", "/supervision/npc-submissions"): rule({PS, YS}, S.BODY),
    ("GET", "/supervision/npc-submissions"): rule(SUPERVISION_READERS, S.JURISDICTION),
    ("GET", "/supervision/npc-submissions/{submission_id}"): rule(
        SUPERVISION_READERS, S.SUBMISSION
    ),
    ("POST", "/supervision/npc-submissions/{submission_id}/ratings"): rule({R.NPC}, S.SUBMISSION),
    ("POST", "/supervision/publications"): rule(SPENDING | {PS}, S.BODY),
    ("GET", "/supervision/publications"): rule(BUDGET_READERS | {R.NPC}, S.LIST),
    ("POST", "/supervision/work-scores"): rule({PS}, S.BODY),
    ("GET", "/supervision/work-scores"): rule(SUPERVISION_READERS | DEPARTMENT, S.LIST),
    ("GET", "/supervision/work-scores/{assessment_id}"): rule(
        SUPERVISION_READERS | DEPARTMENT, S.WORK_SCORE
    ),
    ("POST", "/supervision/work-scores/{assessment_id}/revision"): rule({PS}, S.WORK_SCORE),
    # coverage targets of a jurisdiction's year (覆盖面): the finance bureau, audit and the NPC
    ("GET", "/coverage"): rule({PS, YS, R.AUDITOR, R.NPC}, S.JURISDICTION),
    # The annual 综合报告 (to the Party committee and government, copied to the NPC standing
    # committee): the readers of coverage, for their own jurisdiction.
    ("GET", "/reports/annual"): rule(
        {PS, YS, R.AUDITOR, R.NPC},
        S.JURISDICTION,
        note="NPC: rows of the departments submitted to it that year only (coverage stays "
        "jurisdiction-wide); section 七 counts findings and cases for every reader, their log "
        "positions only for readers of GET /findings, GET /cases",
    ),
    # Boards (api/access/board_reach.py checks the path's jurisdiction). The NPC board: the
    # NPC reads the departments submitted to it that year and nothing else (another
    # department: out-of-scope); the performance section and the audit bureau read it too.
    ("GET", "/boards/npc/{mof_div_code}/{fiscal_year}"): rule({R.NPC, PS, R.AUDITOR}, S.LIST),
    ("GET", "/boards/npc/{mof_div_code}/{fiscal_year}/departments/{department_id}"): rule(
        {R.NPC, PS, R.AUDITOR}, S.LIST
    ),
    # The finance board: finance sections and audit, rows narrowed to reach (business
    # sections: their supervised departments); departments see their own rows only.
    ("GET", "/boards/finance/{mof_div_code}/{fiscal_year}"): rule(
        FINANCE | DEPARTMENT | {R.AUDITOR}, S.LIST
    ),
    # Red flags on reported figures (统计预警): they name the persons who signed the figures,
    # so audit, the performance and budget sections and discipline of that jurisdiction only
    # (api/access/board_reach.py checks the path's jurisdiction), and every read is logged.
    ("GET", "/red-flags/{mof_div_code}/{fiscal_year}"): rule(
        {PS, YS, R.AUDITOR, R.DISCIPLINE}, S.LIST, logged=True, resource="red_flags"
    ),
    # integrity: heads, keys and consistency proofs name sizes and hashes, no event: anyone
    ("GET", "/integrity/tree-head"): rule(EVERYONE, S.ANY),
    ("GET", "/integrity/public-key"): rule(EVERYONE, S.ANY),
    ("GET", "/integrity/public-keys"): rule(EVERYONE, S.ANY),
    ("GET", "/integrity/proofs/consistency"): rule(EVERYONE, S.ANY),
    ("POST", "/integrity/tree-heads"): rule(ADMIN | EVIDENCE_READERS, S.ANY),
    # An event with its proof: units and departments their own objects' events, business
    # sections their supervised departments', finance sections and audit their jurisdiction's,
    # discipline the events of and cited by cases referred to it, the NPC supervision records.
    ("GET", "/integrity/proofs/inclusion"): rule(
        EVENT_READERS, S.EVENT, logged=True, resource="event"
    ),
    ("GET", "/integrity/evidence/{position}"): rule(
        EVENT_READERS, S.EVENT, logged=True, resource="event"
    ),
    # Ledgers and search of the log (api/access/ledger_reach.py narrows them): finance
    # sections and audit their jurisdiction, a business section its supervised departments,
    # a department its own rows (never a case's acts). Anyone reads their own person ledger;
    # discipline the ledgers of persons named in cases referred to it (only those: its reach
    # is cases, docs/access-control.md). The NPC is refused: it reads supervision records.
    ("GET", "/ledgers/departments/{org_id}"): rule(LOG_READERS | DEPARTMENT, S.LIST),
    ("GET", "/ledgers/persons/{person_id}"): rule(
        EVERYONE, S.PERSON, logged=True, resource="person"
    ),
    ("GET", "/ledgers/jurisdictions/{mof_div_code}/{fiscal_year}"): rule(
        LOG_READERS | DEPARTMENT, S.LIST
    ),
    ("GET", "/log/search"): rule(LOG_READERS | DEPARTMENT, S.LIST),
    # Findings (问责线索) and accountability ledgers: the auditor, the discipline commission
    # and the performance section, of their own jurisdiction (api/routers/findings.py).
    # Findings name persons: each read is in the access log, as a person ledger's is.
    ("GET", "/findings"): rule(FINDING_READERS, S.LIST, logged=True, resource="findings"),
    ("GET", "/findings/{finding_id}"): rule(
        FINDING_READERS, S.LIST, logged=True, resource="finding"
    ),
    ("POST", "/findings/{finding_id}/dismissal"): rule(FINDING_READERS, S.LIST),
    ("POST", "/findings/{finding_id}/citation"): rule(FINDING_READERS & CASE_BUILDERS, S.LIST),
    ("GET", "/ledgers/persons/{person_id}/accountability"): rule(
        FINDING_READERS, S.PERSON, logged=True, resource="person"
    ),
    ("GET", "/ledgers/departments/{org_id}/accountability"): rule(FINDING_READERS, S.LIST),
    # who looked
    ("GET", "/access-log"): rule({R.AUDITOR}, S.LIST, logged=True, resource="access_log"),
    # refused segregation-of-duties commands, for audit and discipline of the jurisdiction
    ("GET", "/security-log"): rule(
        {R.AUDITOR, R.DISCIPLINE}, S.LIST, logged=True, resource="security_log"
    ),
}
