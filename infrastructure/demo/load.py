"""Demo jurisdictions from data/*.json: registry, people, tokens, goal lifecycles and
then the rest of the year (infrastructure/demo/year.py: monitoring, evaluation, results,
rectification, accountability, supervision).

Everything is recorded through the Ledger's use cases, with each act done by the demo person
whose role does it (the actor the API would build from their token), so the demo's events are
of the same kind as real ones and the views are built from them by the follower. Loading is
idempotent: a second run records nothing and prints the same tokens.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import partial
from importlib import resources
from typing import Any
from uuid import UUID

from domain import ids
from domain.indicators import Indicator
from domain.ledger import Ledger
from domain.registry.model import Person
from domain.values import Act, Actor, EvidenceRef
from infrastructure.bootstrap import cli_act
from infrastructure.demo.context import Demo, DemoSummary, ensure
from infrastructure.demo.year import YEAR_STAGES, play_year
from infrastructure.settings import Settings
from infrastructure.tokens import TokenSigner

__all__ = ["DemoSummary", "ensure", "load_demo"]

DATA_DIR = "data"  # shipped as package data of `infrastructure.demo` (see pyproject)
_DECIMAL_FIELDS = ("value", "upper", "weight")


def load_demo(
    ledger: Ledger,
    signer: TokenSigner,
    settings: Settings,
    progress: Callable[[int], None] = lambda n: None,
    on_planned: Callable[[int], None] = lambda total: None,
) -> DemoSummary:
    """`on_planned` is told the number of stages (each file's registry, people, library, each
    object's lifecycle, each stage of its year) and `progress` is advanced as each ends."""
    summary = DemoSummary()
    folder = resources.files("infrastructure.demo") / DATA_DIR
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=str)
    # parse_float=Decimal: even a stray JSON number never becomes a float amount.
    loaded = [
        (f.name, json.loads(f.read_text(encoding="utf-8"), parse_float=Decimal)) for f in files
    ]
    on_planned(sum(_stages(data) for _, data in loaded))
    for name, data in loaded:
        _load(ledger, signer, settings, data, name, summary, progress)
    return summary


def _stages(data: dict[str, Any]) -> int:
    return 3 + len(data["objects"]) + (len(YEAR_STAGES) if "year" in data else 0)


def _load(
    ledger: Ledger,
    signer: TokenSigner,
    settings: Settings,
    data: dict[str, Any],
    filename: str,
    summary: DemoSummary,
    progress: Callable[[int], None],
) -> None:
    where = data["jurisdiction"]
    mof = where["mof_div_code"]
    summary.jurisdictions.append(f"{where['name']} {mof} ({filename})")
    admin = cli_act(f"demo data {filename}; source: {data['source']}")
    org = {o["code"]: ids.organisation_id(mof, o["code"]) for o in data["organisations"]}

    summary.count(
        "jurisdiction",
        ensure(
            partial(
                ledger.registry.register_jurisdiction, admin, mof, where["name"], where["level"]
            )
        ),
    )
    for o in data["organisations"]:  # departments are listed before their units
        parent = org[o["parent"]] if o.get("parent") else None
        summary.count(
            "organisations",
            ensure(
                partial(
                    ledger.registry.register_organisation,
                    admin,
                    mof,
                    o["code"],
                    o["name"],
                    o["kind"],
                    parent,
                )
            ),
        )
    for o in data["organisations"]:
        if o.get("supervisor"):
            summary.count(
                "supervisors",
                ensure(
                    partial(
                        ledger.registry.assign_supervisor,
                        admin,
                        org[o["code"]],
                        org[o["supervisor"]],
                    )
                ),
            )

    progress(1)  # the registry
    now = datetime.now(UTC)
    actors: dict[str, Actor] = {}
    for p in data["persons"]:
        person_id, org_id, role = ids.person_id(p["login"]), org[p["org"]], p["role"]
        summary.count(
            "persons",
            ensure(partial(ledger.registry.register_person, admin, p["login"], p["name"])),
        )
        summary.count(
            "roles", ensure(partial(ledger.registry.grant_role, admin, person_id, role, org_id))
        )
        token_id = _live_token(ledger.load(Person, person_id), role, org_id, now)
        if token_id is None:
            token_id = signer.new_token_id()
            ledger.registry.issue_token(
                cli_act(f"demo token ({filename})"),
                person_id,
                token_id,
                role,
                org_id,
                now + timedelta(days=settings.token_days),
            )
            summary.recorded["tokens"] += 1
        else:
            summary.present["tokens"] += 1
        # The very actor the API derives from this person's bearer token.
        actors[p["login"]] = actor = ledger.registry.actor_for_token(person_id, token_id, now)
        summary.people[p["login"]] = (actor.name, role, signer.token(person_id, token_id))

    progress(1)  # the people and their tokens
    _library(ledger, actors, mof, data.get("library"), summary)
    progress(1)

    for obj in data["objects"]:
        registered = summary.count(
            "objects",
            ensure(
                partial(
                    ledger.goals.register_object,
                    _act(actors[obj["registered_by"]], obj["registered_on"]),
                    mof_div_code=mof,
                    fiscal_year=int(data["fiscal_year"]),
                    pro_code=obj["pro_code"],
                    name=obj["name"],
                    kind=obj["kind"],
                    department_id=org[obj["department"]],
                    unit_id=org[obj["unit"]] if obj.get("unit") else None,
                    fund_type=obj["fund_type"],
                    amount=Decimal(obj["amount"]),
                    is_new=obj["is_new"],
                    last_year_amount=(
                        Decimal(obj["last_year_amount"]) if obj.get("last_year_amount") else None
                    ),
                )
            ),
        )
        progress(1)
        if registered is None:
            continue  # its lifecycle was played when it was first registered
        version = registered.version
        for step in obj["acts"]:
            version = _perform(ledger, actors, obj, registered.aggregate_id, step, version)
            summary.recorded["goal acts"] += 1

    if "year" in data:
        demo = Demo(
            ledger=ledger,
            summary=summary,
            mof_div_code=mof,
            fiscal_year=int(data["fiscal_year"]),
            actors=actors,
            org=org,
            fillers={obj["pro_code"]: obj["registered_by"] for obj in data["objects"]},
        )
        play_year(demo, data["year"], progress)


