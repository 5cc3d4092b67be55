"""One settings object, read from JIXIAO_* environment variables (and a .env file)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from projections.page_totals import DEFAULT_CAP

DEV_KEY_FILE = "dev-token-signing.key"
DEV_INTEGRITY_KEY_FILE = "dev-integrity-signing.pem"


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
    # A view whose handler fails is tried again after the first delay, doubling up to the
    # most; /health/ready and /health wait this long for the store before saying it is not.
    view_retry_first_seconds: float = Field(default=0.5, gt=0)
    view_retry_max_seconds: float = Field(default=30.0, gt=0)
    ready_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    # False when the application runs as the production role that does not own the tables
    # (docs/production-database-role.md): tables are then created by the owner beforehand.
    create_tables: bool = True
    # Ed25519 key that signs the integrity chain's tree heads: PEM (PKCS#8), or base64 of the
    # 32-byte private key. Required in production; in development one is generated once
    # beside the SQLite file. Its public half (`jixiao public-key`) goes to outside checkers.
    integrity_signing_key: str | None = Field(default=None, min_length=40)
    # Public keys of retired tree-head signing keys (PEM blocks or base64 of the 32 raw
    # bytes, comma separated): heads they signed still verify after a rotation (keys.py).
    integrity_previous_public_keys: str | None = None
    # An Idempotency-Key held by a request that died (another process, killed) is taken over
    # by a retry after this long; one held by this process's ended request, at once.
    idempotency_takeover_seconds: float = Field(default=30.0, gt=0, le=3600)
    # PostgreSQL: how long a request waits for a connection (and a new connection for its
    # server) before the answer is 503, and the longest one statement may run.
    store_wait_seconds: float = Field(default=3.0, ge=1, le=60)
    statement_timeout_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Hostile input at the edge (api/limits.py). The demo's and tests' bodies are a few KB;
    # a goal of 200 indicators with every text at its longest is ~0.55 MB. Larger bodies are
    # refused (413) before or while they arrive; one not all arrived in time is 408.
    max_body_bytes: int = Field(default=1_048_576, ge=1024, le=1_073_741_824)
    request_read_timeout_seconds: float = Field(default=15.0, gt=0, le=600)
    # Totals of ledger, search and findings pages are counted up to this many matches
    # ("at least N" past it), so a page costs the same at 100k events as at 1M.
    total_cap: int = Field(default=DEFAULT_CAP, ge=1, le=1_000_000)

    @model_validator(mode="after")
    def _production_needs_secrets(self) -> Settings:
        if self.environment == "production" and not self.integrity_signing_key:
            raise ValueError(
                "JIXIAO_INTEGRITY_SIGNING_KEY is required when JIXIAO_ENVIRONMENT=production "
                "(an Ed25519 private key, PEM or base64 of its 32-byte seed)"
            )
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
        location = StoreLocation.parse(self.database_url)
        location.wait_seconds = self.store_wait_seconds
        location.statement_timeout_seconds = self.statement_timeout_seconds
        return location

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

    def integrity_key(self) -> tuple[str, bool]:
        """The tree-head signing key (PEM or base64), and whether it is a generated dev key."""
        if self.integrity_signing_key:
            return self.integrity_signing_key, False
        if self.environment == "production":
            raise ValueError(
                "JIXIAO_INTEGRITY_SIGNING_KEY is required when JIXIAO_ENVIRONMENT=production "
                "(an Ed25519 private key, e.g. from `openssl genpkey -algorithm ed25519`)"
            )
        key_file = self.store.var_dir / DEV_INTEGRITY_KEY_FILE
        if not key_file.exists():
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

            key_file.parent.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            key_file.write_bytes(pem)
            key_file.chmod(0o600)
        return key_file.read_text(), True


class StoreLocation:
    """Where the log lives: an SQLite file (embedded default) or a PostgreSQL database."""

    # Bounds on waiting for PostgreSQL (set from Settings; see store_wait_seconds).
    wait_seconds = 3.0
    statement_timeout_seconds = 30.0

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

    def eventsourcing_env(self, create_tables: bool = True) -> dict[str, str]:
        common = {
            "CREATE_TABLE": "true" if create_tables else "false",
            # Aggregates stay in memory and are fast-forwarded by the events saved since
            # (one indexed read), so a person or a long monitoring task is not replayed on
            # every request; a copy is handed out, so a refused command changes nothing.
            "AGGREGATE_CACHE_MAXSIZE": "20000",
        }
        if self.kind == "sqlite":
            Path(self.parts["path"]).parent.mkdir(parents=True, exist_ok=True)
            return {
                **common,
                "PERSISTENCE_MODULE": "infrastructure.store.chained_sqlite:LedgerSQLiteFactory",
                "SQLITE_DBNAME": self.parts["path"],
            }
        p = self.parts
        return {
            **common,
            "PERSISTENCE_MODULE": "infrastructure.store.chained_postgres:LedgerPostgresFactory",
            "POSTGRES_DBNAME": p["dbname"],
            "POSTGRES_HOST": p["host"],
            "POSTGRES_PORT": p["port"],
            "POSTGRES_USER": p["user"],
            "POSTGRES_PASSWORD": p["password"],
            "POSTGRES_SCHEMA": p["schema"],
            "POSTGRES_POOL_SIZE": "8",
            "POSTGRES_MAX_OVERFLOW": "24",
            "POSTGRES_LOCK_TIMEOUT": "5",
            # the wait for a pooled connection; a new one's own connect and statement
            # timeouts are set by the ledger's datastore (chained_postgres.py)
            "POSTGRES_CONNECT_TIMEOUT": str(max(1, round(self.wait_seconds))),
            "JIXIAO_STATEMENT_TIMEOUT_MS": str(int(self.statement_timeout_seconds * 1000)),
        }

    def psycopg_kwargs(self, *, in_schema: bool = True, bounded: bool = False) -> dict[str, str]:
        """Connection parameters for psycopg (PostgreSQL), with the schema on the search
        path unless `in_schema` is false (e.g. to create the schema). `bounded` adds the
        connect and statement timeouts a server's request may wait."""
        p = self.parts
        kwargs = {k: p[k] for k in ("host", "port", "user", "password", "dbname")}
        options = []
        if in_schema:
            options.append(f"-c search_path={p['schema']}")
        if bounded:
            kwargs["connect_timeout"] = str(max(2, round(self.wait_seconds)))  # libpq's least
            options.append(f"-c statement_timeout={int(self.statement_timeout_seconds * 1000)}")
        if options:
            kwargs["options"] = " ".join(options)
        return kwargs

    def describe(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:{self.parts['path']}"
        p = self.parts
        return (
            f"postgresql://{p['user']}@{p['host']}:{p['port']}/{p['dbname']} (schema {p['schema']})"
        )
