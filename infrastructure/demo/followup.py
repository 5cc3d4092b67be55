"""The demo's follow-up of findings: rectification notices (整改) with the department's answer
and the business section's verification, and an accountability case (追责问责) built from
the ledger's own records and referred to discipline inspection."""

from __future__ import annotations

from typing import Any

from domain.accountability.model import AccountabilityCase
from domain.evaluation.model import EVALUATION_KINDS
from infrastructure.demo.context import Demo, documents


def rectify(demo: Demo, notices: list[dict[str, Any]]) -> None:
    for row in notices:
        _notice(demo, row)


def _notice(demo: Demo, row: dict[str, Any]) -> None:
    ledger = demo.ledger
    evaluation = row.get("evaluation")
    issued = demo.first(
        "rectification notices",
        lambda: ledger.rectification.issue_rectification(
            demo.act(row["by"], row["date"]),
            demo.object_id(row["pro_code"]),
            row["notice_ref"],
            row["problems"],
            demo.evaluation_id(row["pro_code"], evaluation) if evaluation else None,
        ),
    )
    if issued is None:
        return
    if answer := row.get("response"):  # none: the notice stays open (and falls overdue)
        demo.did(
            "rectification answers",
            ledger.rectification.respond_rectification(
                demo.act(answer["by"], answer["date"], None, answer["evidence"]),
                issued.aggregate_id,
                answer["text"],
            ),
        )
    if check := row.get("verification"):
        demo.did(
            "rectifications verified",
            ledger.rectification.verify_rectification(
                demo.act(check["by"], check["date"]), issued.aggregate_id, check["comments"]
            ),
        )


def hold_to_account(demo: Demo, cases: list[dict[str, Any]]) -> None:
    for row in cases:
        _case(demo, row)


def _case(demo: Demo, row: dict[str, Any]) -> None:
    ledger, opener = demo.ledger, row["opened_by"]
    opened = demo.first(
        "accountability cases",
        lambda: ledger.accountability.open_case(
            demo.act(opener, row["opened_on"]),
            mof_div_code=demo.mof_div_code,
            fiscal_year=demo.fiscal_year,
            case_no=row["case_no"],
            finding_kind=row["finding_kind"],
            object_ids=[demo.object_id(p) for p in row["pro_codes"]],
            description=row["description"],
        ),
    )
    if opened is None:
        return
    case_id = opened.aggregate_id
    positions = []
    for cited in row["citations"]:
        # A record of an evaluation of the object (self, spot_check, ...) or of the object.
        of = cited["of"]
        origin = (
            demo.evaluation_id(cited["pro_code"], of)
            if of in EVALUATION_KINDS
            else demo.object_id(cited["pro_code"])
        )
        position, version = demo.record_of(origin, cited["event"])
        positions.append(position)
        demo.did(
            "case acts",
            ledger.accountability.cite_event_in_case(
                demo.act(opener, row["opened_on"]),
                case_id,
                position,
                origin,
                version,
                cited["note"],
            ),
        )
    if docs := row.get("documents"):
        demo.did(
            "case acts",
            ledger.accountability.attach_case_documents(
                demo.act(opener, row["opened_on"]),
                case_id,
                list(documents(docs)),
                row["documents_description"],
            ),
        )
    case = ledger.load(AccountabilityCase, case_id)
    for named in row["responsible"]:
        # The person is whoever did the cited act, as the ledger recorded it.
        acts = [positions[i] for i in named["citations"]]
        person_id = case.citations[acts[0]].actor.person_id
        demo.did(
            "case acts",
            ledger.accountability.name_responsible_person(
                demo.act(opener, row["opened_on"]), case_id, person_id, acts, named["description"]
            ),
        )
    referral = row["referral"]
    demo.did(
        "case acts",
        ledger.accountability.refer_case(
            demo.act(referral["by"], referral["date"]),
            case_id,
            demo.org[referral["to"]],
            referral["letter"],
        ),
    )
    if received := row.get("received"):
        demo.did(
            "case acts",
            ledger.accountability.receive_case(demo.act(received["by"], received["date"]), case_id),
        )
    if decided := row.get("decided"):
        demo.did(
            "case acts",
            ledger.accountability.decide_case(
                demo.act(decided["by"], decided["date"], decided["reason"]),
                case_id,
                decided["outcome"],
            ),
        )
