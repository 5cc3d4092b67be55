"""Console sessions: the bearer token a person pasted, kept server-side under a random id.

The browser holds only the id, in an HttpOnly, SameSite=Strict cookie scoped to /console,
so the token never appears in a URL, a page or script. The token is verified again on every
request (a revoked or expired token ends the session at its next page). Sessions live in
memory: a restart signs everyone out, which a read-only console can afford.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

COOKIE = "jixiao_console"
IDLE_SECONDS = 8 * 3600  # a working day; the token's own expiry still applies


@dataclass
class _Session:
    token: str
    touched: float


class Sessions:
    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self._idle = idle_seconds
        self._lock = threading.Lock()
        self._by_id: dict[str, _Session] = {}

    def open(self, token: str) -> str:
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._forget_idle(time.monotonic())
            self._by_id[session_id] = _Session(token, time.monotonic())
        return session_id

    def token(self, session_id: str | None) -> str | None:
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            found = self._by_id.get(session_id)
            if found is None or now - found.touched > self._idle:
                self._by_id.pop(session_id, None)
                return None
            found.touched = now
            return found.token

    def close(self, session_id: str | None) -> None:
        with self._lock:
            self._by_id.pop(session_id or "", None)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, s in self._by_id.items() if now - s.touched > self._idle]:
            del self._by_id[key]
