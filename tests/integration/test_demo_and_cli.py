"""The demo loads through the real commands, idempotently; the CLI issues usable tokens."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from domain.supervision.model import npc_submission_id
from infrastructure.bootstrap import Services
from infrastructure.cli.commands import app
from infrastructure.demo.load import load_demo
from infrastructure.settings import Settings
from projections.case_view import case_package, list_cases
from projections.evaluation_view import list_evaluations
from projections.monitoring_view import list_tasks
from projections.objects_view import list_objects
from projections.rectification_view import list_rectifications
from projections.result_view import list_funding_blocks, list_results
from projections.supervision_view import npc_submission, publications, work_scores
from tests.conftest import LiveServer

GANTANG = "360403233010001"  # 甘棠街道老旧小区改造: self-score inflated
JINJIPO = "360403233010002"  # 金鸡坡街道老旧小区改造: seriously behind at H1


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("JIXIAO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("JIXIAO_TOKEN_SIGNING_KEY", settings.token_signing_key)
    monkeypatch.setenv("JIXIAO_INTEGRITY_SIGNING_KEY", settings.integrity_signing_key)
    monkeypatch.setenv("JIXIAO_ENVIRONMENT", "production")
    return CliRunner()


def test_demo_is_recorded_through_commands_and_loads_once(services: Services) -> None:
    first = load_demo(services.ledger, services.signer, services.settings)
    head = services.follower.head()
    assert first.recorded["objects"] == 9 and not first.present
    assert first.recorded["monitoring entries"] == 24 and first.recorded["spot checks"] == 3
    second = load_demo(services.ledger, services.signer, services.settings)
    assert services.follower.head() == head, "a second load recorded something"
    assert not second.recorded and second.people == first.people
    assert second.present["objects"] == 9 and second.present["NPC submissions"] == 1
    assert first.recorded["library entries"] == second.present["library entries"] == 3

    services.follower.catch_up()
    with services.views_db.transaction(write=False) as cur:
        rows = list_objects(cur, mof_div_code="360403", fiscal_year=2023)
    statuses = sorted(r["goal_status"] for r in rows)
    assert statuses.count("approved") == 8 and "under_review" in statuses
    amounts = {r["name"]: r["amount"] for r in rows}
    assert amounts["浔阳云创科技产业园(都市工业基地)项目"] == "70000000.00"

    # Each demo person's token stands for that person, as the API will see them.
    for login, (name, role, token) in first.people.items():
        claim = services.signer.verify(token)
        actor = services.ledger.registry.actor_for_token(
            claim.person_id, claim.token_id, datetime.now(UTC)
        )
        assert (actor.name, actor.role) == (name, role), login


def test_demo_year_gives_every_view_something_true(services: Services) -> None:
    load_demo(services.ledger, services.signer, services.settings)
    services.follower.catch_up()
    with services.views_db.transaction(write=False) as cur:
        tasks = list_tasks(cur, mof_div_code="360403", fiscal_year=2023)
        evaluations = list_evaluations(cur, mof_div_code="360403", fiscal_year=2023)
        [block] = list_funding_blocks(cur, mof_div_code="360403")
        notices = list_rectifications(cur, date(2026, 1, 5), mof_div_code="360403")
        [case] = list_cases(cur, mof_div_code="360403")
        package = case_package(cur, case["case_id"])
        submission = npc_submission(cur, str(npc_submission_id("360403", 2023)))
        scores = work_scores(cur, "360403", 2023)
        published = publications(cur, mof_div_code="360403")
        results = list_results(cur)

    # Monitoring: three rounds of eight objects; 金鸡坡 seriously behind at H1, its entry
    # corrected after the business section ordered correction, and back on track later.
    assert len(tasks) == 24 and {t["period_code"] for t in tasks} == {"H1", "M10", "M12"}
    [serious] = [t for t in tasks if t["judgement"] == "serious"]
    assert serious["pro_code"] == JINJIPO and serious["period_code"] == "H1"
    assert serious["entry_revision"] == 2
    assert [f["kind"] for f in serious["follow_ups"]] == ["correction_ordered"]
    later = {t["period_code"]: t["judgement"] for t in tasks if t["pro_code"] == JINJIPO}
    assert later == {"H1": "serious", "M10": "on_track", "M12": "on_track"}
    assert sum(t["judgement"] == "warning" for t in tasks) == 1

    # Evaluations: a self-evaluation of each approved object, a department and a finance key
    # evaluation, three spot checks, one of them 15 points or more below the self-score.
    kinds = Counter(e["kind"] for e in evaluations)
    assert kinds == {"self": 8, "spot_check": 3, "department": 1, "finance_key": 1}
    key = next(e for e in evaluations if e["kind"] == "finance_key")
    assert (key["score"], key["grade"]) == ("88.00", "良")
    [gap] = [e for e in evaluations if e["kind"] == "spot_check" and e["gap_rule_met"]]
    assert gap["pro_code"] == GANTANG and Decimal(gap["gap"]) >= 15

    # The block the gap caused was lifted by the verified rectification; another notice is
    # still unanswered past its due date, a third was answered late.
    assert block["pro_code"] == GANTANG and not block["active"] and block["lifted_by_notice"]
    by_status = {n["notice_ref"]: (n["status"], n["late"], n["overdue"]) for n in notices}
    assert by_status == {
        "浔财绩整〔2024〕1号": ("responded", True, False),
        "浔财绩整〔2024〕2号": ("verified", False, False),
        "浔财绩整〔2024〕3号": ("open", False, True),
    }
    assert len(results) == 10 and sum(not r["follows_proposal"] for r in results) == 1

    # The case: referred to the discipline commission, its outcome decided; the person named
    # is whoever submitted the inflated self-evaluation, as the cited event shows.
    assert case["status"] == "closed" and case["referred_to_name"] == "浔阳区纪委监委"
    assert [p["name"] for p in package["persons"]] == ["余晴"]
    assert len(package["evidence"]) == 2

    assert len(submission["department_ids"]) == 6 and len(submission["ratings"]) == 6
    assert len(published) == 5
    assert len(scores) == 6
    [cut] = [s for s in scores if s["budget_cut_proposed"]]
    assert cut["score"] == "88.50"


def test_demo_tokens_read_the_year_over_http(server: LiveServer) -> None:
    services = server.services
    summary = load_demo(services.ledger, services.signer, services.settings)
    assert services.follower.wait_for(services.follower.head(), 10)
    performance = server.client(summary.people["xy.wanglei"][2])
    serious = performance.get(
        "/monitoring/tasks", params={"mof_div_code": "360403", "judgement": "serious"}
    )
    assert serious.status_code == 200, serious.text
    assert [t["pro_code"] for t in serious.json()] == [JINJIPO]
    cuts = performance.get(
        "/supervision/work-scores",
        params={"mof_div_code": "360403", "fiscal_year": 2023, "budget_cut_only": True},
    )
    assert cuts.status_code == 200, cuts.text
    assert [s["score"] for s in cuts.json()] == ["88.50"]


def test_cli_admin_token_issue_and_revoke(services: Services, cli_env: CliRunner) -> None:
    args = [
        "admin",
        "create",
        "--mof-div-code",
        "360734",
        "--jurisdiction-name",
        "信丰县",
        "--login",
        "xf.admin",
        "--name",
        "信丰管理员",
        "--level",
        "county",
    ]
    assert cli_env.invoke(app, args).exit_code == 0
    head = services.follower.head()
    again = cli_env.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert services.follower.head() == head, "bootstrapping twice recorded something"

    issued = cli_env.invoke(app, ["token", "issue", "--person", "xf.admin"])
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip().splitlines()[-1]
    claim = services.signer.verify(token)
    actor = services.ledger.registry.actor_for_token(
        claim.person_id, claim.token_id, datetime.now(UTC)
    )
    assert (actor.name, actor.role) == ("信丰管理员", "administrator")

    assert cli_env.invoke(app, ["token", "revoke", token]).exit_code == 0
    from domain.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.ledger.registry.actor_for_token(claim.person_id, claim.token_id, datetime.now(UTC))

    unknown = cli_env.invoke(app, ["token", "issue", "--person", "nobody"])
    assert unknown.exit_code == 2
