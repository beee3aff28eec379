"""The one rule for text that comes in from outside: files, forms and the command line.

Two kinds of character cannot be stored and are refused where they come in, with the place
they were found (a JSON path, a file's row and column, a form's field):

* NUL (U+0000): PostgreSQL text cannot hold it (SQLite can, so without this rule the same file
  would be accepted by one database and refused by the other);
* a lone surrogate (U+D800…U+DFFF): half of a UTF-16 pair, which a JSON escape such as
  ``"\\ud800"`` can produce but which is no character at all; neither database can encode it.

Feedback verbatims are the one exception: there the characters are replaced with U+FFFD (�)
and counted (:func:`replace_unstorable`), so one broken comment does not stop a survey export.

Examples
--------
>>> text_problem("Sees TV ad") is None
True
>>> text_problem("Sees\\x00TV ad")
'holds a NUL character (U+0000) at character 5, which cannot be stored'
>>> check_text("caf\\udce9", "name")
Traceback (most recent call last):
...
cxmap.core.errors.InvalidInput: name: holds a lone surrogate (U+DCE9) at character 4, which is not a character (a broken "\\u" escape?)
>>> replace_unstorable("ok\\x00 \\ud800")
('ok� �', 2)
"""  # noqa: E501

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cxmap.core.errors import InvalidInput

UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored (its first NUL or lone surrogate), or None when it can.

    >>> text_problem("\\ud800x")
    'holds a lone surrogate (U+D800) at character 1, which is not a character (a broken "\\\\u" escape?)'
    """  # noqa: E501
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    character, position = found.group(), found.start() + 1
    if character == "\x00":
        return f"holds a NUL character (U+0000) at character {position}, which cannot be stored"
    return (
        f"holds a lone surrogate (U+{ord(character):04X}) at character {position}, "
        'which is not a character (a broken "\\u" escape?)'
    )


def check_text(text: Any, where: str) -> None:
    """Raise InvalidInput naming ``where`` when ``text`` (if a string) cannot be stored.

    >>> check_text("fine", "name"), check_text(7, "emotion")
    (None, None)
    """
    if isinstance(text, str):
        problem = text_problem(text)
        if problem:
            raise InvalidInput(where, problem)


def replace_unstorable(text: str) -> tuple[str, int]:
    """``text`` with every NUL and lone surrogate replaced by U+FFFD, and how many there were.

    >>> replace_unstorable("fine")
    ('fine', 0)
    """
    return UNSTORABLE.subn(REPLACEMENT, text)


def first_unstorable(value: Any) -> tuple[list[str | int], str] | None:
    """The first string in a parsed JSON value (object names included) that cannot be stored:
    its path (``["map", "name"]``; such characters in an object name shown as U+FFFD, so the
    message can be printed) and the problem; None when every string can be stored.

    >>> first_unstorable({"map": {"name": "ok"}, "stages": [{"name": "\\x00"}]})
    (['stages', 0, 'name'], 'holds a NUL character (U+0000) at character 1, which cannot be stored')
    >>> first_unstorable({"a\\ud800": 1})[0]
    ['a�']
    """
    for path, text in _strings(value, []):
        problem = text_problem(text)
        if problem:
            return [replace_unstorable(p)[0] if isinstance(p, str) else p for p in path], problem
    return None


def _strings(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    # A stack, not recursion: a document nested as deeply as JSON allows is walked too.
    stack: list[tuple[list[str | int], Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            for name, child in reversed(item.items()):
                stack.append(([*where, name], child))
                stack.append(([*where, name], name))
        elif isinstance(item, list):
            stack.extend(
                ([*where, index], child) for index, child in reversed(list(enumerate(item)))
            )
