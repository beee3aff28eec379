"""Sign-in benchmark: what a person (or a password guesser) meets at team mode's sign-in.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_sign_in.py``.
Real argon2id hashes (the app's profile, not the tests' fast one) on a SQLite file. Prints the
time of a right password, then of each wrong one in a row against one account, until the
account is locked out, and what the right password gets during the lockout. Nothing waits for
the lockout to end: its length is the ``CXMAP_LOCKOUT_MINUTES`` setting (15 by default).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.pop("CXMAP_FAST_PASSWORD_HASH", None)  # the real hash profile

from cxmap import services  # noqa: E402
from cxmap.core.context import Context  # noqa: E402
from cxmap.services.accounts import SignInRefused  # noqa: E402
from cxmap.store.db import Database  # noqa: E402

PASSWORD = "a long enough password"


def attempt(ctx: Context, password: str, client: str) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        services.sign_in(ctx, "olga", password, client)
        outcome = "signed in"
    except SignInRefused as refused:
        outcome = refused.message
    return time.perf_counter() - start, outcome


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        database.migrate()
        ctx = Context(database)
        services.add_account(ctx, "olga", PASSWORD)
        seconds, outcome = attempt(ctx, PASSWORD, "10.0.0.1")
        print(f"right password:              {seconds * 1000:6.0f} ms  {outcome}")
        for n in range(1, 7):
            seconds, outcome = attempt(ctx, "a wrong password", "10.0.0.2")
            print(f"wrong password #{n}:          {seconds * 1000:6.0f} ms  {outcome}")
        seconds, outcome = attempt(ctx, PASSWORD, "10.0.0.3")
        print(f"right password, locked out:  {seconds * 1000:6.0f} ms  {outcome}")
        database.dispose()


if __name__ == "__main__":
    main()
