"""The referral package a discipline commission receives (移送材料): one JSON file whose every
cited record is proved against one signed tree head, checked offline by `jixiao verify-proof`
with only the public key, failing on any changed byte and naming the event; and the same
package as a PDF in Chinese that prints the JSON's SHA-256 and the head."""

from __future__ import annotations

import copy
import hashlib
import io
import json
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from domain.values import EvidenceRef
from infrastructure.bootstrap import Services
from infrastructure.cli.commands import app
from infrastructure.integrity.case_package import (
    RecordedSubtrees,
    SharedSubtrees,
    package_sha256,
)
from infrastructure.integrity.case_pdf import render_case_pdf
from infrastructure.integrity.merkle import (
    inclusion_proof,
    list_range_hash,
    root_of,
    verify_inclusion,
)
from infrastructure.integrity.service import IntegrityService
from infrastructure.settings import Settings
from tests.api.test_cases import _tamper
from tests.conftest import LiveServer, issue_token
from tests.fixtures_world import World, build_world
from tests.http_checks import ok
from tests.unit.test_accountability import reviewed_project

DOC_SHA = hashlib.sha256("审计底稿".encode()).hexdigest()
PERSONS = (  # login, name, the cited act, the part the package gives it
    ("wangfang", "王芳", "GoalSubmitted", "填报 prepared"),
    ("chenjing", "陈静", "GoalReviewed:initial", "审核 reviewed"),
    ("liuqiang", "刘强", "GoalReviewed:second", "审核 reviewed"),
)


def _referred_case(server: LiveServer, world: World) -> tuple[UUID, dict[str, int]]:
    """A case opened by the audit bureau citing three acts of a project's goal, naming the
    three people who did them, referred to 浔阳区纪委监委: all through the ledger's commands."""
    ledger = server.services.ledger
    oid, events = reviewed_project(ledger, world)
    auditor = world.act_as("fengshen", business_date=date(2023, 5, 20))
    case_id = ledger.accountability.open_case(
        auditor,
        mof_div_code=world.mof_div_code,
        fiscal_year=2023,
        case_no="浔审移〔2023〕7号",
        finding_kind="falsification",
        object_ids=[oid],
        description="目标虚报，初审、复核均未核实",
    ).aggregate_id
    positions = {}
    for _, _, key, _ in PERSONS:
        position, originator, version = events[key]
        ledger.accountability.cite_event_in_case(
            auditor, case_id, position, originator, version, key
        )
        positions[key] = position
    ledger.accountability.attach_case_documents(
        auditor, case_id, [EvidenceRef("审计底稿.pdf", DOC_SHA)], "审计工作底稿"
    )
    for login, _, key, _ in PERSONS:
        ledger.accountability.name_responsible_person(
            auditor, case_id, str(world.person(login)), [positions[key]], f"{key} 失职"
        )
    ledger.accountability.refer_case(
        world.act_as("fengshen", business_date=date(2023, 6, 1)),
        case_id,
        world.org("JW"),
        "浔审移函〔2023〕7号",
    )
    assert server.services.follower.wait_for(server.services.follower.head(), 5)
    return case_id, positions


def _verify(path: Path, key_file: Path):
    return CliRunner().invoke(app, ["verify-proof", str(path), "--public-key", str(key_file)])


def _flip_in_record(raw: bytes, event_id: str) -> bytes:
    """Change one ASCII digit of the stored state of the cited record `event_id`, in the
    file's bytes (keys are sorted: the entry's `event_id` comes just before its record)."""
    at = raw.index(b'"state_text": "', raw.index(f'"event_id": "{event_id}"'.encode()))
    at += len(b'"state_text": "')
    while not raw[at : at + 1].isdigit():
        at += 1
    flipped = str((int(raw[at : at + 1]) + 1) % 10).encode()
    return raw[:at] + flipped + raw[at + 1 :]


@pytest.fixture
def world(server: LiveServer) -> World:
    return build_world(server.services)


