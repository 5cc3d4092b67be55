"""Settings refuse silent default secrets outside development; tokens verify only if ours."""

from __future__ import annotations

from uuid import uuid4

import pytest
from pydantic import ValidationError

from infrastructure.settings import Settings, StoreLocation
from infrastructure.tokens import TokenSigner


def test_production_requires_a_signing_key(tmp_path) -> None:
    with pytest.raises(ValidationError, match="JIXIAO_INTEGRITY_SIGNING_KEY"):
        Settings(environment="production", database_url=f"sqlite:///{tmp_path}/x.sqlite")
    with pytest.raises(ValidationError, match="JIXIAO_TOKEN_SIGNING_KEY"):
        Settings(environment="production", integrity_signing_key="A" * 44)
    with pytest.raises(ValidationError):
        Settings(environment="production", token_signing_key="short")


def test_development_generates_and_keeps_a_key(tmp_path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/x.sqlite")
    key, generated = settings.signing_key()
    assert generated and len(key) >= 32
    assert settings.signing_key() == (key, True)
    assert (tmp_path / "dev-token-signing.key").stat().st_mode & 0o077 == 0


def test_database_urls() -> None:
    assert StoreLocation.parse("sqlite:///./var/jixiao.sqlite").kind == "sqlite"
    pg = StoreLocation.parse("postgresql://app:p%40ss@db:5433/jixiao?schema=ledger")
    assert pg.parts == {
        "host": "db",
        "port": "5433",
        "user": "app",
        "password": "p@ss",
        "dbname": "jixiao",
        "schema": "ledger",
    }
    with pytest.raises(ValueError, match="sqlite:///"):
        StoreLocation.parse("mysql://x")


def test_tokens_verify_only_with_the_key_that_signed_them() -> None:
    signer = TokenSigner(b"k" * 32)
    person, token_id = uuid4(), signer.new_token_id()
    token = signer.token(person, token_id)
    claim = signer.verify(token)
    assert claim is not None and claim.person_id == person and claim.token_id == token_id
    assert TokenSigner(b"j" * 32).verify(token) is None
    tampered = token.replace(person.hex, uuid4().hex)
    assert signer.verify(tampered) is None
    for junk in ("", "jx1", "jx1.a.b.c", "Bearer x"):
        assert signer.verify(junk) is None
