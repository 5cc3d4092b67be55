"""Every route has a row: the app's routes are matched to the table at start-up, and the
app refuses to start if one is missing (or a row names no route)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from api.access.rules import RULES


class AccessTableIncomplete(RuntimeError):
    pass


def operations(app: FastAPI) -> dict[int, str]:
    """Each API route (by identity; the request scope carries the route) → its full path
    template, after checking the table against the routes."""
    index: dict[int, str] = {}
    seen: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or context.path_format is None:
            continue
        index[id(route)] = context.path_format
        seen |= {(method, context.path_format) for method in route.methods}
    missing = sorted(seen - set(RULES))
    stale = sorted(set(RULES) - seen)
    if missing or stale:
        raise AccessTableIncomplete(
            "api/access/rules.py RULES must have exactly one row per operation; "
            f"missing: {missing}; rows without a route: {stale}"
        )
    return index
