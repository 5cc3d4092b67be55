"""Request and response examples for the main commands, taken from the demo year
(infrastructure/demo/data/xunyang_2023.json, 浔阳区 2023): the first project there, as it is
registered, its goal as submitted, reviewed and approved, its first monitoring entry and its
self-evaluation. The
monitoring rows and actuals are derived by the demo's own functions, so an example is the
body that would record what `jixiao demo` records."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib import resources
from types import SimpleNamespace
from typing import Any

from domain import ids
from domain.indicators import Indicator
from infrastructure.demo.context import documents
from infrastructure.demo.evaluation import actuals_of
from infrastructure.demo.monitoring import entry_of

DEMO = "xunyang_2023.json"
NUMBERS = ("value", "upper", "weight")


def _plain(value: Any) -> Any:
    """JSON as the API takes it: amounts and numbers as strings, no None fields."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, Decimal) else value


def _evidence(names: list[str]) -> list[dict[str, str]]:
    return [{"name": d.name, "sha256": d.sha256} for d in documents(names)]


@cache
def request_examples() -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """(method, path) → (what the example is, the request body)."""
    data = json.loads((resources.files("infrastructure.demo") / "data" / DEMO).read_text("utf-8"))
    mof, year = data["jurisdiction"]["mof_div_code"], int(data["fiscal_year"])
    obj = data["objects"][0]
    code = obj["pro_code"]
    submit = next(a for a in obj["acts"] if a["act"] == "submit")
    review = next(a for a in obj["acts"] if a["act"] == "review")
    approve = next(a for a in obj["acts"] if a["act"] == "approve")
    goal = SimpleNamespace(
        indicators=[
            Indicator(**{k: Decimal(v) if k in NUMBERS else v for k, v in row.items()})
            for row in obj["indicators"]
        ],
        approved_amount=Decimal(approve["approved_amount"]),
    )
    period = data["year"]["monitoring"][0]
    row = next(r for r in period["entries"] if r["pro_code"] == code)
    entry = entry_of(goal, period, row)  # type: ignore[arg-type]
    own = next(r for r in data["year"]["evaluations"]["self"] if r["pro_code"] == code)
    name = f"浔阳区 {obj['name']}"
    return {
        ("POST", "/objects"): (
            f"{name}：登记",
            {
                "mof_div_code": mof,
                "fiscal_year": year,
                "pro_code": code,
                "name": obj["name"],
                "kind": obj["kind"],
                "department_id": str(ids.organisation_id(mof, obj["department"])),
                "fund_type": obj["fund_type"],
                "amount": obj["amount"],
                "is_new": obj["is_new"],
                "business_date": obj["registered_on"],
            },
        ),
        ("POST", "/objects/{object_id}/goal/submit"): (
            f"{name}：申报绩效目标",
            {
                "indicators": _plain(obj["indicators"]),
                "reason": submit["reason"],
                "business_date": submit["date"],
            },
        ),
        ("POST", "/objects/{object_id}/goal/reviews"): (
            f"{name}：初审",
            _plain({k: review[k] for k in ("stage", "outcome", "comments")})
            | {"business_date": review["date"]},
        ),
        ("POST", "/objects/{object_id}/goal/approve"): (
            f"{name}：批复",
            {
                "approved_amount": approve["approved_amount"],
                "approval_ref": approve["approval_ref"],
                "business_date": approve["date"],
            },
        ),
        ("POST", "/monitoring/tasks/{task_id}/entry"): (
            f"{name}：{period['period']} 运行监控填报",
            _plain(
                {
                    "budget_executed": entry.budget_executed,
                    "budget_forecast": entry.budget_forecast,
                    "indicators": [vars(p) for p in entry.indicators],
                }
            ),
        ),
        ("POST", "/objects/{object_id}/evaluations/self"): (
            f"{name}：单位自评",
            _plain(
                {
                    "actuals": [vars(a) for a in actuals_of(goal, own.get("actuals", {}))],  # type: ignore[arg-type]
                    "executed_amount": own["executed"],
                    "evidence": _evidence(own["evidence"]),
                    "business_date": own["date"],
                }
            ),
        ),
    }


def add_examples(paths: dict[str, Any]) -> None:
    """Put each demo body on its operation's JSON request body, and, where the answer
    follows from the body alone, the answer on the success response."""
    for (method, path), (summary, body) in request_examples().items():
        operation = paths[path][method.lower()]
        media = operation["requestBody"]["content"]["application/json"]
        media["examples"] = {"demo": {"summary": summary, "value": body}}
        answer = _answers().get((method, path))
        for status, response in operation["responses"].items():
            if answer and status.startswith("2") and "application/json" in response["content"]:
                response["content"]["application/json"]["examples"] = {
                    "demo": {"summary": f"{summary}（position 视日志而定）", "value": answer}
                }


def _answers() -> dict[tuple[str, str], dict[str, Any]]:
    """The object's id follows from its jurisdiction, year and code; it is version 1 once
    registered and 2 once its goal is submitted."""
    examples = request_examples()
    body = examples[("POST", "/objects")][1]
    object_id = str(
        ids.performance_object_id(body["mof_div_code"], body["fiscal_year"], body["pro_code"])
    )
    return {
        ("POST", "/objects"): {"id": object_id, "version": 1, "position": 1, "views_current": True},
        ("POST", "/objects/{object_id}/goal/submit"): {
            "id": object_id,
            "version": 2,
            "position": 2,
            "views_current": True,
        },
    }
