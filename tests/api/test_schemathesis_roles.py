"""Schemathesis against a real server process, with a token for every role.

The demo jurisdiction (浔阳区 2023, a whole year of acts) is loaded through the real
commands, plus a unit head it lacks and a neighbouring jurisdiction (南昌市, the test world
with an approved project) whose ids no role here may reach; then `jixiao serve` runs as its
own process. For every operation in /openapi.json, Schemathesis draws a few positive and
negative requests; path ids are often swapped for ids that exist in the log, so requests
reach past validation into the domain. Each request is sent with each role's token: none
may answer 5xx, every 4xx must be problem+json, and every 2xx must match its documented
schema. Both stores run (the `settings` fixture)."""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from api.access import RULES
from bench.load import free_port, jixiao_server, settings_env
from domain import ids
from domain.roles import Role
from infrastructure.bootstrap import Services, bootstrap, cli_act
from infrastructure.demo.load import load_demo
from infrastructure.settings import Settings
from tests.conftest import issue_token
from tests.fixtures_world import build_world
from tests.unit.lifecycle_helpers import approved_object

PROBLEM = "application/problem+json"
# Form imports take the .xlsx itself as the body: sent as raw bytes, as octet-stream is.
schemathesis.serializer.alias(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"
)
CONFORMANCE = [response_schema_conformance, content_type_conformance]
# Per operation; each is sent once per role (13 roles). JIXIAO_FUZZ_EXAMPLES=50 digs deeper.
EXAMPLES = int(os.environ.get("JIXIAO_FUZZ_EXAMPLES", "5"))
# Per store: 5 examples took 20–45 s on the shared 2-core machine.
BUDGET_SECONDS = 150 * max(1, EXAMPLES / 5)
REAL_ID_SHARE = 0.7  # how often a path id is swapped for one the log holds
UNIT_HEAD = "xy.fuzz.unithead"  # the demo has no unit head
UNIT_ORG = ("360403", "301001")

# Aggregate class (from the stored topic) → the path parameter that names it.
PATH_IDS = {
    "PerformanceObject": "object_id",
    "MonitoringTask": "task_id",
    "SelfEvaluation": "evaluation_id",
    "KeyEvaluation": "evaluation_id",
    "SpotCheck": "evaluation_id",
    "RectificationNotice": "notice_id",
    "AccountabilityCase": "case_id",
    "NpcSubmission": "submission_id",
    "WorkAssessment": "assessment_id",
    "Organisation": "organisation_id",
    "Person": "person_id",
    "LibraryIndicator": "entry_id",
}


def _load_world(settings: Settings) -> tuple[dict[Role, str], dict[str, list[str]]]:
    """Tokens for one person of every role, and the ids the log holds per path parameter."""
    services = bootstrap(settings, views=[])
    try:
        load_demo(services.ledger, services.signer, settings)
        # A neighbouring jurisdiction with an approved project: ids out of every role's reach.
        nanchang = build_world(services, "360100", "南昌市", prefix="nc.")
        approved_object(services.ledger, nanchang, pro_code="36010023P001")
        act = cli_act("fuzz test set-up")
        services.ledger.registry.register_person(act, UNIT_HEAD, "符测")
        services.ledger.registry.grant_role(
            act, ids.person_id(UNIT_HEAD), "unit_head", ids.organisation_id(*UNIT_ORG)
        )
        return _tokens(services), _ids_in_log(services)
    finally:
        services.close()


def _tokens(services: Services) -> dict[Role, str]:
    logins = {
        Role.ADMINISTRATOR: "xy.chenlixin",
        Role.DEPARTMENT_STAFF: "xy.huangmin",
        Role.DEPARTMENT_HEAD: "xy.zhoujianguo",
        Role.UNIT_STAFF: "xy.yuqing",
        Role.UNIT_HEAD: UNIT_HEAD,
        Role.BUSINESS_SECTION: "xy.zhangkai",
        Role.PERFORMANCE_SECTION: "xy.wanglei",
        Role.BUDGET_SECTION: "xy.zhaomin",
        Role.TREASURY_SECTION: "xy.sunhao",
        Role.AUDITOR: "xy.fengjun",
        Role.NPC: "xy.guoping",
        Role.DISCIPLINE: "xy.hejian",
        Role.THIRD_PARTY: "xy.lvning",
    }
    assert set(logins) == set(Role), "a role was added: give it a person here"
    return {role: issue_token(services, login, role) for role, login in logins.items()}


