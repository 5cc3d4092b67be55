"""An event's inclusion proof, checked in the page: the browser hashes the event's stored
bytes into its leaf, follows the RFC 9162 path to the signed tree head's root, and checks
the head's Ed25519 signature (static/console.js), so the reader need not trust the page's
own claim. The server's part is the API's evidence package, through the API's gate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.console.params import ReaderDep
from api.console.reads import api_request
from api.console.render import page
from api.routers import integrity

router = APIRouter()
INT64 = 2**63 - 1


@router.get("/proof")
def proof(request: Request, who: ReaderDep, position: Annotated[int, Query(ge=1, le=INT64)]):
    who.check("/integrity/proofs/inclusion", query={"position": position})
    package = integrity.inclusion(api_request(request), who.services, who.actor, position)
    who.check("/integrity/public-keys")
    keys = integrity.public_keys(api_request(request), who.services, who.actor)
    key = next((k for k in keys if k["key_id"] == package["public_key_id"]), None)
    return page(request, "proof.html", who, package=package, key=key)
