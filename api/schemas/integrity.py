"""Signed tree heads, proofs and evidence packages of the integrity chain."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Hex = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256, hex")


class SignedHeadPublic(BaseModel):
    tree_size: int = Field(description="number of log entries the tree covers")
    root_hash: str = Hex
    signed_at: str = Field(description="ISO 8601, UTC; part of the signed message")
    key_id: str = Field(description="first 16 hex of SHA-256 of the raw Ed25519 public key")
    signature: str = Field(description="Ed25519 over the head's text form, base64")


class PublicKeyPublic(BaseModel):
    key_id: str
    algorithm: Literal["Ed25519"] = "Ed25519"
    public_key_pem: str


class SigningKeyPublic(BaseModel):
    key_id: str = Field(description="first 16 hex of SHA-256 of the raw Ed25519 public key")
    algorithm: Literal["Ed25519"] = "Ed25519"
    status: Literal["current", "previous", "recorded"] = Field(
        description="current: signs new heads; previous: retired, still trusted (configured); "
        "recorded: found in the database's key record only, trusted by no configuration"
    )
    trusted: bool = Field(description="whether this server verifies heads with it")
    public_key_pem: str | None = Field(
        description="None for a recorded row that holds no key matching its id"
    )
    first_tree_size: int | None = Field(
        default=None, description="the size of the first head it signed, as recorded"
    )
    first_signed_at: str | None = None


class EventRecordPublic(BaseModel):
    position: int = Field(description="the event's position in the log (notification id)")
    event_id: str = Field(description="originator id @ version")
    originator_id: str
    originator_version: int
    topic: str
    state_base64: str = Field(description="the stored bytes: what the leaf commits to")
    state: Any = Field(default=None, description="the same state as JSON, for reading only")


class InclusionPackage(BaseModel):
    format: Literal["jixiao.evidence.v1"]
    kind: Literal["inclusion"]
    about: str
    event: EventRecordPublic
    leaf_index: int = Field(description="the event's index among the tree's leaves (from 0)")
    leaf_data_hex: str = Field(description="canonical bytes of the event")
    leaf_hash: str = Hex
    inclusion_proof: list[str] = Field(description="RFC 9162 inclusion path, hex hashes")
    tree_head: SignedHeadPublic
    public_key_id: str


class ConsistencyPackage(BaseModel):
    format: Literal["jixiao.evidence.v1"]
    kind: Literal["consistency"]
    about: str
    old_head: SignedHeadPublic
    new_head: SignedHeadPublic
    consistency_proof: list[str] = Field(description="RFC 9162 consistency proof, hex hashes")
    public_key_id: str
    public_key_ids: list[str] = Field(
        default_factory=list, description="the keys of both heads (they differ across a rotation)"
    )
