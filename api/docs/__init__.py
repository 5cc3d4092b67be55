"""The API's own documentation: offline /docs and /redoc (pages.py), and an OpenAPI document
in which every operation has a Chinese summary, says who may call it and what it records
(operations.py, callers.py), declares its refusals as problem+json (errors.py) and, for the
main commands, carries the demo's bodies as examples (examples.py)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI

from api.access.rules import RULES
from api.docs import pages
from api.docs.callers import what_it_records, who_may_call
from api.docs.errors import PROBLEM_SCHEMA, declare
from api.docs.examples import add_examples
from api.docs.operations import OPERATIONS

METHODS = ("get", "put", "post", "delete", "patch")


def describe(document: dict[str, Any]) -> dict[str, Any]:
    """Add to the document FastAPI builds what the routes do not say themselves."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            key = (method.upper(), path)
            rule = RULES[key]  # the app refuses to start without a row (api/access/index.py)
            chinese, records = OPERATIONS.get(key, ("", None))
            english = operation.get("summary", "")
            if chinese:  # said once, in front: "登记绩效对象 Register a performance object"
                english = re.sub(rf"\s*{re.escape(chinese)}", "", english).strip()
            operation["summary"] = f"{chinese} {english}".strip()
            said = operation.get("description", "")
            lines = [who_may_call(rule), what_it_records(rule, records), said]
            operation["description"] = "\n\n".join(line for line in lines if line)
            declare(method.upper(), path, rule, operation)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    # FastAPI's 422 shape, replaced above by the problem document the API really sends
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    add_examples(document["paths"])
    return document


def install(app: FastAPI) -> None:
    pages.install(app)

    def openapi() -> dict[str, Any]:
        before = app.openapi_schema
        document = FastAPI.openapi(app)  # FastAPI's own, cached until the routes change
        return document if document is before else describe(document)

    app.openapi = openapi  # type: ignore[method-assign]
