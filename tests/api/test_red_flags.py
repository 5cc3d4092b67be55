"""Red flags on reported figures (统计预警) over HTTP, on both stores.

Jurisdiction-years are built through the ledger's own commands, each act recorded at its
time of the year (time-machine). 南昌 2025 with planted patterns (the same round amounts,
heavy in 5–9, repeated across projects; every indicator at target; every self-score 100
against re-checks of 75; entries filed on their deadline days; a fifth of the year's spending
in December) fires every test; 南昌 2024 with varied, non-round, Benford-distributed figures
filed well before their deadlines fires none (both have six monitoring periods, so 72
projects give the 500 amounts the first-digit test needs); and the same year-end spending in
信丰 and in a jurisdiction under the national default is a December spike by the default
(16.5% a month) and not by 信丰's 25%.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

import time_machine

from domain.evaluation.model import evaluation_id
from domain.evaluation.scoring import IndicatorActual
from domain.monitoring.entry import Entry, IndicatorProgress
from domain.monitoring.model import monitoring_task_id
from tests.conftest import LiveServer
from tests.fixtures_world import INDICATORS, World, build_world
from tests.http_checks import client_for
from tests.scenarios.helpers import indicators

FY = 2025
CHINA = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")
PHI = (Decimal(5).sqrt() - 1) / 2  # golden-ratio steps spread mantissas evenly (Benford)
KINDS = [
    "identical_values",
    "all_at_target",
    "scores_at_top",
    "round_numbers",
    "deadline_bursts",
    "december_spike",
    "benford",
]
PLANTED_M12 = [Decimal(v) for v in ("512340", "687650", "734560", "856780", "945670")]
CLEAN_PARTS = ("0.12", "0.31", "0.55", "0.71", "0.93", "1")  # of the year, Q1 … M12
AT_TARGET = {row["name"]: Decimal(row["value"]) for row in INDICATORS}


@contextmanager
def on_day(day: date, hour: int = 10) -> Iterator[None]:
    """Record the acts inside at this time of day in China (the clock stands still)."""
    with time_machine.travel(datetime.combine(day, time(hour), CHINA), tick=False):
        yield


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class Builder:
    """One jurisdiction's year: objects approved, monitored each period, self-evaluated."""

    def __init__(
        self, server: LiveServer, code: str, name: str, prefix: str, year: int = FY
    ) -> None:
        with on_day(date(year, 1, 6)):
            self.world: World = build_world(server.services, code, name, prefix)
        self.ledger = server.services.ledger
        self.year = year
        self.periods = self.ledger.monitoring.monitoring_schedule(code, year)[1]
        self.objects: list[UUID] = []
        self.entrants: list[str] = []  # who fills in each object's figures (填报)

    def approve(self, budgets: list[Decimal]) -> None:
        w, ledger = self.world, self.ledger
        with on_day(date(self.year, 1, 10)):
            for n, budget in enumerate(budgets):
                # Every third project is 甘棠街道's, whose 李军 reports its figures.
                unit = w.org("D101001") if n % 3 == 2 else None
                oid = ledger.goals.register_object(
                    w.act_as("wangfang"), mof_div_code=w.mof_div_code, fiscal_year=self.year,
                    pro_code=f"RF{n:03d}", name=f"老旧小区改造{n}", kind="project",
                    department_id=w.org("D101"), unit_id=unit, fund_type="general_public",
                    amount=budget, is_new=True, last_year_amount=None,
                ).aggregate_id  # fmt: skip
                ledger.goals.submit_goal(w.act_as("wangfang"), oid, indicators())
                for login, stage in (("chenjing", "initial"), ("liuqiang", "second"),
                                     ("sunli", "final")):  # fmt: skip
                    ledger.goals.review_goal(w.act_as(login), oid, stage, "良", "同意")
                ledger.goals.approve_goal(w.act_as("sunli"), oid, budget, f"批复RF{n:03d}")
                self.objects.append(oid)
                self.entrants.append("lijun" if unit else "wangfang")
        with on_day(date(self.year, 2, 1)):
            for period in self.periods:
                ledger.monitoring.open_monitoring_round(
                    w.act_as("chenjing"), w.mof_div_code, self.year, period.code, self.objects
                )

    def monitor(
        self,
        executed: Callable[[int, str], Decimal],
        actuals: Callable[[int, str], dict[str, Decimal]],
        filed: Callable[[int, date], date],
    ) -> None:
        """Each period's entry per object, recorded on the day `filed` gives."""
        for period in self.periods:
            by_day: dict[date, list[int]] = {}
            for n in range(len(self.objects)):
                by_day.setdefault(filed(n, period.as_of), []).append(n)
            for day, members in sorted(by_day.items()):
                with on_day(day):
                    for n in members:
                        self._entry(n, period, executed(n, period.code), actuals(n, period.code))

    def _entry(self, n: int, period, executed: Decimal, actuals: dict[str, Decimal]) -> None:
        rows = tuple(
            IndicatorProgress(name=name, likelihood="确定能完成", actual=actual,
                              forecast=AT_TARGET[name])
            for name, actual in actuals.items()
        )  # fmt: skip
        act = self.world.act_as(self.entrants[n], business_date=period.as_of)
        task = monitoring_task_id(self.objects[n], period.code)
        self.ledger.monitoring.submit_monitoring_entry(act, task, Entry(executed, executed, rows))

    def self_evaluate(
        self,
        executed: Callable[[int], Decimal],
        actuals: Callable[[int], dict[str, Decimal]],
        filed: Callable[[int], date],
    ) -> None:
        for n, oid in enumerate(self.objects):
            reported = [
                IndicatorActual(
                    row["level1"], row["level2"], row["name"], actual=actuals(n)[row["name"]]
                )
                for row in INDICATORS
            ]
            with on_day(filed(n)):
                self.ledger.evaluation.submit_self_evaluation(
                    self.world.act_as(self.entrants[n]), oid, reported, executed(n)
                )

    def recheck(self, scores: dict[int, Decimal]) -> None:
        with on_day(date(self.year + 1, 5, 20)):
            for n, score in scores.items():
                self.ledger.evaluation.recheck_self_evaluation(
                    self.world.act_as("liuqiang"),
                    evaluation_id(self.objects[n], "self"),
                    score,
                    "抽查复核：佐证材料不足",
                )


