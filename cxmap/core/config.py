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
    ``max_feedback_rows``, ``max_feedback_columns``: ``CXMAP_MAX_FEEDBACK_ROWS``,
    ``CXMAP_MAX_FEEDBACK_COLUMNS``, the most rows (below the header) and columns of one.
    ``max_cell_chars``: ``CXMAP_MAX_CELL_CHARS``, the most characters in one cell (the journey
    file's limit for a feedback text, so whatever is imported can be exported).
    ``max_xlsx_unpacked_mb``: ``CXMAP_MAX_XLSX_UNPACKED_MB``, the most an xlsx may unpack to
    (an xlsx is a zip: 2 MB can unpack to gigabytes), checked before the workbook is opened.

    ``mode``: ``CXMAP_MODE``, ``local`` (no sign-in, this computer only) or ``team`` (accounts,
    roles and share links; docs/deploy.md).
    ``lockout_minutes``: ``CXMAP_LOCKOUT_MINUTES``, how long a name or client is locked out
    after five failed sign-ins in a row.
    ``session_idle_minutes``: ``CXMAP_SESSION_IDLE_MINUTES``, idle time after which a signed-in
    browser is signed out.
    ``fast_password_hash``: ``CXMAP_FAST_PASSWORD_HASH=1``, a cheap argon2id profile for the
    test suite only.

    The defaults suit a machine with 2 cores and a few GB of memory.
    """

    database_url: str = DEFAULT_DATABASE_URL
    max_import_mb: float = 25.0
    max_feedback_mb: float = 100.0
    max_feedback_rows: int = 500_000
    max_feedback_columns: int = 500
    max_cell_chars: int = 20_000
    max_xlsx_unpacked_mb: float = 500.0
    mode: str = "local"
    lockout_minutes: float = 15.0
    session_idle_minutes: float = 60.0
    fast_password_hash: bool = False

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

    @property
    def feedback_limits(self) -> FileLimits:
        """The limits a feedback file is read within.

        >>> Settings(max_feedback_rows=10).feedback_limits.rows
        10
        """
        return FileLimits(
            bytes=self.max_feedback_bytes,
            rows=self.max_feedback_rows,
            columns=self.max_feedback_columns,
            cell_chars=self.max_cell_chars,
            unpacked_bytes=int(self.max_xlsx_unpacked_mb * 1024 * 1024),
        )


@dataclass(frozen=True)
class FileLimits:
    """How large a feedback file may be: bytes, rows below the header, columns, characters per
    cell and, for an xlsx, the bytes it unpacks to. The defaults are :class:`Settings`'."""

    bytes: int = 100 * 1024 * 1024
    rows: int = 500_000
    columns: int = 500
    cell_chars: int = 20_000
    unpacked_bytes: int = 500 * 1024 * 1024


def load_settings() -> Settings:
    """Read settings from the environment (unset variables keep their defaults)."""
    url = os.environ.get("CXMAP_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    if url.startswith("postgresql://"):
        # The bare scheme would pick psycopg2; cxmap ships psycopg 3.
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    max_mb = float(os.environ.get("CXMAP_MAX_IMPORT_MB", "25") or 25)
    feedback_mb = float(os.environ.get("CXMAP_MAX_FEEDBACK_MB", "100") or 100)
    defaults = Settings()
    return Settings(
        database_url=url,
        max_import_mb=max_mb,
        max_feedback_mb=feedback_mb,
        max_feedback_rows=int(_number("CXMAP_MAX_FEEDBACK_ROWS", defaults.max_feedback_rows)),
        max_feedback_columns=int(
            _number("CXMAP_MAX_FEEDBACK_COLUMNS", defaults.max_feedback_columns)
        ),
        max_cell_chars=int(_number("CXMAP_MAX_CELL_CHARS", defaults.max_cell_chars)),
        max_xlsx_unpacked_mb=_number("CXMAP_MAX_XLSX_UNPACKED_MB", defaults.max_xlsx_unpacked_mb),
        mode=_mode(),
        lockout_minutes=_number("CXMAP_LOCKOUT_MINUTES", defaults.lockout_minutes),
        session_idle_minutes=_number("CXMAP_SESSION_IDLE_MINUTES", defaults.session_idle_minutes),
        fast_password_hash=os.environ.get("CXMAP_FAST_PASSWORD_HASH", "") == "1",
    )


MODES = ("local", "team")


def _mode() -> str:
    """``CXMAP_MODE`` (default local); a value that is neither mode stops the app at once
    rather than guessing which protection was meant.

    >>> os.environ["CXMAP_MODE"] = "Team"
    >>> _mode()
    'team'
    >>> del os.environ["CXMAP_MODE"]
    """
    mode = os.environ.get("CXMAP_MODE", "").strip().lower() or "local"
    if mode not in MODES:
        raise ValueError(f"CXMAP_MODE must be local or team, not {mode!r}")
    return mode


def _number(variable: str, default: float) -> float:
    """An environment variable's number (unset or empty: ``default``).

    >>> os.environ["CXMAP_MAX_CELL_CHARS"] = "1_000"
    >>> _number("CXMAP_MAX_CELL_CHARS", 20_000), _number("CXMAP_UNSET_EXAMPLE", 7)
    (1000.0, 7.0)
    >>> del os.environ["CXMAP_MAX_CELL_CHARS"]
    """
    return float(os.environ.get(variable, "").strip() or default)
