"""How value objects are written into stored events (JSON, via the library's transcoder)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from eventsourcing.persistence import Transcoding

from domain.indicators import Indicator
from domain.values import Act, Actor, EvidenceRef


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class _DataclassTranscoding(Transcoding):
    """Encodes a frozen dataclass field by field; nested values are transcoded in turn."""

    def encode(self, obj: Any) -> dict[str, Any]:
        # Shallow on purpose: asdict() would flatten nested value objects into plain dicts.
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


class ActorAsDict(_DataclassTranscoding):
    type = Actor
    name = "actor"


class EvidenceAsDict(_DataclassTranscoding):
    type = EvidenceRef
    name = "evidence"


class ActAsDict(_DataclassTranscoding):
    type = Act
    name = "act"


class IndicatorAsDict(_DataclassTranscoding):
    type = Indicator
    name = "indicator"


ALL = (DateAsISO(), ActorAsDict(), EvidenceAsDict(), ActAsDict(), IndicatorAsDict())