def test_referral_package_verifies_offline_and_prints(
    server: LiveServer, world: World, tmp_path: Path
) -> None:
    case_id, positions = _referred_case(server, world)
    discipline = server.client(issue_token(server.services, "jiangwei"))
    key_file = tmp_path / "ledger.pub"
    key_file.write_text(ok(discipline.get("/integrity/public-key"))["public_key_pem"])

    r = discipline.get(f"/cases/{case_id}/package")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    path = tmp_path / "case.json"
    path.write_bytes(r.content)
    package = json.loads(r.content)
    digest = hashlib.sha256(r.content).hexdigest()
    assert digest == package_sha256(package)  # served as its canonical JSON

    # The facts, the chain of cited acts with full records, the persons with their parts.
    assert (package["case_no"], package["status"]) == ("浔审移〔2023〕7号", "referred")
    assert package["jurisdiction"]["name"] == "浔阳区"
    assert (package["opened_by_name"], package["referred_by_name"]) == ("冯慎", "冯慎")
    assert package["referred_to_name"] == "浔阳区纪委监委"
    assert [e["cited_position"] for e in package["evidence"]] == sorted(positions.values())
    for e in package["evidence"]:
        assert e["record"]["position"] == e["cited_position"]
        assert e["record"]["state_text"] and e["inclusion_proof"] is not None
    by_name = {p["name"]: p for p in package["persons"]}
    for _, name, key, part in PERSONS:
        (act,) = by_name[name]["acts"]
        assert (act["position"], act["part"]) == (positions[key], part)
    assert [d["sha256"] for d in package["documents"]] == [DOC_SHA]
    assert package["findings"] == []
    assert [e["event"].split(".")[-1] for e in package["case_events"]] == [
        "Opened", "EventCited", "EventCited", "EventCited", "DocumentsAttached",
        "ResponsiblePersonNamed", "ResponsiblePersonNamed", "ResponsiblePersonNamed", "Referred",
    ]  # fmt: skip
    head = package["tree_head"]
    assert package["public_key"]["key_id"] == head["key_id"]

    done = _verify(path, key_file)
    assert done.exit_code == 0, done.output
    assert f"package SHA-256 {digest}" in done.output

    # One changed byte in one cited record: fails, naming that event.
    reviewed = next(
        e for e in package["evidence"] if e["cited_position"] == positions[PERSONS[1][2]]
    )
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(_flip_in_record(r.content, reviewed["event_id"]))
    done = _verify(tampered, key_file)
    assert done.exit_code == 1, done.output
    assert f"cited event at position {reviewed['cited_position']}" in done.output
    assert reviewed["event_id"] in done.output
    others = [str(p) for p in positions.values() if p != reviewed["cited_position"]]
    assert not any(f"position {p} " in done.output for p in others)

    # A person's act moved to someone else's event, and a key that did not sign: fail too.
    moved = copy.deepcopy(package)
    moved["persons"][0]["acts"][0]["position"] = positions["GoalReviewed:second"]
    (tmp_path / "moved.json").write_text(json.dumps(moved, ensure_ascii=False))
    done = _verify(tmp_path / "moved.json", key_file)
    assert done.exit_code == 1 and "responsible person" in done.output

    # The PDF: Chinese names, events and positions, the JSON's SHA-256 and the head.
    r = discipline.get(f"/cases/{case_id}/package.pdf")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    for _, name, key, part in PERSONS:
        assert name in text
        assert part.split()[0] in text
        assert str(positions[key]) in text
    assert "GoalSubmitted" in text and "GoalReviewed" in text
    assert all(e["record_sha256"] in text for e in package["evidence"])  # never broken
    assert digest in text
    assert head["root_hash"] in text and head["key_id"] in text and head["signature"] in text
    assert "浔阳区纪委监委" in text and "浔审移〔2023〕7号" in text

    # Frozen at referral: the commission's receipt is a later event, the evidence is the same,
    # proved against the newer head.
    ok(discipline.post(f"/cases/{case_id}/receipt", json={}))
    r = discipline.get(f"/cases/{case_id}/package")
    later = json.loads(r.content)
    assert later["tree_head"]["tree_size"] > head["tree_size"]
    assert [e["record"] for e in later["evidence"]] == [e["record"] for e in package["evidence"]]
    path.write_bytes(r.content)
    assert _verify(path, key_file).exit_code == 0

    # A large package runs over several pages, the headers repeated.
    big = copy.deepcopy(package)
    big["evidence"] = [
        {**package["evidence"][i % 3], "cited_position": 10_000 + i} for i in range(150)
    ]
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(render_case_pdf(big))).pages]
    holding = [i for i, t in enumerate(texts) if "100" in t and "记录哈希 SHA-256" in t]
    assert len(texts) >= 4 and len(holding) >= 3  # the events' header on each of their pages
    assert all(f"{10_000 + i}" in "".join(texts) for i in (0, 75, 149))


