"""The integrity chain: signed tree heads, inclusion and consistency proofs, evidence
packages that an outside party checks offline with `jixiao verify-proof`."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from api.deps import CurrentActor, ServicesDep
from api.problems import ApiProblem
from api.schemas.integrity import (
    ConsistencyPackage,
    InclusionPackage,
    PublicKeyPublic,
    SignedHeadPublic,
    SigningKeyPublic,
)
from infrastructure.integrity.service import IntegrityService

router = APIRouter(prefix="/integrity", tags=["integrity 防篡改"])
_build_lock = threading.Lock()

INT64 = {"ge": -(2**63), "le": 2**63 - 1}  # what both stores can hold
Size = Annotated[int, Query(ge=1, le=2**63 - 1)]
OptionalSize = Annotated[
    int | None, Query(ge=1, le=2**63 - 1, description="that size's signed head; default newest")
]


def integrity_of(request: Request, services: ServicesDep) -> IntegrityService:
    """The composition root's service if it built one, else one per app, built on first use
    (it installs its tables and triggers)."""
    built = getattr(services, "integrity", None)
    if built is not None:
        return built
    with _build_lock:
        service = getattr(request.app.state, "integrity", None)
        if service is None or service.ledger is not services.ledger:
            try:
                service = IntegrityService.from_services(services)
            except ValueError as e:  # no signing key in production: a deployment error
                raise ApiProblem(
                    503,
                    "integrity-unavailable",
                    "完整性链不可用 Integrity chain unavailable",
                    str(e),
                ) from None
            request.app.state.integrity = service
    return service


@router.get("/tree-head", response_model=SignedHeadPublic, summary="The newest signed tree head")
def tree_head(
    request: Request,
    services: ServicesDep,
    actor: CurrentActor,
    tree_size: OptionalSize = None,
) -> dict:
    return integrity_of(request, services).head(tree_size).to_json()


@router.post(
    "/tree-heads",
    status_code=201,
    response_model=SignedHeadPublic,
    summary="Chain the newest events and sign a tree head now",
)
def sign_tree_head(request: Request, services: ServicesDep, actor: CurrentActor) -> dict:
    return integrity_of(request, services).sign_head().to_json()


@router.get("/public-key", response_model=PublicKeyPublic, summary="The key that signs heads")
def public_key(request: Request, services: ServicesDep, actor: CurrentActor) -> dict:
    signer = integrity_of(request, services).signer
    return {"key_id": signer.key_id, "public_key_pem": signer.public_key_pem()}


@router.get(
    "/public-keys",
    response_model=list[SigningKeyPublic],
    summary="Every key that checks heads: current, previous (configured), recorded only",
)
def public_keys(request: Request, services: ServicesDep, actor: CurrentActor) -> list[dict]:
    return integrity_of(request, services).public_keys()


@router.get(
    "/proofs/inclusion",
    response_model=InclusionPackage,
    summary="Evidence that an event is in a signed tree (by position or event id)",
)
def inclusion(
    request: Request,
    services: ServicesDep,
    actor: CurrentActor,
    position: Annotated[int | None, Query(**INT64, description="the event's log position")] = None,
    event_id: Annotated[
        str | None, Query(pattern=r"^[0-9a-fA-F-]{1,64}@[0-9]{1,19}$", description="id@version")
    ] = None,
    tree_size: OptionalSize = None,
) -> dict:
    return integrity_of(request, services).evidence(position, event_id, tree_size)


@router.get(
    "/evidence/{position}",
    response_model=InclusionPackage,
    summary="The same evidence package, as a file to hand over (jixiao verify-proof FILE)",
)
def evidence_file(
    position: Annotated[int, Path(**INT64)],
    request: Request,
    services: ServicesDep,
    actor: CurrentActor,
    tree_size: OptionalSize = None,
) -> JSONResponse:
    package = integrity_of(request, services).evidence(position, None, tree_size)
    name = f"jixiao-evidence-{position}-{package['tree_head']['tree_size']}.json"
    return JSONResponse(package, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get(
    "/proofs/consistency",
    response_model=ConsistencyPackage,
    summary="Proof that an older signed tree is a prefix of a newer one",
)
def consistency(
    request: Request, services: ServicesDep, actor: CurrentActor, old_size: Size, new_size: Size
) -> dict:
    return integrity_of(request, services).consistency(old_size, new_size)
