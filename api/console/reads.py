"""Who is reading, and the API's own gate for every read a page makes.

A page calls `reader.check("/boards/finance/{mof_div_code}/{fiscal_year}", ...)` with the
API operation whose data it shows, then the same route function the API runs, so the
console shows exactly what the role may read through the API: the access table's roles,
the reach of the target, the row filters, and the access log of logged reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from fastapi import Request

from api.access import Reach, authorise
from api.access.gate import rule_for
from api.console.sessions import COOKIE, Sessions
from api.deps import _authenticate  # the API's own token check (signature, revocation, expiry)
from api.problems import ApiProblem
from domain.business_dates import today_in_china
from domain.values import Actor
from infrastructure.bootstrap import Services


class SignInNeeded(Exception):
    """No session, or its token no longer signs anyone in."""


class Refused(Exception):
    """The API would refuse this read: shown as a page with the same status."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


@dataclass
class Reader:
    services: Services
    actor: Actor
    reach: Reach
    url_path: str

    def check(
        self,
        path: str,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> Reach:
        """The reach for `GET path` as the API's gate answers it; Refused (403) otherwise."""
        try:
            return authorise(
                self.services,
                self.actor,
                "GET",
                path,
                {k: str(v) for k, v in (path_params or {}).items()},
                {k: str(v) for k, v in (query or {}).items() if v is not None},
                b"",
                structlog.contextvars.get_contextvars().get("request_id"),
                self.url_path,
            )
        except ApiProblem as e:
            raise Refused(e.status, e.title, e.detail) from None

    def may(self, path: str) -> bool:
        """Whether the role may call `GET path` at all (links on the home page)."""
        rule = rule_for("GET", path)
        return rule is not None and self.actor.role in rule.roles

    @property
    def mof_div_code(self) -> str:
        if self.reach.mof_div_code is None:
            raise Refused(403, "超出权限范围", "此角色不属于任何辖区，无可查看的看板")
        return self.reach.mof_div_code

    def year(self, asked: int | None) -> int:
        """The fiscal year asked for, else the latest year the jurisdiction has objects in."""
        if asked is not None:
            return asked
        with self.services.views_db.transaction(write=False) as cur:
            row = cur.execute(
                "SELECT MAX(fiscal_year) AS y FROM v_objects WHERE mof_div_code = ?",
                (self.reach.mof_div_code,),
            ).fetchone()
        found = row["y"] if row else None
        return int(found) if found is not None else today_in_china().year

    def organisations(self, kind: str | None = None) -> list[dict[str, Any]]:
        """The jurisdiction's organisations by name, for a picker (an organisation's name is
        no one's record: every role reads the organisations of its jurisdiction)."""
        sql = "SELECT org_id, name FROM v_org_scope WHERE mof_div_code = ?"
        params: list[Any] = [self.mof_div_code]
        if kind is not None:
            sql, params = sql + " AND kind = ?", [*params, kind]
        with self.services.views_db.transaction(write=False) as cur:
            return cur.execute(sql + " ORDER BY code", params).fetchall()


def services_of(request: Request) -> Services:
    return request.app.state.parent.state.services


def sessions_of(request: Request) -> Sessions:
    return request.app.state.sessions


def reader(request: Request) -> Reader:
    """The signed-in reader (a FastAPI dependency of every page but the sign-in page)."""
    token = sessions_of(request).token(request.cookies.get(COOKIE))
    if token is None:
        raise SignInNeeded
    services = services_of(request)
    try:
        actor = _authenticate(services, token)
    except ApiProblem:
        sessions_of(request).close(request.cookies.get(COOKIE))
        raise SignInNeeded from None
    return Reader(services, actor, Reach.of(services.ledger, actor), request.url.path)


def api_request(request: Request) -> Request:
    """The request as the API's routes see it: their app holds the integrity service."""
    return Request({**request.scope, "app": request.app.state.parent})
