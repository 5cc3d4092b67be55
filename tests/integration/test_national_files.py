"""Reading the national tables' files as those systems write them: headers in any case,
codes a spreadsheet stored as numbers, GB18030 text, "—" for no value, and the library's
tree: its leaf rows are the entries, their levels from the category rows above."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from infrastructure.national.checks import likelihood_of
from infrastructure.national.layouts import layouts, table_of
from infrastructure.national.library_plan import plan_library
from infrastructure.national.plan import plan_of
from infrastructure.national.readers import TableFile, read_table

HEADER = ["MOF_DIV_CODE", "Fiscal_Year", "PRO_CODE", "pro_name", "dept_code", "dept_name"]
HEADER += ["fund_type", "pro_attr", "apply_amt", "last_year_amt", "EXTRA_COLUMN"]


def test_an_xlsx_header_in_any_case_and_numeric_codes_read_as_text(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(
        [
            360403,
            2023.0,
            360403233010001,
            "甘棠街道老旧小区改造",
            301,
            "住建局",
            "政府性基金预算",
            "延续",
            "98400000.10",
            "—",
            "ignored",
        ]
    )
    path = tmp_path / "pm_perf_goal_info_2023.xlsx"
    book.save(path)
    read = read_table(path)
    assert isinstance(read, TableFile) and not read.problems, read
    (row,) = read.rows
    assert row.values["mof_div_code"] == "360403" and row.values["fiscal_year"] == 2023
    assert row.values["pro_code"] == "360403233010001"
    assert row.values["apply_amt"] == Decimal("98400000.10")
    assert row.values["last_year_amt"] is None  # "—" is no value


def test_csv_in_gb18030_and_utf8_without_bom_read_alike(tmp_path: Path) -> None:
    text = (
        ",".join(HEADER)
        + "\n360403,2023,P1,城镇老旧小区改造（二期）,301,住建局,一般公共预算,新增,100.00,,\n"
    )
    for name, data in (("gb", text.encode("gb18030")), ("utf8", text.encode("utf-8"))):
        path = tmp_path / name
        path.mkdir()
        (path / "PM_PERF_GOAL_INFO.csv").write_bytes(data)
        read = read_table(path / "PM_PERF_GOAL_INFO.csv")
        assert read.rows[0].values["pro_name"] == "城镇老旧小区改造（二期）", name


def test_required_columns_and_cells_are_named_where_missing(tmp_path: Path) -> None:
    path = tmp_path / "PM_PERF_GOAL_INFO.csv"
    path.write_text("mof_div_code,fiscal_year,pro_code\n360403,23,P1\n", encoding="utf-8")
    read = read_table(path)
    missing = {p.column for p in read.problems}
    assert {"pro_name", "dept_code", "apply_amt"} <= missing
    assert all(p.row is None for p in read.problems)  # the header's problems
    path.write_text(
        ",".join(HEADER) + "\n360403,23,P1,,301,局,一般公共预算,新增,1.001,,\n", encoding="utf-8"
    )
    problems = {(p.row, p.column) for p in read_table(path).problems}
    assert problems == {(1, "fiscal_year"), (1, "pro_name"), (1, "apply_amt")}


LIBRARY = (
    "perf_ind_code,perf_ind_name,findex,sindex,computesign,meterunit,parent_id,level_no,"
    "is_leaf,is_deleted,is_enabled,keywords,start_date\n"
)
LIBRARY += """L1,产出指标,,,,,,1,0,,,,
L1-01,数量指标,,,,,L1,2,,,,,
C01,改造户数,,,≥,户,L1-01,3,1,0,1,"老旧小区、改造，户数",2023-01-01
C02,验收合格率,产出指标,质量指标,＝,%,,,1,1,,,
C03,服务对象满意度,满意度指标,服务对象满意度指标,≥,%,,,,,否,,
"""


def test_the_library_tree_gives_its_leaves_as_entries_with_their_levels(tmp_path: Path) -> None:
    assert table_of("perf_t_deptindicator-2023") == "PERF_T_DEPTINDICATOR"
    assert layouts()["BAS_PERF_INDICATOR"].imported and layouts()["PERF_T_DEPTINDICATOR"].imported
    path = tmp_path / "BAS_PERF_INDICATOR.csv"
    path.write_text(LIBRARY, encoding="utf-8")
    files = [read_table(path)]
    plan = plan_of(files, "360403", 2023)
    plan_library(plan, files)
    assert not plan.problems and not plan.not_imported
    assert list(plan.library) == ["C01", "C02", "C03"]  # the category rows are not entries
    c01, c02, c03 = plan.library.values()
    assert (c01.values["level1"], c01.values["level2"]) == ("产出", "数量")  # from the parents
    assert c01.values["unit"] == "户" and c01.values["valid_from"] == date(2023, 1, 1)
    assert c01.values["keywords"] == ("老旧小区", "改造", "户数")
    assert (c02.values["level1"], c02.values["level2"]) == ("产出", "质量")
    assert (c03.values["level1"], c03.values["level2"]) == ("满意度", "满意度")
    assert [e.retired for e in (c01, c02, c03)] == [False, True, True]  # deleted, disabled
    assert c01.department is None and c01.cite.row == 3


def test_a_library_flag_that_is_neither_yes_nor_no_is_a_problem_of_its_cell(
    tmp_path: Path,
) -> None:
    path = tmp_path / "PERF_T_DEPTINDICATOR.csv"
    lines = LIBRARY.replace(",1,1,,,", ",1,maybe,,,").splitlines()
    path.write_text("\n".join([lines[0] + ",dept_code", *(r + ",D1" for r in lines[1:])]))
    files = [read_table(path)]
    plan = plan_of(files, "360403", 2023)
    plan_library(plan, files)
    assert {(p.row, p.column) for p in plan.problems} == {(4, "is_deleted")}
    assert list(plan.library) == ["C01", "C03"] and plan.library["C01"].department == "D1"


def test_likelihoods_as_the_provinces_write_them() -> None:
    assert likelihood_of("确定能") == likelihood_of("1-确定能") == "确定能完成"
    assert likelihood_of("有可能完成") == likelihood_of("2") == "有可能完成"
    assert likelihood_of("完全不可能") == "完全不可能完成"
    assert likelihood_of("也许") is None and likelihood_of("4") is None


def test_every_layout_column_says_whether_it_is_confirmed() -> None:
    for layout in layouts().values():
        assert {c.status for c in layout.columns} <= {"confirmed", "assumed"}, layout.table
        assert len(set(layout.names)) == len(layout.names), layout.table


def test_a_damaged_workbook_or_undecodable_text_is_a_problem_of_its_file(tmp_path: Path) -> None:
    (tmp_path / "PM_PERF_GOAL_INFO.xlsx").write_bytes(b"not a zip")
    (tmp_path / "PM_PERF_INDICATOR.csv").write_bytes(b"\xff\xfe\x00\x00pro_code\x81")
    for name in ("PM_PERF_GOAL_INFO.xlsx", "PM_PERF_INDICATOR.csv"):
        (problem,) = read_table(tmp_path / name).problems
        assert problem.file == name and problem.message.startswith("cannot be read")
