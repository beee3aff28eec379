"""Messages as data: what pure code has to tell a person, as a code plus parameters.

Analysis, validation and edits never build sentences; they return a :class:`Message`
(``Message("mot.peak_negative")``, ``Message("mot.journey_end", {"reach": 0.8})``) and the
app, the exports and the command line turn it into words with :func:`render`, in the
language of the session. Tests can assert the code and the parameters, not the wording.

The words live in catalogues: :mod:`cxmap.core.english` is the English one, and the source of
the texts translators translate. A template is a :meth:`str.format` string over the parameters
(``{reach:.0%}``, ``{value!r}``), or a pair (one, many) chosen by the parameter ``n``. Parameters
may be messages themselves, or lists of them; the format specs ``and``, ``comma``,
``semicolon`` and ``sentences`` join a list ("a, b and c", "a, b, c", "a; b", "A. B.").

Examples
--------
>>> render(Message("mot.journey_end", {"reach": 0.8}))
'end of the journey: 80% of customers get here'
>>> str(Message("count.pain_point", {"n": 1})), str(Message("count.pain_point", {"n": 3}))
('1 pain point', '3 pain points')
>>> render(Message("list.and", {"items": ["web", "app", "phone"]}))
'web, app and phone'
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cxmap.core.english import ENGLISH

Template = str | tuple[str, str]
Catalogue = Mapping[str, Template]


@dataclass(frozen=True)
class Message:
    """A code (``"mot.bottleneck"``) and its parameters; ``str()`` gives the English text."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return render(self)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"code": ..., "params": {...}}`` (nested messages likewise).

        >>> Message("mot.bottleneck", {"reach": 0.9, "paths": 2}).as_dict()
        {'code': 'mot.bottleneck', 'params': {'reach': 0.9, 'paths': 2}}
        """
        return {"code": self.code, "params": {k: _plain(v) for k, v in self.params.items()}}


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_dict()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def join_and(items: Sequence[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> join_and(["a"]), join_and(["a", "b"]), join_and(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


_JOINS: dict[str, Callable[[Sequence[str]], str]] = {
    "and": join_and,
    "comma": ", ".join,
    "semicolon": "; ".join,
    "sentences": " ".join,
}


class _Formatter(string.Formatter):
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in _JOINS:
            return _JOINS[format_spec]([self.text(v) for v in value])
        if isinstance(value, Message):
            return self.text(value)
        return super().format_field(value, format_spec)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if isinstance(value, Message) and conversion is None:
            return value
        return super().convert_field(value, conversion)

    def text(self, value: Any) -> str:
        if not isinstance(value, Message):
            return str(value)
        template = self.catalogue.get(value.code) or _regular_noun(value.code)
        if template is None:
            # An unknown code is a bug, but a user is better served by the code than by a crash.
            return value.code
        if isinstance(template, tuple):
            template = template[0] if value.params.get("n") == 1 else template[1]
        return self.vformat(template, (), value.params)


def _regular_noun(code: str) -> Template | None:
    """The English noun of an entity the catalogue does not name yet, from its name:
    ``entity.tag`` → "tag", ``count.tag`` → "{n} tag" / "{n} tags" (irregular ones, such as
    "opportunities", are in the catalogue).

    >>> _regular_noun("count.quick_win"), _regular_noun("mot.other")
    (('{n} quick win', '{n} quick wins'), None)
    """
    kind, _, name = code.partition(".")
    noun = name.replace("_", " ")
    if kind == "entity" and name:
        return noun
    if kind == "count" and name:
        return (f"{{n}} {noun}", f"{{n}} {noun}s")
    return None


_ENGLISH = _Formatter(ENGLISH)


def render(message: Message | str, locale: str = "en") -> str:
    """The words of ``message`` in ``locale`` (English until other catalogues exist); plain
    text passes through unchanged."""
    return _ENGLISH.text(message)


def render_all(messages: Sequence[Message | str], locale: str = "en") -> list[str]:
    """:func:`render` of each message, in order."""
    return [render(m, locale) for m in messages]
