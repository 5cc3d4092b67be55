"""Excel forms over real HTTP on both stores: an export is an .xlsx with its Chinese file
name (RFC 5987) and ETag; importing it back records nothing; a dry run shows the rows and
records nothing; a changed form needs its reason, then runs as the command with
Idempotency-Key and If-Match; what is not an .xlsx is 415/422, too large 413, never 500."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from tests.conftest import LiveServer
from tests.fixtures_world import World, build_world
from tests.http_checks import assert_refused, client_for, log_head
from tests.integration.forms import hand_filled
from tests.integration.forms.helpers import monitored, self_evaluated

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SENT = {"Content-Type": XLSX}


@pytest.fixture
def world(server: LiveServer) -> World:
    return build_world(server.services)


def _changed(content: bytes, **cells) -> bytes:
    wb = load_workbook(BytesIO(content))
    for at, value in cells.items():
        wb.active[at] = value
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_self_evaluation_form_export_import_over_http(server, world, tmp_path) -> None:
    oid = self_evaluated(server.services.ledger, world)
    staff = client_for(server, world, "wangfang")
    url = f"/objects/{oid}/forms/self-evaluation"

    got = staff.get(url)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == XLSX
    name = quote("老旧小区改造-项目支出绩效自评表.xlsx", safe="")
    assert got.headers["content-disposition"] == (
        f"attachment; filename=\"self_evaluation-P1.xlsx\"; filename*=UTF-8''{name}"
    )
    etag = got.headers["etag"]
    (tmp_path / "自评表.xlsx").write_bytes(got.content)
    assert load_workbook(tmp_path / "自评表.xlsx").active["B3"].value == "老旧小区改造"

    before = log_head(server)
    again = staff.post(url, content=(tmp_path / "自评表.xlsx").read_bytes(), headers=SENT)
    assert again.status_code == 200, again.text
    assert (again.json()["action"], again.json()["recorded"]) == ("unchanged", False)
    assert log_head(server) == before

    changed = _changed(got.content, E13="12")
    unsaid = staff.post(url, params={"dry_run": "true"}, content=changed, headers=SENT).json()
    assert not unsaid["valid"] and "reason" in unsaid["problems"][0]["message"]
    params = {"dry_run": "true", "reason": "补充竣工验收资料"}
    dry = staff.post(url, params=params, content=changed, headers=SENT)
    report = dry.json()
    assert dry.status_code == 200 and report["dry_run"], dry.text
    assert report["valid"], report["problems"]
    assert report["action"] == "revise_self_evaluation"
    assert [r["row"] for r in report["rows"]] == [6, 13, 14, 15, 16]
    assert report["rows"][1]["record"]["actual"] == "12"
    assert log_head(server) == before

    refused = staff.post(url, content=changed, headers=SENT)
    body = assert_refused(server, refused, 422, "form-invalid", before)
    assert "reason" in body["errors"][0]["message"]

    keyed = {**SENT, "Idempotency-Key": "form-1", "If-Match": etag}
    params = {"reason": "补充竣工验收资料", "file_name": "自评表（修改）.xlsx"}
    done = staff.post(url, params=params, content=changed, headers=keyed)
    assert done.status_code == 200, done.text
    assert done.headers["x-form-action"] == "revise_self_evaluation"
    assert done.json()["version"] == int(etag.strip('"')) + 1
    after = log_head(server)
    assert after == before + 1
    replay = staff.post(url, params=params, content=changed, headers=keyed)
    assert replay.headers["idempotent-replayed"] == "true" and log_head(server) == after
    # The same key with another reason is another request, not a replay of the first.
    other = {**params, "reason": "另一理由"}
    reused = staff.post(url, params=other, content=changed, headers=keyed)
    assert reused.status_code == 422 and log_head(server) == after, reused.text
    evaluation = staff.get(f"/evaluations/{done.json()['id']}").json()
    assert evaluation["score"] != "" and log_head(server) == after

    stale = staff.post(
        url, params=params, content=_changed(changed, E13="13"), headers={**SENT, "If-Match": etag}
    )
    assert_refused(server, stale, 409, "version-conflict", after)


def test_what_is_not_a_form_is_refused_never_500(server, world) -> None:
    oid = self_evaluated(server.services.ledger, world)
    staff = client_for(server, world, "wangfang")
    auditor = client_for(server, world, "fengshen")
    other = client_for(server, world, "zhaoyun")  # 卫健委 staff: not their object
    url = f"/objects/{oid}/forms/self-evaluation"
    before = log_head(server)
    as_json = staff.post(url, json={"actuals": []})
    assert_refused(server, as_json, 415, "unsupported-media-type", before)
    garbage = staff.post(url, content=b"PK\x03\x04 not really a zip", headers=SENT)
    assert_refused(server, garbage, 422, "not-a-workbook", before)
    empty = staff.post(url, content=b"", headers=SENT)
    assert_refused(server, empty, 422, "not-a-workbook", before)
    limit = server.services.settings.max_body_bytes
    big = staff.post(url, content=b"\0" * (limit + 1), headers=SENT)
    assert_refused(server, big, 413, "body-too-large", before)
    assert_refused(server, auditor.post(url, content=b"x", headers=SENT), 403, "forbidden", before)
    assert_refused(server, other.get(url), 403, "out-of-scope", before)
    none_yet = staff.get(f"/objects/{oid}/forms/goal".replace(str(oid), "0" * 32))
    assert none_yet.status_code == 404


def test_monitoring_form_imported_over_http(server, world, tmp_path) -> None:
    _, task_id = monitored(server.services.ledger, world, entered=False)
    staff = client_for(server, world, "wangfang")
    url = f"/monitoring/tasks/{task_id}/form"
    content = hand_filled.monitoring(tmp_path / "监控表.xlsx")
    before = log_head(server)
    done = staff.post(url, content=content, headers=SENT)
    assert done.status_code == 200, done.text
    assert done.headers["x-form-action"] == "submit_monitoring_entry"
    assert log_head(server) == before + 2  # the entry and its judgement
    task = staff.get(f"/monitoring/tasks/{task_id}").json()
    assert task["entry"]["budget_executed"] == "25000000.00"
    exported = staff.get(url)
    assert exported.headers["x-form-template"] == "monitoring-national-2020-v1"
    again = staff.post(url, content=exported.content, headers=SENT)
    assert again.json()["action"] == "unchanged" and log_head(server) == before + 2


def test_a_number_no_cell_can_hold_is_refused_by_its_cell_over_http(server, world) -> None:
    oid = self_evaluated(server.services.ledger, world)
    staff = client_for(server, world, "wangfang")
    url = f"/objects/{oid}/forms/self-evaluation"
    bad = _changed(staff.get(url).content, E6="1E+30", E13="1e999999999", E14=1e30)
    before = log_head(server)
    refused = staff.post(url, params={"reason": "更正"}, content=bad, headers=SENT)
    body = assert_refused(server, refused, 422, "form-invalid", before)
    sheet = "项目支出绩效自评表"
    assert {e["field"] for e in body["errors"]} == {f"{sheet}!{c}" for c in ("E6", "E13", "E14")}
