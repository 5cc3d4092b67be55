"""A small jurisdiction built with the real commands, shared by API and scenario tests."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain import ids
from infrastructure.bootstrap import Services, cli_act

CODE = "360403"

# org code → (name, kind, parent code)
ORGS = {
    "ADMIN": ("浔阳区绩效系统管理", "administration", None),
    "B01": ("浔阳区财政局经济建设股", "business_section", None),
    "P01": ("浔阳区财政局绩效评价服务股", "performance_section", None),
    "Y01": ("浔阳区财政局预算股", "budget_section", None),
    "D101": ("浔阳区住房和城乡建设局", "department", None),
    "D101001": ("甘棠街道办事处", "unit", "D101"),
    "D102": ("浔阳区卫生健康委员会", "department", None),
}
# login → (name, role, org code)
PEOPLE = {
    "admin": ("管理员", "administrator", "ADMIN"),
    "wangfang": ("王芳", "department_staff", "D101"),
    "lijun": ("李军", "unit_staff", "D101001"),
    "zhaoyun": ("赵云", "department_staff", "D102"),
    "chenjing": ("陈静", "business_section", "B01"),
    "liuqiang": ("刘强", "performance_section", "P01"),
    "sunli": ("孙丽", "budget_section", "Y01"),
}


@dataclass
class World:
    mof_div_code: str

    def org(self, code: str) -> UUID:
        return ids.organisation_id(self.mof_div_code, code)

    def person(self, login: str) -> UUID:
        return ids.person_id(login)


def build_world(services: Services) -> World:
    ledger, act = services.ledger, cli_act("test set-up")
    ledger.register_jurisdiction(act, CODE, "浔阳区", "district")
    for code, (name, kind, parent) in ORGS.items():
        parent_id = ids.organisation_id(CODE, parent) if parent else None
        ledger.register_organisation(act, CODE, code, name, kind, parent_id)
    for login, (name, role, org) in PEOPLE.items():
        ledger.register_person(act, login, name)
        ledger.grant_role(act, ids.person_id(login), role, ids.organisation_id(CODE, org))
    return World(CODE)


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