# --- the planted jurisdiction: 南昌, six monitoring periods --------------------------------


def planted(server: LiveServer, code: str, name: str, prefix: str, count: int) -> Builder:
    """Round amounts heavy in 5–9 repeated across projects, actuals at target, entries on
    their deadline days, 20% of the year's spending added in each month after October."""
    b = Builder(server, code, name, prefix)
    year_end = [PLANTED_M12[n % len(PLANTED_M12)] for n in range(count)]
    b.approve(year_end)
    share = {p.code: Decimal(1) - Decimal("0.2") * (12 - p.as_of.month) for p in b.periods}

    def executed(n: int, code: str) -> Decimal:
        return _yuan(year_end[n] * max(share[code], Decimal("0.3")))

    def actuals(n: int, code: str) -> dict[str, Decimal]:
        return dict(AT_TARGET)

    b.monitor(executed, actuals, lambda n, as_of: as_of + timedelta(days=15))
    b.self_evaluate(
        lambda n: year_end[n], lambda n: dict(AT_TARGET), lambda n: date(b.year + 1, 3, 31)
    )
    b.recheck({n: Decimal("75.00") for n in range(4)})
    return b


# --- the clean year: 南昌 2024, the same six periods -------------------------------------------


def clean(server: LiveServer, count: int) -> Builder:
    """Year-end amounts 10^(5+frac(nφ)) (first digits as Benford's law has them), cents and
    units digits varied, spending spread over the year, actuals around their targets,
    entries filed 3–10 days after the as-of date, self-scores spread over the grades."""
    b = Builder(server, "360100", "南昌市", "nc.", year=2024)
    year_end = [_yuan(Decimal(10) ** (5 + (n * PHI) % 1)) for n in range(count)]
    b.approve([_yuan(v * Decimal("1.02")) for v in year_end])
    part = dict(zip([p.code for p in b.periods], map(Decimal, CLEAN_PARTS), strict=True))

    def executed(n: int, code: str) -> Decimal:
        return _yuan(year_end[n] * part[code])

    def actuals(n: int, code: str) -> dict[str, Decimal]:
        step = list(part).index(code)
        return {
            "改造老旧小区数量": Decimal(2 + (n + step) % 8),
            "年底完工率": Decimal(41 + (n * 7 + step * 13) % 57) + Decimal("0.3"),
            "受益居民户数": Decimal(1203 + 41 * n + 617 * step),
            "居民满意度": Decimal(83 + (n * 3 + step) % 14) + Decimal("0.6"),
        }

    def final(n: int) -> dict[str, Decimal]:
        return {
            "改造老旧小区数量": Decimal((6, 7, 8, 9, 11, 12, 13)[n % 7]),
            "年底完工率": Decimal(88 + (n * 7) % 11) + Decimal("0.4"),
            "受益居民户数": Decimal(2871 + 37 * n),
            "居民满意度": Decimal(86 + (n * 3) % 11) + Decimal("0.7"),
        }

    b.monitor(executed, actuals, lambda n, as_of: as_of + timedelta(days=3 + n % 8))
    b.self_evaluate(lambda n: year_end[n], final, lambda n: date(b.year + 1, 3, 2 + n % 20))
    b.recheck({0: Decimal("88.00"), 1: Decimal("79.50"), 2: Decimal("91.20")})
    return b


