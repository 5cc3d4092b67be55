"""The demo loads through the real commands, idempotently; the CLI issues usable tokens."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from infrastructure.bootstrap import Services
from infrastructure.cli import app
from infrastructure.demo import load_demo
from infrastructure.settings import Settings
from projections.objects_view import list_objects


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
    assert first.recorded["objects"] == 7 and not first.present
    second = load_demo(services.ledger, services.signer, services.settings)
    assert services.follower.head() == head, "a second load recorded something"
    assert not second.recorded and second.people == first.people

    services.follower.catch_up()
    with services.views_db.transaction(write=False) as cur:
        rows = list_objects(cur, mof_div_code="360403", fiscal_year=2023)
    statuses = sorted(r["goal_status"] for r in rows)
    assert statuses.count("approved") == 6 and "under_review" in statuses
    amounts = {r["name"]: r["amount"] for r in rows}
    assert amounts["浔阳云创科技产业园(都市工业基地)项目"] == "70000000.00"

    # Each demo person's token stands for that person, as the API will see them.
    for login, (name, role, token) in first.people.items():
        claim = services.signer.verify(token)
        actor = services.ledger.actor_for_token(claim.person_id, claim.token_id, datetime.now(UTC))
        assert (actor.name, actor.role) == (name, role), login


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
    actor = services.ledger.actor_for_token(claim.person_id, claim.token_id, datetime.now(UTC))
    assert (actor.name, actor.role) == ("信丰管理员", "administrator")

    assert cli_env.invoke(app, ["token", "revoke", token]).exit_code == 0
    from domain.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.ledger.actor_for_token(claim.person_id, claim.token_id, datetime.now(UTC))

    unknown = cli_env.invoke(app, ["token", "issue", "--person", "nobody"])
    assert unknown.exit_code == 2
