"""The one place a request is let through: the role may call the operation at all, the
target is within the actor's reach, and reads that must be recorded are recorded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.access.events import event_target
from api.access.placement import target_of
from api.access.reach import Reach
from api.access.rules import RULES, Rule, Scope
from api.problems import ApiProblem
from domain.values import Actor
from infrastructure.access_log import AccessEntry, access_log_of
from infrastructure.bootstrap import Services

FORBIDDEN = "forbidden"
OUT_OF_SCOPE = "out-of-scope"


def forbidden(actor: Actor, method: str, path: str) -> ApiProblem:
    return ApiProblem(
        403,
        FORBIDDEN,
        "无权访问 Forbidden",
        f"the {actor.role} role may not call {method} {path}",
    )


def out_of_scope(actor: Actor, method: str, path: str) -> ApiProblem:
    return ApiProblem(
        403,
        OUT_OF_SCOPE,
        "超出权限范围 Out of scope",
        f"{method} {path}: the record is outside what a {actor.role} of "
        f"{actor.organisation_name or 'no organisation'} may see or act on",
    )


def rule_for(method: str, path: str) -> Rule | None:
    return RULES.get(("GET" if method == "HEAD" else method, path))


def authorise(
    services: Services,
    actor: Actor,
    method: str,
    path: str,
    path_params: Mapping[str, Any],
    query: Mapping[str, Any],
    body: bytes,
    request_id: str | None,
    url_path: str | None = None,
) -> Reach:
    """The actor's reach, if they may make this request; else 403 problem+json."""
    rule = rule_for(method, path)
    if rule is None or actor.role not in rule.roles:
        raise forbidden(actor, method, path)
    reach = Reach.of(services.ledger, actor)
    if rule.scope == Scope.EVENT:
        target = event_target(services.ledger, services.views_db, path_params, query)
    else:
        target = target_of(rule.scope, services.ledger, path_params, query, body)
    if target.placements:
        hits = [reach.reaches(p) for p in target.placements]
        if not (all(hits) if target.all else any(hits)):
            raise out_of_scope(actor, method, path)
    if rule.logged:
        access_log_of(services.views_db).append(
            AccessEntry(
                person_id=actor.person_id,
                person_name=actor.name,
                role=actor.role,
                organisation_id=actor.organisation_id,
                organisation_name=actor.organisation_name,
                mof_div_code=reach.mof_div_code,
                method=method,
                path=url_path or path,
                operation=f"{method} {path}",
                resource_kind=rule.resource or "resource",
                resource_id=_resource_id(path_params, query),
                request_id=request_id,
            )
        )
    return reach


RESOURCE_ID_MAX = 200  # what is logged of an id not yet validated (the index holds it)


def _resource_id(path_params: Mapping[str, Any], query: Mapping[str, Any]) -> str | None:
    for value in path_params.values():
        return str(value)[:RESOURCE_ID_MAX]
    for name in ("position", "event_id", "person_id", "resource_id"):
        if query.get(name):
            return str(query[name])[:RESOURCE_ID_MAX]
    return None