def _read(
    server: LiveServer, world: World, code: str, login: str = "fengshen", year: int = FY
) -> dict:
    assert server.services.follower.wait_for(server.services.follower.head(), 30)
    reply = client_for(server, world, login).get(f"/red-flags/{code}/{year}")
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert [f["kind"] for f in body["flags"]] == KINDS
    return body


def _flags(body: dict) -> dict[str, dict]:
    return {f["kind"]: f for f in body["flags"]}


def test_planted_patterns_fire_every_flag_and_name_the_signers(server: LiveServer) -> None:
    b = planted(server, "360100", "南昌市", "nc.", count=72)
    body = _read(server, b.world, "360100")
    assert body["policy"]["policy_id"] == "nanchang-2022"
    assert body["position"] >= 1 and body["lag"] >= 0
    flags = _flags(body)
    assert {k for k, f in flags.items() if f["fired"]} == set(KINDS), flags
    staff, unit = str(b.world.person("wangfang")), str(b.world.person("lijun"))
    for kind in ("identical_values", "all_at_target", "round_numbers", "december_spike",
                 "benford", "deadline_bursts", "scores_at_top"):  # fmt: skip
        flag = flags[kind]
        assert flag["records"] and flag["records_total"] >= len(flag["records"])
        signers = {s["person_id"]: s for s in flag["signers"]}
        assert set(signers) == {staff, unit}, kind
        assert (signers[staff]["name"], signers[staff]["role"]) == ("王芳", "department_staff")
        assert (signers[unit]["name"], signers[unit]["role"]) == ("李军", "unit_staff")
        assert signers[unit]["organisation_name"] == "甘棠街道办事处"
        assert sum(s["records"] for s in flag["signers"]) == flag["records_total"]
        assert {r["signer_id"] for r in flag["records"]} <= {staff, unit}
    # 24 of the 72 self-scores at the top are 李军's (every third project).
    top_signers = {s["name"]: s["records"] for s in flags["scores_at_top"]["signers"]}
    assert top_signers == {"王芳": 48, "李军": 24}
    benford = flags["benford"]
    assert benford["sample_size"] == 72 * 7 and benford["details"]["band"] == "nonconforming"
    assert Decimal(benford["statistic"]) > Decimal("0.015")
    assert benford["threshold"] == {
        "value": "0.015",
        "op": ">",
        "wording": "MAD above 0.015: nonconforming",
    }
    spike = flags["december_spike"]
    assert Decimal(spike["statistic"]) == Decimal("0.2000")  # (M12 − M11) ÷ M12, one month
    assert spike["details"]["window_months"] == [1]
    assert Decimal(flags["all_at_target"]["statistic"]) == 1
    assert flags["all_at_target"]["sample_size"] == 72
    top = flags["scores_at_top"]
    assert Decimal(top["statistic"]) == 1
    assert top["details"]["recheck_mean"] == "75.00" and top["details"]["rechecks"] == 4
    assert Decimal(flags["deadline_bursts"]["statistic"]) == 1
    assert flags["deadline_bursts"]["sample_size"] == 72 * 7
    # The figures named are the log's own: each position holds an event of that record.
    position = flags["identical_values"]["records"][0]["position"]
    event = client_for(server, b.world, "fengshen").get(
        "/integrity/proofs/inclusion", params={"position": position}
    )
    assert event.status_code == 200, event.text


def test_a_clean_jurisdiction_fires_none(server: LiveServer) -> None:
    b = clean(server, count=72)
    body = _read(server, b.world, "360100", login="jiangwei", year=2024)  # discipline too
    assert body["policy"]["policy_id"] == "nanchang-2022"
    flags = _flags(body)
    assert [k for k, f in flags.items() if f["fired"]] == [], flags
    assert all(f["skipped"] is None for f in flags.values()), flags
    assert all(f["records"] == [] and f["signers"] == [] for f in flags.values())
    benford = flags["benford"]
    assert benford["sample_size"] == 72 * 7
    assert benford["details"]["band"] in ("close", "acceptable"), benford
    assert Decimal(flags["december_spike"]["statistic"]) == Decimal("0.0700")
    assert flags["december_spike"]["details"]["window_months"] == [1]
    assert Decimal(flags["scores_at_top"]["statistic"]) < Decimal("0.8")