def _library(
    ledger: Ledger, actors: dict[str, Actor], mof: str, library: Any, summary: DemoSummary
) -> None:
    """The jurisdiction's common indicators (共性指标), added by its performance section."""
    if not library:
        return
    act = _act(actors[library["by"]], library["date"], library["reason"])
    for entry in library["entries"]:
        fields = dict(entry)
        if fields.get("valid_from"):
            fields["valid_from"] = date.fromisoformat(fields["valid_from"])
        add = partial(ledger.library.add, act, mof_div_code=mof, department_id=None, **fields)
        summary.count("library entries", ensure(add))


def _live_token(person: Person, role: str, org_id: UUID, now: datetime) -> str | None:
    """The latest-expiring unrevoked token for this role, so reruns reuse it."""
    live = [
        (token["expires_at"], token_id)
        for token_id, token in person.tokens.items()
        if not token["revoked"]
        and token["expires_at"] > now
        and token["role"] == role
        and token["organisation_id"] == org_id
    ]
    return max(live)[1] if live else None


def _act(actor: Actor, business_date: str, reason: str | None = None) -> Act:
    return Act(actor, reason=reason, business_date=date.fromisoformat(business_date))


def _indicators(rows: list[dict[str, Any]]) -> list[Indicator]:
    return [
        Indicator(
            **{
                k: Decimal(v) if k in _DECIMAL_FIELDS and v is not None else v
                for k, v in row.items()
            }
        )
        for row in rows
    ]


def _perform(
    ledger: Ledger,
    actors: dict[str, Actor],
    obj: dict[str, Any],
    object_id: UUID,
    step: dict[str, Any],
    version: int,
) -> int:
    """One scripted goal act; expected_version chains the acts like If-Match would."""
    act = _act(actors[step["by"]], step["date"], step.get("reason"))
    match step["act"]:
        case "submit":  # a resubmission carries its revised indicators
            rows = _indicators(step.get("indicators") or obj["indicators"])
            outcome = ledger.goals.submit_goal(act, object_id, rows, version)
        case "review":
            outcome = ledger.goals.review_goal(
                act, object_id, step["stage"], step["outcome"], step.get("comments"), version
            )
        case "approve":
            outcome = ledger.goals.approve_goal(
                act, object_id, Decimal(step["approved_amount"]), step["approval_ref"], version
            )
        case "adjustment_apply":  # 财预〔2015〕88号 第二十八条: by the budget-adjustment procedure
            documents = [EvidenceRef(d["name"], d["sha256"]) for d in step["documents"]]
            outcome = ledger.goals.apply_goal_adjustment(
                replace(act, evidence=tuple(documents)),
                object_id,
                _indicators(step["indicators"]),
                None,
                version,
            )
        case "adjustment_review":
            outcome = ledger.goals.review_goal_adjustment(
                act, object_id, step["outcome"], step.get("comments"), version
            )
        case "adjustment_approve":
            outcome = ledger.goals.approve_goal_adjustment(
                act, object_id, step["approval_ref"], version
            )
        case "ex_ante_submit":  # the ex-ante file is its own aggregate: the object's version stands
            scores = {name: Decimal(score) for name, score in step["scores"].items()}
            report = EvidenceRef(step["report"]["name"], step["report"]["sha256"])
            ledger.ex_ante.submit_ex_ante(act, object_id, scores, step["conclusion"], report)
            return version
        case "ex_ante_review":
            ledger.ex_ante.review_ex_ante(act, object_id, step["outcome"], step.get("comments"))
            return version
        case other:
            raise ValueError(f"{obj['pro_code']}: unknown demo act {other!r}")
    return outcome.version
