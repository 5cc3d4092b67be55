"""The API's documentation, read over real HTTP from a served app: /docs and /redoc fetch
nothing from another host (government intranets are offline) and their assets are served;
the OpenAPI document gives every operation a Chinese summary, who may call it (the access
table's roles, no more and no fewer) and what it records, declares its refusals as
problem+json, and carries the demo's bodies as examples that the API accepts."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from api.access import RULES, Scope
from api.docs.callers import ROLE_NAMES
from api.docs.operations import OPERATIONS
from api.problems import PROBLEM
from api.schemas.evaluations import SelfEvaluationSubmit
from api.schemas.monitoring import EntryIn
from api.schemas.objects import GoalApprove, GoalReview, GoalSubmit, ObjectRegister
from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import build_world

CJK = re.compile(r"[\u4e00-\u9fff]")
METHODS = ("get", "put", "post", "delete", "patch")


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


@pytest.fixture
def document(server: LiveServer) -> dict[str, Any]:
    with server.client() as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_has_a_chinese_summary_and_says_who_may_call_it(document) -> None:
    operations = _operations(document)
    assert {(m, p) for m, p, _ in operations} == set(RULES) == set(OPERATIONS)
    for method, path, operation in operations:
        label = f"{method} {path}"
        assert CJK.search(operation["summary"]), label
        description = operation["description"]
        who = description.split("\n\n")[0]
        assert who.startswith("调用者："), label
        rule = RULES[method, path]
        if rule.scope is Scope.PUBLIC:
            assert "无需令牌" in who, label
        elif len(rule.roles) < len(ROLE_NAMES):
            named = {role for role, name in ROLE_NAMES.items() if name in who}
            assert named == rule.roles, label  # exactly the table's roles
        records = description.split("\n\n")[1]
        if method == "GET":
            assert records.startswith("只读"), label
            assert ("访问日志" in records) == rule.logged, label
        else:
            assert "被拒绝时不记录业务事件" in records, label


def test_every_refusal_is_declared_as_a_problem_document(document) -> None:
    assert set(document["components"]["schemas"]["Problem"]["required"]) >= {
        "type",
        "title",
        "status",
        "detail",
    }
    for method, path, operation in _operations(document):
        label = f"{method} {path}"
        expected = {"422"}
        if RULES[method, path].scope is not Scope.PUBLIC:
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        if method != "GET":
            expected |= {"409", "413"}
        if not path.startswith("/health"):
            expected.add("503")
        responses = operation["responses"]
        assert expected <= set(responses), (label, sorted(expected - set(responses)))
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert list(response["content"]) == [PROBLEM], (label, status)
                if path != "/health/ready":  # its 503 is the route's own, with its fields
                    assert response["content"][PROBLEM]["schema"] == {
                        "$ref": "#/components/schemas/Problem"
                    }
                    assert "urn:jixiao:problem:" in response["description"], (label, status)


def test_every_reference_in_the_document_resolves(document) -> None:
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(document)))
    assert "Problem" in refs
    assert refs <= set(document["components"]["schemas"])


def _declared(document: dict[str, Any], method: str, path: str, status: int) -> str:
    return document["paths"][path][method.lower()]["responses"][str(status)]["description"]


def _example(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    media = document["paths"][path][method.lower()]["requestBody"]["content"]["application/json"]
    (example,) = media["examples"].values()
    assert "浔阳" in example["summary"]
    return example["value"]


def test_the_main_commands_carry_the_demo_bodies_as_examples(document) -> None:
    bodies = {
        ("POST", "/objects"): ObjectRegister,
        ("POST", "/objects/{object_id}/goal/submit"): GoalSubmit,
        ("POST", "/objects/{object_id}/goal/reviews"): GoalReview,
        ("POST", "/objects/{object_id}/goal/approve"): GoalApprove,
        ("POST", "/monitoring/tasks/{task_id}/entry"): EntryIn,
        ("POST", "/objects/{object_id}/evaluations/self"): SelfEvaluationSubmit,
    }
    for (method, path), model in bodies.items():
        model.model_validate(_example(document, method, path))  # the API's own body model
    registered = _example(document, "POST", "/objects")
    assert (registered["mof_div_code"], registered["pro_code"]) == ("360403", "360403233040001")
    entry = _example(document, "POST", "/monitoring/tasks/{task_id}/entry")
    assert entry["budget_executed"] == "31500000.00"  # H1's 执行数 in the demo file
    assert len(entry["indicators"]) == 8  # one row per goal indicator, as the demo derives


def test_the_examples_record_and_the_declared_problem_types_are_the_ones_sent(
    server: LiveServer, document
) -> None:
    """The demo's registration, goal and first review are recorded as they stand (in the
    test world's department); each refusal met on the way carries a problem type its status
    declares."""
    world = build_world(server.services)
    token = issue_token(server.services, world.login("wangfang"))
    registration = {
        **_example(document, "POST", "/objects"),
        "department_id": str(world.org("D101")),
    }
    goal = _example(document, "POST", "/objects/{object_id}/goal/submit")
    sent = []
    with server.client() as anonymous:
        sent.append(("GET", "/objects", anonymous.get("/objects")))
    with server.client(token) as client:
        sent.append(("POST", "/objects", client.post("/objects", content=b"[" * 3_000_000)))
        sent.append(("POST", "/objects", client.post("/objects", json={"fiscal_year": "x"})))
        sent.append(("POST", "/jurisdictions", client.post("/jurisdictions", json={})))
        created = client.post("/objects", json=registration)
        assert created.status_code == 201, created.text
        submit = f"/objects/{created.json()['id']}/goal/submit"
        stale = client.post(submit, json=goal, headers={"If-Match": '"7"'})
        sent.append(("POST", "/objects/{object_id}/goal/submit", stale))
        submitted = client.post(submit, json=goal, headers={"If-Match": '"1"'})
        assert submitted.status_code == 200, submitted.text
        assert submitted.json()["version"] == 2
    review = _example(document, "POST", "/objects/{object_id}/goal/reviews")
    business_section = issue_token(server.services, world.login("chenjing"))
    with server.client(business_section) as client:
        reviewed = client.post(submit.replace("submit", "reviews"), json=review)
        assert reviewed.status_code == 200, reviewed.text
    statuses = []
    for method, path, response in sent:
        assert response.headers["content-type"].startswith(PROBLEM)
        problem = response.json()
        statuses.append((response.status_code, problem["type"]))
        assert f"`{problem['type']}`" in _declared(document, method, path, response.status_code)
    assert [s for s, _ in statuses] == [401, 413, 422, 403, 409]
    assert statuses[-1][1] == "urn:jixiao:problem:version-conflict"  # a stale If-Match: 409


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href", "spec-url") and v]


def _same_origin_urls(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    urls = parser.urls + re.findall(r"url: '([^']+)'", html)
    for url in urls:
        assert not url.startswith("//"), url
        assert urlsplit(urljoin(base, url)).netloc == urlsplit(base).netloc, url
    assert "://" not in html, "an absolute URL in the page: it would leave the intranet"
    return urls


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        ("/docs", {".js", ".css", ".png", ".json"}),
        ("/redoc", {".js", ".png", ".json"}),
    ],
)
def test_the_documentation_pages_fetch_nothing_from_another_host(
    server: LiveServer, page: str, assets: set[str]
) -> None:
    with server.client() as client:
        response = client.get(page)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        urls = _same_origin_urls(server.url + page, response.text)
        assert {u[u.rindex(".") :] for u in urls} == assets
        for url in urls:
            asset = client.get(urljoin(server.url + page, url))
            assert asset.status_code == 200, url
            assert len(asset.content) > 1000, url
        if page == "/redoc":
            assert "fonts.googleapis" not in response.text
        else:
            assert '"validatorUrl": null' in response.text  # no badge from a public validator
            assert client.get("/docs/oauth2-redirect").status_code == 200
