"""User text made safe for the renderers' HTML: shortened, then escaped.

Plotly labels and hover text, the journey canvas and the HTML exports all take (a subset of)
HTML, so every user string goes through :func:`escape` first. Quotes are escaped too: the same
text may end up in an attribute (a tooltip) as well as in an element.
"""

from __future__ import annotations

import html


def shorten(text: str, limit: int | None) -> str:
    """``text`` cut to ``limit`` characters, the last an ellipsis (None: no limit).

    >>> shorten("Compares plans online", 12), shorten("Short", 12), shorten("Short", None)
    ('Compares pl…', 'Short', 'Short')
    """
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def escape(text: object, limit: int | None = None) -> str:
    """``text`` (any value, as a string) shortened to ``limit`` characters and HTML-escaped.

    Shortened before escaping, so no entity is cut in half.

    >>> escape('<b>"Fast" & cheap</b>'), escape("Tom & Jerry", 6)
    ('&lt;b&gt;&quot;Fast&quot; &amp; cheap&lt;/b&gt;', 'Tom &amp;…')
    """
    return html.escape(shorten(str(text), limit), quote=True)
