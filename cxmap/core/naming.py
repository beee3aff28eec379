"""Names for copies: "Checkout (copy)", "Checkout (copy 2)", … never one already taken."""

from __future__ import annotations

import re
from collections.abc import Callable

_COPY_SUFFIX = re.compile(r" \(copy( \d+)?\)$")


def free_copy_name(name: str, taken: Callable[[str], object]) -> str:
    """The first of "NAME (copy)", "NAME (copy 2)", … for which ``taken(candidate)`` is falsy.

    A copy of a copy is named after the original ("A (copy)" → "A (copy 2)").

    >>> existing = {"Onboarding", "Onboarding (copy)"}
    >>> free_copy_name("Onboarding", existing.__contains__)
    'Onboarding (copy 2)'
    >>> free_copy_name("Onboarding (copy)", existing.__contains__)
    'Onboarding (copy 2)'
    >>> free_copy_name("Billing", existing.__contains__)
    'Billing (copy)'
    """
    base = _COPY_SUFFIX.sub("", name)
    candidate, n = f"{base} (copy)", 2
    while taken(candidate):
        candidate, n = f"{base} (copy {n})", n + 1
    return candidate
