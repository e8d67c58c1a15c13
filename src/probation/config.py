"""Configuration from environment variables prefixed PROBATION_, read once.

Secrets have a default only in development and test. In production the secret must be set, must
not be the development value and must be at least 32 bytes; `PROBATION_ENV` takes only the three
environments. A breach of either stops start-up with a message naming the variable and the rule.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "development-only-secret-do-not-use-in-production"
ENVIRONMENTS = ("development", "test", "production")
MIN_SECRET_BYTES = 32  # 256 bits, the size of the HMAC-SHA256 key that signs the session cookie


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PROBATION_", extra="ignore")

    env: str = "development"  # development | test | production
    database_url: str = "sqlite:///var/probation.sqlite3"
    secret_key: str = ""
    session_max_age_s: int = 8 * 3600
    token_max_age_s: int = 12 * 3600
    log_sql: bool = False
    page_size_default: int = 25
    page_size_max: int = 200
    outbox_dir: str = "var/outbox"
    em_approach_m_default: float = 100.0
    # The level-of-contact matrix (YAML, validated at start-up); the platform default when unset.
    contact_matrix: str | None = None
    # Retention periods per record kind (YAML, validated at start-up); the platform defaults when unset.
    retention: str | None = None
    # Request limits (docs/SECURITY.md "Request limits"): refused with 413 before the body is parsed.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)         # JSON and form bodies
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)  # file uploads (multipart)
    max_ingest_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)   # EM device data batches
    max_upload_rows: int = Field(default=5_000, ge=1)                 # records in one uploaded file
    # /docs and /openapi.json: public outside production; in production only when set true.
    api_docs_public: bool = False
    # Sign-in throttling (docs/SECURITY.md): failures counted per username and per client address
    # over a window; reaching the limit locks that key, the lock doubling up to the maximum.
    sign_in_user_failures: int = Field(default=5, ge=1)
    sign_in_address_failures: int = Field(default=50, ge=1)
    sign_in_window_s: int = Field(default=3600, ge=1)
    sign_in_lock_s: int = Field(default=60, ge=1)
    sign_in_lock_max_s: int = Field(default=3600, ge=1)
    sign_in_lock_reset_s: int = Field(default=86400, ge=1)

    @field_validator("env")
    @classmethod
    def _known_env(cls, value: str) -> str:
        if value not in ENVIRONMENTS:
            raise ValueError(f"PROBATION_ENV is {value!r}: it must be one of {', '.join(ENVIRONMENTS)}")
        return value

    @model_validator(mode="after")
    def _secrets(self) -> Settings:
        if not self.secret_key:
            if self.env in ("development", "test"):
                self.secret_key = DEV_SECRET
            else:
                raise ValueError("PROBATION_SECRET_KEY must be set outside development")
        if self.env == "production":
            if self.secret_key == DEV_SECRET:
                raise ValueError("PROBATION_SECRET_KEY is the development secret, which is published in the "
                                 "source: production needs its own random secret")
            if len(self.secret_key.encode()) < MIN_SECRET_BYTES:
                raise ValueError(f"PROBATION_SECRET_KEY has {len(self.secret_key.encode())} bytes: production "
                                 f"needs a random secret of at least {MIN_SECRET_BYTES} bytes")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        raw = self.database_url.split("///", 1)[1] if "///" in self.database_url else ""
        return Path(raw) if raw and raw != ":memory:" else None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
