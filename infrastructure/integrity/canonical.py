"""The canonical bytes of one stored event: what a Merkle leaf commits to.

Independent of how a store lays out its rows: (position, originator id, version, topic,
state), each field length-prefixed so no two different records encode alike. Anyone with
the record (e.g. from an evidence package) can rebuild these bytes and its leaf hash.
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass
from typing import Any

MAGIC = b"jixiao.event.v1"


@dataclass(frozen=True)
class EventRecord:
    position: int  # the notification id
    originator_id: str
    originator_version: int
    topic: str
    state: bytes

    @classmethod
    def of(cls, notification: Any) -> EventRecord:
        return cls(
            int(notification.id),
            str(notification.originator_id),
            int(notification.originator_version),
            str(notification.topic),
            bytes(notification.state),
        )

    @property
    def event_id(self) -> str:
        return f"{self.originator_id}@{self.originator_version}"

    def leaf_data(self) -> bytes:
        fields = (
            MAGIC,
            struct.pack(">Q", self.position),
            self.originator_id.encode(),
            struct.pack(">Q", self.originator_version),
            self.topic.encode(),
            self.state,
        )
        return b"".join(struct.pack(">Q", len(f)) + f for f in fields)

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "originator_id": self.originator_id,
            "originator_version": self.originator_version,
            "topic": self.topic,
            "state_base64": base64.b64encode(self.state).decode(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventRecord:
        return cls(
            int(data["position"]),
            str(data["originator_id"]),
            int(data["originator_version"]),
            str(data["topic"]),
            base64.b64decode(data["state_base64"], validate=True),
        )
