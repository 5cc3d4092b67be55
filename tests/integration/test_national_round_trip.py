"""A year written out in the national layouts and moved into an empty ledger: the same
objects, goals and monitoring entries, each migrated event naming its file's SHA-256 and
row, and a second run records nothing (both stores; CSV, GB18030 CSV and .xlsx files)."""

from __future__ import annotations

import csv
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from infrastructure.bootstrap import Services
from infrastructure.demo.load import load_demo
from infrastructure.national.export import export_year
from infrastructure.national.importer import import_year
from projections.objects_view import list_objects
from tests.integration.national_helpers import MOF, YEAR, empty_ledger, events, importer, state

TABLES = (
    "PM_PERF_GOAL_INFO",
    "PM_PERF_INDICATOR",
    "BGT_PERF_GOAL_INFO",
    "BGT_PERF_INDICATOR",
    "PAY_PERF_MONITOR_TASK",
    "PAY_PERF_MONITOR_INFO",
    "BAS_PERF_INDICATOR",  # the demo's common indicators
    "PERF_T_DEPTINDICATOR",  # none of a department's own: the header alone
)


def exported(services: Services, directory: Path, fmt: str) -> Path:
    """The demo year exported; `gb18030`: the CSV files re-encoded as those systems do."""
    services.follower.catch_up()
    export_year(
        services.ledger,
        services.views_db,
        MOF,
        YEAR,
        directory,
        ("xlsx" if fmt == "xlsx" else "csv",),
    )
    if fmt == "gb18030":
        for path in directory.glob("*.csv"):
            path.write_bytes(path.read_text(encoding="utf-8-sig").encode("gb18030"))
    return directory


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "gb18030"])
def test_an_export_reimported_into_an_empty_ledger_reproduces_the_year(
    services: Services, database_url: str, tmp_path: Path, fmt: str
) -> None:
    load_demo(services.ledger, services.signer, services.settings)
    before = state(services)
    directory = exported(services, tmp_path / fmt, fmt)
    assert sorted(p.stem for p in directory.iterdir()) == sorted(TABLES)

    with empty_ledger(database_url) as target:
        head = target.follower.head()
        signer = importer(target)
        report = import_year(target.ledger, [directory], MOF, YEAR, signer)
        after = state(target)
        assert after == before  # objects, goals (indicators), entries, approvals, modes
        assert report.recorded["objects"] == 9 and report.recorded["goals approved"] == 8
        assert report.recorded["monitoring entries"] == sum(
            1 for o in before.values() for (_, _, entry) in o["monitoring"].values() if entry
        )

        # Every event the import recorded names the file it came from and its data row.
        hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in directory.iterdir()}
        lengths = {p.name: _data_rows(p) for p in directory.iterdir()}
        recorded = events(target.ledger)[head:]
        assert len(recorded) == target.follower.head() - head > 100
        for event in recorded:
            source = event.act.migrated
            assert source is not None, type(event).__qualname__
            assert event.act.actor.person_id == signer.person_id
            assert source.sha256 == hashes[source.file_name]
            assert source.table == Path(source.file_name).stem
            assert 1 <= source.row <= lengths[source.file_name]
        # A goal's submission pins its indicator file too.
        submitted = [e for e in recorded if type(e).__qualname__.endswith("GoalSubmitted")]
        assert all(
            {r.name for r in e.act.evidence}
            & {"PM_PERF_INDICATOR." + _ext(fmt), "BGT_PERF_INDICATOR." + _ext(fmt)}
            for e in submitted
        )

        # The importer signed every act, but prepared and approved nothing, back-dated nothing.
        with target.views_db.transaction(write=False) as cur:
            kinds = {r["kind"] for r in cur.execute("SELECT kind FROM v_findings").fetchall()}
            listed = _listed(cur)
        assert not kinds & {"segregation_breach", "back_dated"}, kinds
        with services.views_db.transaction(write=False) as cur:
            assert listed == _listed(cur)  # the objects view: status, stage, amounts

        again = import_year(target.ledger, [directory], MOF, YEAR, signer)
        assert target.follower.head() == head + len(recorded), "a re-run recorded something"
        assert not again.recorded and again.unchanged == report.recorded


def _listed(cur) -> list[tuple]:
    rows = list_objects(cur, mof_div_code=MOF, fiscal_year=YEAR)
    columns = ("pro_code", "name", "goal_status", "pending_stage", "amount", "approved_amount")
    return sorted(tuple(r[c] for c in columns) for r in rows)


def _ext(fmt: str) -> str:
    return "xlsx" if fmt == "xlsx" else "csv"


def _data_rows(path: Path) -> int:
    if path.suffix == ".xlsx":
        return len(list(load_workbook(path, read_only=True).worksheets[0].iter_rows())) - 1
    data = path.read_bytes()
    text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else data.decode("gb18030")
    return len(list(csv.reader(text.splitlines()))) - 1


def test_amounts_and_chinese_names_are_written_exactly(services: Services, tmp_path: Path) -> None:
    load_demo(services.ledger, services.signer, services.settings)
    directory = exported(services, tmp_path / "csv", "csv")
    raw = (directory / "PM_PERF_GOAL_INFO.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    yunchuang = next(r for r in rows if r["pro_code"] == "360403233040001")
    assert yunchuang["pro_name"] == "浔阳云创科技产业园(都市工业基地)项目"
    assert yunchuang["apply_amt"] == "70000000.00"
    assert Decimal(yunchuang["approved_amt"]) > 0 and yunchuang["pro_attr"] == "新增"
    sheet = exported(services, tmp_path / "xlsx", "xlsx") / "PM_PERF_GOAL_INFO.xlsx"
    cells = list(load_workbook(sheet, read_only=True).worksheets[0].iter_rows(values_only=True))
    header = cells[0]
    by_code = {r[header.index("pro_code")]: r for r in cells[1:]}
    assert by_code["360403233040001"][header.index("apply_amt")] == "70000000.00"
