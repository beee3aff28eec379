"""What the command line's modules share."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class UsageError(Exception):
    """Wrong usage of the command line (exit code 2)."""


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write the whole file or nothing: a failure never leaves half a file behind."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