def test_package_reach(server: LiveServer, world: World) -> None:
    """Discipline reaches cases referred to its own commission, nothing else; departments
    never read case files."""
    case_id, _ = _referred_case(server, world)
    nanchang = build_world(server.services, "360100", "南昌市", prefix="nc.")
    outsider = server.client(issue_token(server.services, nanchang.login("jiangwei")))
    staff = server.client(issue_token(server.services, "wangfang"))
    auditor = server.client(issue_token(server.services, "fengshen"))
    for route in ("package", "package.pdf"):
        r = outsider.get(f"/cases/{case_id}/{route}")
        assert r.status_code == 403 and r.json()["type"].endswith(":out-of-scope"), r.text
        r = staff.get(f"/cases/{case_id}/{route}")
        assert r.status_code == 403 and r.json()["type"].endswith(":forbidden"), r.text
        assert auditor.get(f"/cases/{case_id}/{route}").status_code == 200
    r = auditor.get("/cases/00000000-0000-4000-8000-000000000000/package")
    assert r.status_code == 404


def test_cli_writes_the_pdf_and_its_json(
    server: LiveServer, world: World, settings: Settings, tmp_path: Path, monkeypatch
) -> None:
    case_id, _ = _referred_case(server, world)
    monkeypatch.setenv("JIXIAO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("JIXIAO_TOKEN_SIGNING_KEY", settings.token_signing_key)
    monkeypatch.setenv("JIXIAO_INTEGRITY_SIGNING_KEY", settings.integrity_signing_key)
    monkeypatch.setenv("JIXIAO_ENVIRONMENT", "production")
    pdf, package = tmp_path / "case.pdf", tmp_path / "case.json"
    done = CliRunner().invoke(app, ["package-pdf", str(case_id), str(pdf), "--json", str(package)])
    assert done.exit_code == 0, done.output
    digest = hashlib.sha256(package.read_bytes()).hexdigest()
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert digest in text and "王芳" in text


def test_shared_subtrees_give_the_same_proofs_reading_the_chain_about_once() -> None:
    leaves = [hashlib.sha256(str(i).encode()).digest() for i in range(20_000)]
    read = []

    def counting(start: int, end: int) -> bytes:
        read.append(end - start)
        return list_range_hash(leaves)(start, end)

    shared = SharedSubtrees(counting, direct=64)
    wanted = [3, 17_000, 19_990, 19_991, 19_999, 12_345]
    for index in wanted:
        proof = inclusion_proof(index, len(leaves), shared)
        assert proof == inclusion_proof(index, len(leaves), list_range_hash(leaves))
        assert verify_inclusion(index, len(leaves), leaves[index], proof, root_of(leaves))
    assert sum(read) < 1.1 * len(leaves)
    read.clear()
    inclusion_proof(wanted[0], len(leaves), counting)
    assert sum(read) >= len(leaves) - 1  # each proof alone reads about all of them


def test_a_record_altered_in_the_store_after_citation_fails_the_package(
    server: LiveServer, world: World, tmp_path: Path
) -> None:
    """The package is made from the log as stored: a record changed behind the ledger's back
    is still packaged, and the package then fails verification naming that event."""
    case_id, positions = _referred_case(server, world)
    _tamper(server, positions["GoalSubmitted"])
    discipline = server.client(issue_token(server.services, "jiangwei"))
    key_file = tmp_path / "ledger.pub"
    key_file.write_text(ok(discipline.get("/integrity/public-key"))["public_key_pem"])
    r = discipline.get(f"/cases/{case_id}/package")
    assert r.status_code == 200, r.text
    path = tmp_path / "case.json"
    path.write_bytes(r.content)
    done = _verify(path, key_file)
    assert done.exit_code == 1, done.output
    failed = [line for line in done.output.splitlines() if line.startswith("FAILED")]
    assert failed and all(f"position {positions['GoalSubmitted']} " in f for f in failed)
    assert any("pinned when it was cited" in f for f in failed)


def test_recorded_subtrees_are_the_roots_of_the_leaves(services: Services) -> None:
    """Every perfect subtree read from the chain's recorded hashes is the root of its leaves,
    and proofs made from them are the proofs made from the leaves alone."""
    world = build_world(services)
    reviewed_project(services.ledger, world)
    integrity = IntegrityService.from_services(services)
    size = integrity.head().tree_size
    recorded = RecordedSubtrees(integrity.db)
    for k in range(size.bit_length()):
        for start in range(0, size - (1 << k) + 1, 1 << k):
            assert recorded(start, 1 << k) == integrity.subtree(start, start + (1 << k))
    shared = SharedSubtrees(integrity.subtree, recorded, direct=1)
    for index in range(size):
        assert inclusion_proof(index, size, shared) == inclusion_proof(
            index, size, integrity.subtree
        )
