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
# Bounds on what sign-ins can hold in memory: a person with a few browsers keeps each one;
# past the caps the least recently used session goes (its holder signs in again).
PER_TOKEN = 5
IN_ALL = 10_000


@dataclass
class _Session:
    token: str
    touched: float


class Sessions:
    def __init__(
        self, idle_seconds: float = IDLE_SECONDS, per_token: int = PER_TOKEN, in_all: int = IN_ALL
    ) -> None:
        self._idle, self._per_token, self._in_all = idle_seconds, per_token, in_all
        self._lock = threading.Lock()
        self._by_id: dict[str, _Session] = {}

    def open(self, token: str, replacing: str | None = None) -> str:
        """A new session for the token; `replacing` (the browser's old session) ends, so a
        second sign-in does not leave the first one open."""
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._by_id.pop(replacing or "", None)
            self._forget_idle(time.monotonic())
            same = [k for k, s in self._by_id.items() if s.token == token]
            self._evict(same, len(same) + 1 - self._per_token)
            self._evict(list(self._by_id), len(self._by_id) + 1 - self._in_all)
            self._by_id[session_id] = _Session(token, time.monotonic())
        return session_id

    def __len__(self) -> int:
        return len(self._by_id)

    def _evict(self, keys: list[str], count: int) -> None:
        for key in sorted(keys, key=lambda k: self._by_id[k].touched)[: max(count, 0)]:
            del self._by_id[key]

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
