"""Per-jurisdiction, versioned policies: every rule with a number comes from here.

A policy is a JSON file in domain/policies/ naming the document that set it. The ledger
picks the policy for a jurisdiction and fiscal year; every judgement records the policy's
`PolicyRef` (id, version, document) so that it can later say which rule judged it.
Comparisons carry their own operator, because the documents' wording decides whether a
boundary is included (以上 / 达到 include it, 超过 / 不满 exclude it).
"""

from __future__ import annotations

import json
import operator
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from domain.errors import InvalidInput, NotFound
from domain.transcodings import transcoded

_OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


@transcoded("policy_ref")
@dataclass(frozen=True)
class PolicyRef:
    """Which rule judged an act: recorded in every event that carries a judgement."""

    policy_id: str
    version: int
    document: str


@dataclass(frozen=True)
class Threshold:
    """A number with the comparison its source document's wording implies."""

    value: Decimal
    op: str

    def met_by(self, amount: Decimal) -> bool:
        return _OPERATORS[self.op](Decimal(amount), self.value)

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Threshold:
        if raw["op"] not in _OPERATORS:
            raise ValueError(f"unknown comparison {raw['op']!r}")
        return cls(Decimal(str(raw["value"])), raw["op"])


@dataclass(frozen=True)
class Policy:
    policy_id: str
    version: int
    document: str
    name: str
    jurisdictions: tuple[str, ...]
    effective_from_year: int
    rules: dict[str, Any]
    inherits: str | None = None
    # The parent's version this one was written against: a newer parent version must not
    # change what an act judged under this one meant. None: the newest (an unpinned file).
    inherits_version: int | None = None

    @property
    def ref(self) -> PolicyRef:
        return PolicyRef(self.policy_id, self.version, self.document)

    def section(self, name: str) -> dict[str, Any]:
        try:
            return self.rules[name]
        except KeyError:
            raise NotFound(
                f"policy {self.policy_id} v{self.version} has no {name!r} rules"
            ) from None

    def threshold(self, section: str, key: str) -> Threshold | None:
        raw = self.section(section).get(key)
        return None if raw is None else Threshold.parse(raw)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Policy:
        try:
            return cls(
                policy_id=data["id"],
                version=int(data["version"]),
                document=data["document"],
                name=data["name"],
                jurisdictions=tuple(data.get("jurisdictions", ())),
                effective_from_year=int(data.get("effective_from_year", 2000)),
                rules=data["rules"],
                inherits=data.get("inherits"),
                inherits_version=(
                    None if data.get("inherits_version") is None else int(data["inherits_version"])
                ),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"malformed policy {data.get('id', '?')}: {e}") from None


class PolicyBook:
    """All known policies; the national default applies where no local one does."""

    DEFAULT_ID = "national-default"

    def __init__(self, policies: list[Policy]) -> None:
        if not any(p.policy_id == self.DEFAULT_ID for p in policies):
            raise ValueError(f"a policy book needs the {self.DEFAULT_ID!r} policy")
        self._policies = sorted(policies, key=lambda p: (p.policy_id, p.version))
        # A local policy states only what its document changes; the rest (each section
        # naming its own source) comes from the version of the policy it inherits that it
        # names (the newest where it names none).
        self._policies = [self._resolved(p) for p in self._policies]

    def _resolved(self, policy: Policy) -> Policy:
        if policy.inherits is None:
            return policy
        base = self._resolved(self.get(policy.inherits, policy.inherits_version))
        return replace(policy, rules={**base.rules, **policy.rules})

    @classmethod
    def shipped(cls, extra_dir: Path | None = None) -> PolicyBook:
        """The policies shipped in domain/policies, plus any in `extra_dir` (an
        administrator's newer versions; same id and higher version supersedes)."""
        files = [
            f
            for f in (resources.files("domain") / "policies").iterdir()
            if f.name.endswith(".json")
        ]
        if extra_dir is not None:
            files += sorted(Path(extra_dir).glob("*.json"))
        return cls([Policy.from_json(json.loads(f.read_text(encoding="utf-8"))) for f in files])

    def all(self) -> list[Policy]:
        return list(self._policies)

    def get(self, policy_id: str, version: int | None = None) -> Policy:
        candidates = [
            p
            for p in self._policies
            if p.policy_id == policy_id and (version is None or p.version == version)
        ]
        if not candidates:
            raise NotFound(f"no policy {policy_id}" + (f" v{version}" if version else ""))
        return candidates[-1]

    def for_jurisdiction(self, mof_div_code: str, fiscal_year: int) -> Policy:
        """The latest version of the local policy in force that year, else the default."""
        if not 2000 <= fiscal_year <= 2100:
            raise InvalidInput("fiscal_year is a four-digit year", "fiscal_year")
        local = [
            p
            for p in self._policies
            if mof_div_code in p.jurisdictions and p.effective_from_year <= fiscal_year
        ]
        if local:
            newest_start = max(p.effective_from_year for p in local)
            in_force = [p for p in local if p.effective_from_year == newest_start]
            return max(in_force, key=lambda p: p.version)
        return self.get(self.DEFAULT_ID)
