"""Is the ledger up, and how far behind the log is each view?"""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health", summary="Store, log head, and each view's position and lag")
def health(services: ServicesDep) -> dict:
    head = services.follower.head()
    positions = services.follower.positions()
    return {
        "status": "ok",
        "store": services.settings.store.kind,
        "log_head": head,
        "views": {
            name: {"position": position, "lag": head - position}
            for name, position in positions.items()
        },
    }
