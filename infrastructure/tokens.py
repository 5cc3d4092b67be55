"""Bearer tokens: `jx1.<person id>.<token id>.<HMAC>`. The ledger keeps only the token id
(issued and revoked as events on the person); the HMAC proves the token was issued here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from uuid import UUID

PREFIX = "jx1"


@dataclass(frozen=True)
class TokenClaim:
    person_id: UUID
    token_id: str


class TokenSigner:
    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("the token signing key must be at least 32 bytes")
        self._key = key

    def _mac(self, person_id: UUID, token_id: str) -> str:
        digest = hmac.new(
            self._key, f"{PREFIX}.{person_id.hex}.{token_id}".encode(), hashlib.sha256
        ).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def new_token_id(self) -> str:
        return secrets.token_hex(16)

    def token(self, person_id: UUID, token_id: str) -> str:
        return f"{PREFIX}.{person_id.hex}.{token_id}.{self._mac(person_id, token_id)}"

    def verify(self, token: str) -> TokenClaim | None:
        """The claim a well-formed, correctly signed token makes; None otherwise."""
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != PREFIX:
            return None
        try:
            person_id = UUID(hex=parts[1])
        except ValueError:
            return None
        if not hmac.compare_digest(parts[3], self._mac(person_id, parts[2])):
            return None
        return TokenClaim(person_id, parts[2])
