"""One frozen settings object, read from the environment.

Examples
--------
>>> import os
>>> os.environ["CXMAP_DATABASE_URL"] = "sqlite:////tmp/example.db"
>>> load_settings().database_url
'sqlite:////tmp/example.db'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'cxmap.db'}"


@dataclass(frozen=True)
class Settings:
    """Everything cxmap reads from its environment.

    ``database_url``: ``CXMAP_DATABASE_URL``, an SQLAlchemy URL; SQLite file by default,
    ``postgresql+psycopg://user@host/db`` for PostgreSQL.
    ``max_import_mb``: ``CXMAP_MAX_IMPORT_MB``, the largest journey file accepted.
    ``max_feedback_mb``: ``CXMAP_MAX_FEEDBACK_MB``, the largest feedback file (CSV, xlsx).
    """

    database_url: str = DEFAULT_DATABASE_URL
    max_import_mb: float = 25.0
    max_feedback_mb: float = 100.0

    @property
    def max_import_bytes(self) -> int:
        """``max_import_mb`` in bytes.

        >>> Settings(max_import_mb=1).max_import_bytes
        1048576
        """
        return int(self.max_import_mb * 1024 * 1024)

    @property
    def max_feedback_bytes(self) -> int:
        """``max_feedback_mb`` in bytes."""
        return int(self.max_feedback_mb * 1024 * 1024)


def load_settings() -> Settings:
    """Read settings from the environment (unset variables keep their defaults)."""
    url = os.environ.get("CXMAP_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    if url.startswith("postgresql://"):
        # The bare scheme would pick psycopg2; cxmap ships psycopg 3.
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    max_mb = float(os.environ.get("CXMAP_MAX_IMPORT_MB", "25") or 25)
    feedback_mb = float(os.environ.get("CXMAP_MAX_FEEDBACK_MB", "100") or 100)
    return Settings(database_url=url, max_import_mb=max_mb, max_feedback_mb=feedback_mb)
