"""National files with errors are refused whole: nothing is recorded and each problem names
its file, data row and column; a file changed after its import is refused too; the CLI
imports with a progress bar, checks with --dry-run and exits 1 listing the problems."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrastructure.bootstrap import Services
from infrastructure.cli.commands import app
from infrastructure.demo.load import load_demo
from infrastructure.national.importer import import_year
from infrastructure.national.problems import ImportRefused
from infrastructure.settings import Settings
from tests.integration.national_helpers import (
    LOGIN,
    MOF,
    YEAR,
    empty_ledger,
    importer,
    second_database,
)
from tests.integration.test_national_round_trip import exported


def edit(path: Path, row: int, **cells: str) -> None:
    """Set cells of a 1-based data row of an exported CSV file."""
    lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    header = lines[0]
    for column, value in cells.items():
        lines[row][header.index(column)] = value
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(lines)


def rows_of(path: Path) -> list[dict]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def refused(services: Services, directory: Path) -> set[tuple[str, int | None, str | None]]:
    head = services.follower.head()
    with pytest.raises(ImportRefused) as caught:
        import_year(services.ledger, [directory], MOF, YEAR, importer(services))
    assert services.follower.head() == head, "a refused import recorded something"
    return {(p.file, p.row, p.column) for p in caught.value.problems}


def test_every_problem_is_listed_with_file_row_and_column_and_nothing_recorded(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    load_demo(services.ledger, services.signer, services.settings)
    directory = exported(services, tmp_path / "csv", "csv")
    goals, indicators = directory / "PM_PERF_GOAL_INFO.csv", directory / "PM_PERF_INDICATOR.csv"
    tasks, info = directory / "PAY_PERF_MONITOR_TASK.csv", directory / "PAY_PERF_MONITOR_INFO.csv"
    edit(goals, 2, pro_name="")  # required
    edit(goals, 3, apply_amt="12.345")  # below the fen
    edit(goals, 4, pro_attr="续建")  # neither 新增 nor 延续
    edit(indicators, 3, computesign="约等于")
    edit(tasks, 1, data_end_date="2023-05-31")  # not a period of the policy
    # Two rows of the second task (the first goal's project, which stays valid).
    second = rows_of(tasks)[1]["perf_task_no"]
    numeric = next(
        n
        for n, r in enumerate(rows_of(info), 1)
        if r["perf_task_no"] == second and r["kpi_val"].replace(".", "").isdigit()
    )
    edit(info, numeric, perf_comp="十四")
    edit(info, numeric + 1, complete_rate="也许")
    with empty_ledger(database_url) as target:
        problems = refused(target, directory)
    assert {
        ("PM_PERF_GOAL_INFO.csv", 2, "pro_name"),
        ("PM_PERF_GOAL_INFO.csv", 3, "apply_amt"),
        ("PM_PERF_GOAL_INFO.csv", 4, "pro_attr"),
        ("PM_PERF_INDICATOR.csv", 3, "computesign"),
        ("PAY_PERF_MONITOR_TASK.csv", 1, "data_end_date"),
        ("PAY_PERF_MONITOR_INFO.csv", numeric, "perf_comp"),
        ("PAY_PERF_MONITOR_INFO.csv", numeric + 1, "complete_rate"),
    } <= problems


def test_a_file_changed_after_its_import_is_refused_not_skipped(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    load_demo(services.ledger, services.signer, services.settings)
    directory = exported(services, tmp_path / "csv", "csv")
    with empty_ledger(database_url) as target:
        import_year(target.ledger, [directory], MOF, YEAR, importer(target))
        edit(directory / "PM_PERF_GOAL_INFO.csv", 1, apply_amt="1.00")
        info = directory / "PAY_PERF_MONITOR_INFO.csv"
        rows = rows_of(info)
        first_task = [
            n for n, r in enumerate(rows, 1) if r["perf_task_no"] == rows[0]["perf_task_no"]
        ]
        for n in first_task:  # every row of the task: one entry, executed 1.00
            edit(info, n, pro_bgt_comp="1.00")
        edit(  # a row of another task, valid but not what was recorded
            info,
            len(rows),
            perf_comp="0",
            complete_rate="有可能",
            ana_dev_reasons="资金未到位",
            correct_measures="督促拨付",
        )
        problems = refused(target, directory)
    assert ("PM_PERF_GOAL_INFO.csv", 1, "apply_amt") in problems
    assert ("PAY_PERF_MONITOR_INFO.csv", 1, "pro_bgt_comp") in problems
    assert ("PAY_PERF_MONITOR_INFO.csv", len(rows), "perf_comp") in problems
    assert not [p for p in problems if p[0] == "PM_PERF_INDICATOR.csv"]


def test_the_cli_exports_checks_imports_and_refuses(
    services: Services, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_demo(services.ledger, services.signer, services.settings)
    services.follower.catch_up()
    for name, value in (
        ("JIXIAO_DATABASE_URL", settings.database_url),
        ("JIXIAO_TOKEN_SIGNING_KEY", settings.token_signing_key),
        ("JIXIAO_INTEGRITY_SIGNING_KEY", settings.integrity_signing_key),
        ("JIXIAO_ENVIRONMENT", "production"),
    ):
        monkeypatch.setenv(name, value)
    runner, out = CliRunner(), tmp_path / "xlsx"
    year = ["--jurisdiction", MOF, "--year", str(YEAR)]
    done = runner.invoke(app, ["national", "export", str(out), *year, "--format", "xlsx"])
    assert done.exit_code == 0, done.output
    assert len(list(out.glob("*.xlsx"))) == 8  # six tables of the year, two of the library

    with second_database(settings.database_url) as target_url:
        monkeypatch.setenv("JIXIAO_DATABASE_URL", target_url)
        _import_through_the_cli(runner, out, year)


def _import_through_the_cli(runner: CliRunner, out: Path, year: list[str]) -> None:
    admin = ["--mof-div-code", MOF, "--jurisdiction-name", "浔阳区", "--login", LOGIN]
    nobody = runner.invoke(app, ["national", "import", str(out), *year, "--person", "nobody"])
    assert nobody.exit_code == 1 and "no registered person" in nobody.output, nobody.output
    assert runner.invoke(app, ["admin", "create", *admin, "--name", "赵迁移"]).exit_code == 0
    command = ["national", "import", str(out), *year, "--person", LOGIN]
    dry = runner.invoke(app, [*command, "--dry-run"])
    assert dry.exit_code == 0 and "dry run" in dry.output, dry.output
    done = runner.invoke(app, command)
    assert done.exit_code == 0 and "objects 9" in done.output, done.output
    assert "library entries 3" in done.output, done.output
    again = runner.invoke(app, command)
    assert "recorded: nothing" in again.output, again.output
    (out / "STRAY_TABLE.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    bad = runner.invoke(app, command)
    assert bad.exit_code == 1 and "STRAY_TABLE.csv, header: not a national table" in bad.output
