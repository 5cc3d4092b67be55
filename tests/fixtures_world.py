"""A small jurisdiction built with the real commands, shared by API and scenario tests."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain import ids
from domain.values import Act, Actor
from infrastructure.bootstrap import Services, cli_act

CODE = "360403"

# org code → (name, kind, parent code)
ORGS = {
    "ADMIN": ("浔阳区绩效系统管理", "administration", None),
    "B01": ("浔阳区财政局经济建设股", "business_section", None),
    "P01": ("浔阳区财政局绩效评价服务股", "performance_section", None),
    "B02": ("浔阳区财政局社会保障股", "business_section", None),
    "Y01": ("浔阳区财政局预算股", "budget_section", None),
    "T01": ("浔阳区财政局国库股", "treasury_section", None),
    "AUD": ("浔阳区审计局", "audit_bureau", None),
    "NPC": ("浔阳区人大常委会", "npc_committee", None),
    "JW": ("浔阳区纪委监委", "discipline_commission", None),
    "TP01": ("九江衡正绩效管理咨询有限公司", "third_party", None),
    "D101": ("浔阳区住房和城乡建设局", "department", None),
    "D101001": ("甘棠街道办事处", "unit", "D101"),
    "D102": ("浔阳区卫生健康委员会", "department", None),
}
# department code → its supervising business section (归口)
SUPERVISORS = {"D101": "B01", "D102": "B02"}
# login → (name, role, org code)
PEOPLE = {
    "admin": ("管理员", "administrator", "ADMIN"),
    "wangfang": ("王芳", "department_staff", "D101"),
    "lijun": ("李军", "unit_staff", "D101001"),
    "zhaoyun": ("赵云", "department_staff", "D102"),
    "chenjing": ("陈静", "business_section", "B01"),
    "liuqiang": ("刘强", "performance_section", "P01"),
    "sunli": ("孙丽", "budget_section", "Y01"),
    "zhoujie": ("周杰", "department_head", "D101"),
    "wuhua": ("吴华", "business_section", "B01"),
    "zhengyi": ("郑义", "treasury_section", "T01"),
    "fengshen": ("冯慎", "auditor", "AUD"),
    "hexin": ("何欣", "npc", "NPC"),
    "jiangwei": ("蒋伟", "discipline", "JW"),
    "qianlin": ("钱琳", "third_party", "TP01"),
}


@dataclass
class World:
    """A jurisdiction built by build_world; logins carry the world's prefix."""

    mof_div_code: str
    prefix: str = ""

    def org(self, code: str) -> UUID:
        return ids.organisation_id(self.mof_div_code, code)

    def person(self, login: str) -> UUID:
        return ids.person_id(self.prefix + login)

    def login(self, login: str) -> str:
        return self.prefix + login

    def act_as(self, login: str, **fields: object) -> Act:
        """The act the API would build for this person's token (actor from the registry)."""
        name, role, org = PEOPLE[login]
        actor = Actor(str(self.person(login)), name, role, str(self.org(org)), ORGS[org][0])
        return Act(actor, **fields)


def build_world(
    services: Services, mof_div_code: str = CODE, name: str = "浔阳区", prefix: str = ""
) -> World:
    """The same organisations and people in any jurisdiction (e.g. 360100 南昌市 with
    prefix "nc." to compare policies); org names keep their 浔阳区 wording."""
    ledger, act = services.ledger, cli_act("test set-up")
    ledger.registry.register_jurisdiction(act, mof_div_code, name, "district")
    for code, (org_name, kind, parent) in ORGS.items():
        parent_id = ids.organisation_id(mof_div_code, parent) if parent else None
        ledger.registry.register_organisation(act, mof_div_code, code, org_name, kind, parent_id)
    for department, section in SUPERVISORS.items():
        ledger.registry.assign_supervisor(
            act,
            ids.organisation_id(mof_div_code, department),
            ids.organisation_id(mof_div_code, section),
        )
    for login, (person_name, role, org) in PEOPLE.items():
        ledger.registry.register_person(act, prefix + login, person_name)
        ledger.registry.grant_role(
            act, ids.person_id(prefix + login), role, ids.organisation_id(mof_div_code, org)
        )
    return World(mof_div_code, prefix)


INDICATORS = [
    {
        "level1": "产出",
        "level2": "数量",
        "name": "改造老旧小区数量",
        "comparator": "≥",
        "value": "12",
        "unit": "个",
        "weight": "30",
    },
    {
        "level1": "产出",
        "level2": "时效",
        "name": "年底完工率",
        "comparator": "≥",
        "value": "95",
        "unit": "%",
        "weight": "20",
    },
    {
        "level1": "效益",
        "level2": "社会",
        "name": "受益居民户数",
        "comparator": "≥",
        "value": "3000",
        "unit": "户",
        "weight": "30",
    },
    {
        "level1": "满意度",
        "level2": "满意度",
        "name": "居民满意度",
        "comparator": "≥",
        "value": "90",
        "unit": "%",
        "weight": "20",
    },
]


def object_body(world: World, pro_code: str = "36040323P001", **overrides: object) -> dict:
    body = {
        "mof_div_code": world.mof_div_code,
        "fiscal_year": 2023,
        "pro_code": pro_code,
        "name": "甘棠街道2023年老旧小区改造项目",
        "kind": "project",
        "department_id": str(world.org("D101")),
        "unit_id": str(world.org("D101001")),
        "fund_type": "government_fund",
        "amount": "60000000.00",
        "is_new": True,
    }
    body.update(overrides)
    return body