def _ids_in_log(services: Services) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {}
    recorder = services.ledger.recorder
    start, last = 1, recorder.max_notification_id() or 0
    while start <= last:
        batch = recorder.select_notifications(start, 500)
        for n in batch:
            aggregate = n.topic.split(":")[-1].split(".")[0]
            if aggregate in PATH_IDS:
                found.setdefault(PATH_IDS[aggregate], set()).add(str(n.originator_id))
        start = batch[-1].id + 1
    pools = {name: sorted(values) for name, values in found.items()}
    pools["position"] = [str(p) for p in (1, 2, last // 2, last)]
    pools["year"] = ["2023", "2024", "2025"]
    return pools


def _content_type(response) -> str:
    value = response.headers.get("content-type", "")
    return value[0] if isinstance(value, list) else value


@dataclass
class Tally:
    calls: Counter[tuple[tuple[str, str], Role]] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    successes: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def fuzz(operation, tokens: dict[Role, str], pools: dict[str, list[str]], tally: Tally) -> None:
    """A few drawn requests for one operation, each sent once with every role's token."""
    label = (operation.method.upper(), operation.path)
    sessions = {role: requests.Session() for role in tokens}
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=strategy, rng=st.randoms(use_true_random=False))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: the failing request is written down instead
        suppress_health_check=list(HealthCheck),
    )
    def every_role(case, rng: random.Random) -> None:
        for name in case.path_parameters or {}:
            if pools.get(name) and rng.random() < REAL_ID_SHARE:
                case.path_parameters[name] = rng.choice(pools[name])
        for role, token in tokens.items():
            headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
            response = case.call(session=sessions[role], headers=headers, timeout=60)
            status = response.status_code
            tally.calls[label, role] += 1
            tally.statuses[status] += 1
            if 200 <= status < 300:
                tally.successes[label] += 1
                try:  # a success answers what the OpenAPI document promises
                    case.validate_response(response, checks=CONFORMANCE)
                except FailureGroup as e:
                    tally.failures.append(f"{role} {case.method} {case.formatted_path}: {e}")
            if status >= 500 or (status >= 400 and not _content_type(response).startswith(PROBLEM)):
                tally.failures.append(
                    f"{role} {case.method} {case.formatted_path} query={case.query} "
                    f"headers={case.headers} body={case.body!r}: {status} {response.text[:300]}"
                )

    try:
        every_role()
    finally:
        for session in sessions.values():
            session.close()


def test_every_role_on_every_operation_gets_no_server_error(settings: Settings) -> None:
    started = time.monotonic()
    tokens, pools = _load_world(settings)
    tally = Tally()
    with jixiao_server(settings_env(settings), free_port()) as url:
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        schema.config.base_url = url
        operations = [result.ok() for result in schema.get_all_operations()]
        documented = {(op.method.upper(), op.path) for op in operations}
        assert len(operations) >= len(RULES) >= 80, "an operation is missing from the fuzzing"
        assert documented == set(RULES)
        for operation in operations:
            fuzz(operation, tokens, pools, tally)

    elapsed = time.monotonic() - started
    print(f"\n{len(operations)} operations, {tally.calls.total()} requests in {elapsed:.0f} s")
    print(f"statuses {dict(sorted(tally.statuses.items()))}; 2xx on {len(tally.successes)} ops")
    assert tally.failures == [], "\n".join(tally.failures)
    never = [
        (op, role) for op in sorted(documented) for role in tokens if not tally.calls[op, role]
    ]
    assert never == [], "operations never called"
    # Past authentication and validation into the domain: reads and commands both succeed.
    assert len(tally.successes) >= 20, tally.successes
    assert any(method == "POST" for method, _ in tally.successes), tally.successes
    assert elapsed < BUDGET_SECONDS
