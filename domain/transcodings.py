"""How value objects are written into stored events (JSON, via the library's transcoder).

Value objects declare themselves with `@transcoded("name")`; the ledger registers every
declared one, so a new capability's values need no edit here. Names are part of the stored
data: never rename one.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any, TypeVar

from eventsourcing.persistence import Transcoding

T = TypeVar("T")
_DECLARED: list[Transcoding] = []


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class _DataclassTranscoding(Transcoding):
    """A frozen dataclass field by field; nested values are transcoded in turn."""

    def encode(self, obj: Any) -> dict[str, Any]:
        # Shallow on purpose: asdict() would flatten nested value objects into plain dicts.
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


def transcoded(name: str):
    """Class decorator: store this dataclass in events under `name`."""

    def declare(cls: type[T]) -> type[T]:
        transcoding = type(
            f"{cls.__name__}Transcoding", (_DataclassTranscoding,), {"type": cls, "name": name}
        )
        _DECLARED.append(transcoding())
        return cls

    return declare


def all_transcodings() -> list[Transcoding]:
    return [DateAsISO(), *_DECLARED]
