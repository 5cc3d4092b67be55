"""The refusals each operation can answer, declared in the OpenAPI document as
application/problem+json with the problem document's schema and the problem types a status
carries (api/problems.py, api/deps.py, api/commands.py, api/limits.py make them).

A stale If-Match is answered 409 `version-conflict`, not 412: the ledger compares the
version the client read with the aggregate's inside the command (README, "If-Match"), so
412 is never sent and is not declared.
"""

from __future__ import annotations

from typing import Any

from api.access.rules import Rule, Scope
from api.problems import PROBLEM, STATUS_OF

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 问题详情：每个拒绝都以此回答，且不记录任何业务事件。",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "examples": ["urn:jixiao:problem:invalid-input"]},
        "title": {"type": "string", "examples": ["输入无效 Invalid input"]},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "field": {"type": "string", "description": "the offending field, when there is one"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "request_id": {"type": ["string", "null"]},
    },
    "additionalProperties": True,
}
REF = {"$ref": "#/components/schemas/Problem"}
# /health/live touches no store; /health reports an unreachable store in its 200 body.
ANSWERS_WHEN_STORE_IS_DOWN = frozenset({"/health/live", "/health"})


def _domain_types(status: int) -> list[str]:
    return [kind.type for kind, code in STATUS_OF.items() if code == status]


def _types(status: int, method: str, operation: dict[str, Any]) -> tuple[str, list[str]]:
    """(中文说明, problem types) of one status for one operation."""
    command = method != "GET"
    headers = {p["name"].lower() for p in operation.get("parameters", []) if p["in"] == "header"}
    xlsx = "application/vnd" in str(operation.get("requestBody", {}).get("content", {}))
    if status == 400:
        slugs = []
        if "if-match" in headers:
            slugs.append("invalid-if-match")
        if "idempotency-key" in headers:
            slugs.append("invalid-idempotency-key")
        return "请求头无效", slugs
    if status == 401:
        return "未认证：缺少令牌、令牌无效或已吊销", ["unauthenticated"]
    if status == 403:
        return "无权：角色不在访问表中，或记录不在本人范围内", [
            "forbidden",
            "out-of-scope",
            *_domain_types(403),
        ]
    if status == 404:
        return "未找到：路径所指记录不存在", ["not-found"]
    if status == 409:
        slugs = [*_domain_types(409)]
        if "idempotency-key" in headers:
            slugs += ["idempotency-key-in-progress", "idempotency-key-taken-over"]
        return "冲突：当前状态不允许、已存在，或 If-Match 的版本已过时（不用 412）", slugs
    if status == 408:
        return "请求体未在时限内到达", ["request-timeout"]
    if status == 413:
        return "请求体过大（JIXIAO_MAX_BODY_BYTES）", ["body-too-large"]
    if status == 415:
        return "媒体类型不支持：表格须以 .xlsx 作为请求体上传", ["unsupported-media-type"]
    if status == 422:
        slugs = ["invalid-input", *(_domain_types(422) if command else [])]
        if "idempotency-key" in headers:
            slugs.append("idempotency-key-reused")
        if xlsx:
            slugs += ["not-a-workbook", "form-invalid"]
        return "输入无效：指出出错的字段", slugs
    if status == 503:
        slugs = ["store-unavailable"] + (["commit-outcome-unknown"] if command else [])
        return "存储暂不可用（带 Retry-After）", slugs
    raise ValueError(status)


def statuses(method: str, path: str, rule: Rule, operation: dict[str, Any]) -> list[int]:
    """The error statuses an operation can answer."""
    found = [422]
    if rule.scope is not Scope.PUBLIC:
        found += [401, 403]
    if "{" in path:
        found.append(404)
    if method != "GET":
        found += [400, 408, 409, 413]
        if "application/vnd" in str(operation.get("requestBody", {}).get("content", {})):
            found.append(415)
    if path not in ANSWERS_WHEN_STORE_IS_DOWN:
        found.append(503)
    return sorted(set(found))


def declare(method: str, path: str, rule: Rule, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    for status in statuses(method, path, rule, operation):
        content = responses.get(str(status), {}).get("content", {})
        if PROBLEM in content:  # the route declares this refusal itself (/health/ready's 503);
            # FastAPI puts a `model` under application/json, but the answer is problem+json
            content[PROBLEM] = content.pop("application/json", None) or content[PROBLEM]
            continue
        meaning, slugs = _types(status, method, operation)
        if not slugs:
            continue
        types = ", ".join(f"`urn:jixiao:problem:{s}`" for s in dict.fromkeys(slugs))
        responses[str(status)] = {
            "description": f"{meaning}。问题类型 problem types: {types}",
            "content": {PROBLEM: {"schema": REF}},
        }
    operation["responses"] = dict(sorted(responses.items()))
