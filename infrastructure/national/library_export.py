"""The indicator library of a jurisdiction in the national layouts: each entry's current
version as a leaf row (levels in findex/sindex, so no category rows are needed), common
entries in BAS_PERF_INDICATOR and departments' own in PERF_T_DEPTINDICATOR. A retired entry
is written with is_enabled 0 (is_deleted stays 0: jixiao keeps it, and its import records it
then retires it again). Entries are found in the library view, read from the aggregates."""

from __future__ import annotations

from uuid import UUID

from domain.comparators import PRINTED
from domain.ledger import Ledger
from domain.library.model import LibraryIndicator
from domain.library.rules import SCORING_RULES
from domain.registry.model import Organisation
from infrastructure.national.plan import printed_level
from infrastructure.views.viewdb import ViewDatabase


def entry_ids(views: ViewDatabase, mof_div_code: str) -> list[UUID]:
    with views.transaction(write=False) as cur:
        rows = cur.execute(
            "SELECT entry_id FROM v_library_indicators WHERE mof_div_code = ? ORDER BY code",
            (mof_div_code,),
        ).fetchall()
    return [UUID(str(r["entry_id"])) for r in rows]


def library_rows(ledger: Ledger, views: ViewDatabase, mof_div_code: str) -> dict[str, list]:
    tables: dict[str, list[dict]] = {"BAS_PERF_INDICATOR": [], "PERF_T_DEPTINDICATOR": []}
    for entry_id in entry_ids(views, mof_div_code):
        entry = ledger.load(LibraryIndicator, entry_id)
        said = entry.definition
        department = None if entry.is_common else ledger.load(Organisation, entry.department_id)
        row = {
            "mof_div_code": entry.mof_div_code,
            "perf_ind_code": entry.code,
            "perf_ind_name": said.name,
            "findex": printed_level(said.level1, True),
            "sindex": printed_level(said.level2, False),
            "explain": said.explanation or None,
            "computesign": PRINTED[said.comparator],
            "targetunit": said.unit or None,
            "calcformula": said.calculation or None,
            "scoreformula": SCORING_RULES[said.scoring_rule],
            "is_common_ind": "1" if entry.is_common else "0",
            "kpi_val": said.reference_value or None,
            "industry_class": said.industry_major or None,
            "industry_type": said.industry or None,
            "fund_use": said.fund_use or None,
            "pro_type": said.project_type or None,
            "dept_code": department.code if department else None,
            "dept_name": department.name if department else None,
            "keywords": "、".join(said.keywords) or None,
            "level_no": "3",
            "is_leaf": "1",
            "start_date": said.valid_from,
            "end_date": said.valid_to,
            "is_enabled": "0" if entry.retired else "1",
            "is_deleted": "0",
        }
        tables["BAS_PERF_INDICATOR" if entry.is_common else "PERF_T_DEPTINDICATOR"].append(row)
    return tables
