"""Organisation kinds and the roles people hold in them."""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    DEPARTMENT = "department"  # 预算部门
    UNIT = "unit"  # 预算单位
    BUSINESS_SECTION = "business_section"  # 财政局业务股室（归口）
    PERFORMANCE_SECTION = "performance_section"  # 绩效评价服务股 / 绩效科
    BUDGET_SECTION = "budget_section"  # 预算股
    TREASURY_SECTION = "treasury_section"  # 国库股
    AUDIT_BUREAU = "audit_bureau"  # 审计局
    NPC_COMMITTEE = "npc_committee"  # 人大常委会
    DISCIPLINE_COMMISSION = "discipline_commission"  # 纪委监委
    THIRD_PARTY = "third_party"  # 第三方机构
    ADMINISTRATION = "administration"  # 系统管理


class Role(StrEnum):
    UNIT_STAFF = "unit_staff"  # 单位填报人
    UNIT_HEAD = "unit_head"  # 单位负责人
    DEPARTMENT_STAFF = "department_staff"  # 部门填报人
    DEPARTMENT_HEAD = "department_head"  # 部门负责人
    BUSINESS_SECTION = "business_section"
    PERFORMANCE_SECTION = "performance_section"
    BUDGET_SECTION = "budget_section"
    TREASURY_SECTION = "treasury_section"
    AUDITOR = "auditor"
    NPC = "npc"
    DISCIPLINE = "discipline"
    THIRD_PARTY = "third_party"
    ADMINISTRATOR = "administrator"


# Which kind of organisation each role can be held in.
ROLE_ORG_KIND: dict[Role, OrgKind] = {
    Role.UNIT_STAFF: OrgKind.UNIT,
    Role.UNIT_HEAD: OrgKind.UNIT,
    Role.DEPARTMENT_STAFF: OrgKind.DEPARTMENT,
    Role.DEPARTMENT_HEAD: OrgKind.DEPARTMENT,
    Role.BUSINESS_SECTION: OrgKind.BUSINESS_SECTION,
    Role.PERFORMANCE_SECTION: OrgKind.PERFORMANCE_SECTION,
    Role.BUDGET_SECTION: OrgKind.BUDGET_SECTION,
    Role.TREASURY_SECTION: OrgKind.TREASURY_SECTION,
    Role.AUDITOR: OrgKind.AUDIT_BUREAU,
    Role.NPC: OrgKind.NPC_COMMITTEE,
    Role.DISCIPLINE: OrgKind.DISCIPLINE_COMMISSION,
    Role.THIRD_PARTY: OrgKind.THIRD_PARTY,
    Role.ADMINISTRATOR: OrgKind.ADMINISTRATION,
}

# People who prepare and submit a budget holder's records (填报).
SPENDING_ROLES = frozenset(
    {Role.UNIT_STAFF, Role.UNIT_HEAD, Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD}
)
