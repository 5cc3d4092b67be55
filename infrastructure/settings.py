"""One settings object, read from JIXIAO_* environment variables (and a .env file)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_KEY_FILE = "dev-token-signing.key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JIXIAO_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///./var/jixiao.sqlite"
    # HMAC key for bearer tokens. Required in production; in development a random key is
    # generated once and kept beside the SQLite file (and a warning is logged).
    token_signing_key: str | None = Field(default=None, min_length=32)
    token_days: int = Field(default=30, ge=1, le=366)
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = "INFO"
    follower_interval_seconds: float = Field(default=0.2, gt=0)

    @model_validator(mode="after")
    def _production_needs_secrets(self) -> Settings:
        if self.environment == "production" and not self.token_signing_key:
            raise ValueError(
                "JIXIAO_TOKEN_SIGNING_KEY is required when JIXIAO_ENVIRONMENT=production "
                "(at least 32 characters, e.g. from "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        self.store  # validate the URL early  # noqa: B018
        return self

    @property
    def store(self) -> StoreLocation:
        return StoreLocation.parse(self.database_url)

    def signing_key(self) -> tuple[bytes, bool]:
        """The token signing key, and whether it is a generated development key."""
        if self.token_signing_key:
            return self.token_signing_key.encode(), False
        key_file = self.store.var_dir / DEV_KEY_FILE
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return key_file.read_text().strip().encode(), True


class StoreLocation:
    """Where the log lives: an SQLite file (embedded default) or a PostgreSQL database."""

    def __init__(self, kind: Literal["sqlite", "postgres"], **parts: str) -> None:
        self.kind = kind
        self.parts = parts

    @classmethod
    def parse(cls, url: str) -> StoreLocation:
        if url.startswith("sqlite:///"):
            path = url.removeprefix("sqlite:///")
            if not path:
                raise ValueError("sqlite URL needs a file path: sqlite:///./var/jixiao.sqlite")
            return cls("sqlite", path=path)
        split = urlsplit(url)
        if split.scheme in ("postgresql", "postgres"):
            query = dict(p.split("=", 1) for p in split.query.split("&") if "=" in p)
            return cls(
                "postgres",
                host=split.hostname or "127.0.0.1",
                port=str(split.port or 5432),
                user=unquote(split.username or "postgres"),
                password=unquote(split.password or ""),
                dbname=split.path.lstrip("/") or "postgres",
                schema=query.get("schema", "public"),
            )
        raise ValueError(
            f"JIXIAO_DATABASE_URL must start with sqlite:/// or postgresql:// (got {url!r})"
        )

    @property
    def var_dir(self) -> Path:
        if self.kind == "sqlite":
            return Path(self.parts["path"]).resolve().parent
        return Path("var").resolve()

    def eventsourcing_env(self) -> dict[str, str]:
        if self.kind == "sqlite":
            Path(self.parts["path"]).parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": self.parts["path"],
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        p = self.parts
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": p["dbname"],
            "POSTGRES_HOST": p["host"],
            "POSTGRES_PORT": p["port"],
            "POSTGRES_USER": p["user"],
            "POSTGRES_PASSWORD": p["password"],
            "POSTGRES_SCHEMA": p["schema"],
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_CONNECT_TIMEOUT": "10",
        }

    def describe(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:{self.parts['path']}"
        p = self.parts
        return (
            f"postgresql://{p['user']}@{p['host']}:{p['port']}/{p['dbname']} (schema {p['schema']})"
        )