def test_another_policy_changes_the_verdict(server: LiveServer) -> None:
    """The same year-end spending (a fifth of the year a month after October): a spike by
    the national default's 16.5% (Liebman & Mahoney), not by 信丰's 25%."""
    xinfeng = planted(server, "360734", "信丰县", "xf.", count=6)
    default = planted(server, "360730", "对照县", "dc.", count=6)
    under_xinfeng = _flags(_read(server, xinfeng.world, "360734"))
    under_default = _read(server, default.world, "360730")
    assert under_default["policy"]["policy_id"] == "national-default"
    spike, local = _flags(under_default)["december_spike"], under_xinfeng["december_spike"]
    assert spike["statistic"] == local["statistic"] == "0.2000"
    assert spike["fired"] and spike["threshold"]["value"] == "0.165"
    assert not local["fired"] and local["threshold"]["value"] == "0.25"
    assert local["records"] == [] and spike["records"]
    # Too few amounts for the first-digit test: skipped, saying how many it needs.
    assert under_xinfeng["benford"]["skipped"] == "sample too small: 24 of the 500 needed"
    assert not under_xinfeng["benford"]["fired"]


def test_who_may_read_red_flags(server: LiveServer) -> None:
    world = build_world(server.services)
    other = build_world(server.services, "360100", "南昌市", prefix="nc.")
    for login in ("fengshen", "liuqiang", "sunli", "jiangwei"):
        assert client_for(server, world, login).get(f"/red-flags/360403/{FY}").status_code == 200
    for login in ("wangfang", "chenjing", "hexin", "zhengyi", "qianlin", "lijun"):
        reply = client_for(server, world, login).get(f"/red-flags/360403/{FY}")
        assert reply.status_code == 403, login
        assert reply.headers["content-type"].startswith("application/problem+json")
        assert reply.json()["type"] == "urn:jixiao:problem:forbidden"
    outsider = client_for(server, other, "fengshen").get(f"/red-flags/360403/{FY}")
    assert outsider.status_code == 403
    assert outsider.json()["type"] == "urn:jixiao:problem:out-of-scope"
    auditor = client_for(server, world, "fengshen")
    unknown = auditor.get(f"/red-flags/999999/{FY}")  # not its jurisdiction, known or not
    assert unknown.json()["type"] == "urn:jixiao:problem:out-of-scope"
    for year in ("1999", "2101", "abc"):
        reply = auditor.get(f"/red-flags/360403/{year}")
        assert reply.status_code == 422, year
        assert reply.headers["content-type"].startswith("application/problem+json")
    logged = auditor.get("/access-log", params={"resource_kind": "red_flags"}).json()
    assert {e["person_name"] for e in logged} == {"冯慎", "刘强", "孙丽", "蒋伟"}


def test_corrections_replace_values_and_a_rebuild_answers_the_same(server: LiveServer) -> None:
    """Value tests read an entry's latest correction; the deadline test still reads when the
    first submission was filed; the view rebuilt from the log gives the same answer."""
    b = planted(server, "360730", "对照县", "dc.", count=6)
    before = _flags(_read(server, b.world, "360730"))
    assert before["december_spike"]["fired"]
    m10 = b.periods[-2]
    with on_day(date(FY, 12, 1)):
        for n, oid in enumerate(b.objects):
            executed = _yuan(PLANTED_M12[n % len(PLANTED_M12)] * Decimal("0.9"))
            rows = tuple(
                IndicatorProgress(name=k, likelihood="确定能完成", actual=v, forecast=v)
                for k, v in AT_TARGET.items()
            )
            act = b.world.act_as(b.entrants[n], business_date=m10.as_of, reason="更正支出数")
            b.ledger.monitoring.correct_monitoring_entry(
                act, monitoring_task_id(oid, m10.code), Entry(executed, executed, rows)
            )
    after = _read(server, b.world, "360730")
    flags = _flags(after)
    assert flags["december_spike"]["statistic"] == "0.0500"  # 10% over two months
    assert not flags["december_spike"]["fired"]
    assert flags["deadline_bursts"] == before["deadline_bursts"]  # first submissions only
    server.services.follower.rebuild()
    assert _read(server, b.world, "360730")["flags"] == after["flags"]
