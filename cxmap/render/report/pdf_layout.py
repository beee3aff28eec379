"""The PDF's layout primitives on fpdf2: A4 landscape pages with a footer, fonts (Noto Sans and
Noto Naskh Arabic embedded; Arabic-script text shaped by HarfBuzz), text made safe for those
fonts, headings, paragraphs, images, tables, and the touchpoint cards of the journey grid.

:mod:`cxmap.render.report.pdf` builds the report's sections with these.

Examples
--------
>>> pdf_text("→ done ✓")
'-> done v'
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxmap.analysis.scoring import TouchpointScore
from cxmap.render import charts
from cxmap.render.report.browser import FigureJob

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0  # A4 landscape, mm
MARGIN = 12.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
TEAL = (15, 118, 110)
INK = (31, 41, 51)
MUTED = (82, 96, 109)
LINE = (203, 213, 209)
AMBER = (245, 158, 11)
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# A run of Arabic-script words: letters, joiners, spaces and digits between letters (no
# punctuation: a bracket or colon belongs to the sentence around the run).
_ARABIC_RUN = re.compile(f"[{_ARABIC}](?:[{_ARABIC}\\s\u200c\u200d0-9]*[{_ARABIC}])?")
_ARABIC_LETTER = re.compile(f"[{_ARABIC}]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
# Characters the embedded fonts lack, drawn with ones they have.
_PDF_SUBSTITUTES = str.maketrans(
    {"★": "*", "→": "->", "−": "-", "✓": "v", "\u2009": " ", "\u202f": " ", "\u00a0": " "}
)


@functools.cache
def _font_coverage() -> frozenset[int]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    covered: set[int] = set()
    for name in ("NotoSans-Regular.ttf", "NotoNaskhArabic-Regular.ttf"):
        covered.update(TTFont(FONTS_DIR / name, lazy=True).getBestCmap())
    return frozenset(covered)


def pdf_text(text: object) -> str:
    """Text ready for the PDF's fonts: characters no embedded font has are dropped (emoji…)
    or replaced; Persian or Arabic runs inside Latin text are wrapped in right-to-left isolates,
    so the bidi algorithm keeps each run (with its zero-width non-joiners) in one piece.

    >>> pdf_text("★ Sign-up 📱") == "* Sign-up "
    True
    >>> pdf_text("Step ثبت‌نام") == "Step \\u2067ثبت\\u200cنام\\u2069"
    True
    """
    value = str(text).translate(_PDF_SUBSTITUTES)
    covered = _font_coverage()
    value = "".join(c for c in value if ord(c) in covered or c in "\n\u2067\u2069")
    if _ARABIC_LETTER.search(value) and _LATIN_LETTER.search(value):
        value = _ARABIC_RUN.sub(lambda m: f"\u2067{m.group(0)}\u2069", value)
    return value


def right_to_left(text: str) -> bool:
    """Whether the first strong character is Arabic-script (the text reads right to left)."""
    for char in text:
        if _ARABIC_LETTER.match(char):
            return True
        if _LATIN_LETTER.match(char):
            return False
    return False


def _hex(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def emotion_colour(emotion: float | None) -> str:
    """Emotion −2…+2 on the friction colours: −2 red, 0 amber, +2 green (grey: none).

    >>> emotion_colour(-2), emotion_colour(2), emotion_colour(None)
    ('#ce2222', '#249e57', '#94a3b8')
    """
    if emotion is None:
        return "#94a3b8"
    return charts.friction_colour(50 - 25 * emotion)


@functools.cache
def _pdf_class() -> type[FPDF]:
    """FPDF that shapes text with HarfBuzz (and so runs the bidi algorithm) only where the text
    has Arabic script: shaping every string would take several times as long on a large map."""
    from fpdf import FPDF

    class ShapingPdf(FPDF):
        def cell(
            self, w: Any = None, h: Any = None, text: str = "", *args: Any, **kwargs: Any
        ) -> Any:
            self._shape_for(text)
            return super().cell(w, h, text, *args, **kwargs)

        def multi_cell(
            self, w: Any, h: Any = None, text: str = "", *args: Any, **kwargs: Any
        ) -> Any:
            self._shape_for(text)
            return super().multi_cell(w, h, text, *args, **kwargs)

        def _shape_for(self, text: object) -> None:
            wanted = bool(_ARABIC_LETTER.search(str(text)))
            if wanted != bool(self.text_shaping):
                self.set_text_shaping(wanted)

    return ShapingPdf


def line_count(pdf: FPDF, width: float, height: float, text: str) -> int:
    """How many lines ``text`` takes in a ``width`` mm multi_cell in the current font."""
    lines = pdf.multi_cell(width, height, text, dry_run=True, output="LINES")
    return len(lines) if isinstance(lines, list) else 1


def name_width(card_width: float, moment_of_truth: bool) -> float:
    """Width of a card's name: the ★ of a moment of truth takes the top right corner."""
    return card_width - 4 - (4 if moment_of_truth else 0)


def feeling(emotion: float | None) -> str:
    """
    >>> feeling(-1.0), feeling(0.0), feeling(1.25), feeling(None)
    ('emotion -1', 'emotion 0', 'emotion +1.2', 'no emotion')
    """
    if emotion is None:
        return "no emotion"
    if float(emotion).is_integer():
        return f"emotion {emotion:+.0f}" if emotion else "emotion 0"
    return f"emotion {emotion:+.1f}"


def fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis until it fits ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


@dataclass
class Card:
    """A touchpoint card of the PDF's journey map."""

    touchpoint: Any
    score: TouchpointScore | None
    rank: int | None
    width: float
    height: float
    name: str
    where: str
    mot: bool

    def draw(self, layout: PdfLayout, x: float, y: float) -> None:
        """Draw the card with its top-left corner at (``x``, ``y``): name, where, feeling and, when
        scored, the friction bar with its rank (a moment of truth in amber, with a star).
        """
        pdf = layout.pdf
        mot = self.mot
        pdf.set_line_width(0.6 if mot else 0.25)
        pdf.set_draw_color(*(AMBER if mot else LINE))
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(x, y, self.width, self.height, style="DF", round_corners=True, corner_radius=1.5)
        inner = name_width(self.width, mot)
        if mot:
            pdf.set_fill_color(*AMBER)
            pdf.set_draw_color(146, 64, 14)
            pdf.set_line_width(0.2)
            pdf.star(x + self.width - 3.2, y + 3.2, 0.8, 1.9, corners=5, style="DF")
        pdf.set_xy(x + 2, y + 1.5)
        layout._font(8.5, bold=True)
        align = "R" if right_to_left(self.name) else "L"
        pdf.multi_cell(inner, 3.8, self.name, align=align, new_x="LEFT", new_y="NEXT")
        pdf.set_x(x + 2)
        layout._font(7, colour=MUTED)
        pdf.multi_cell(self.width - 4, 3.2, self.where, new_x="LEFT", new_y="NEXT")
        bottom = y + self.height - 5.5
        emotion = self.score.emotion if self.score else self.touchpoint.emotion
        pdf.set_fill_color(*_hex(emotion_colour(emotion)))
        pdf.ellipse(x + 2, bottom + 0.6, 3, 3, style="F")
        pdf.set_xy(x + 5.6, bottom)
        layout._font(7)
        pdf.cell(self.width * 0.45, 4.2, feeling(emotion))
        if self.score is not None:
            friction = self.score.friction
            bar_x = x + self.width * 0.55
            bar_width = self.width * 0.45 - 2
            pdf.set_fill_color(230, 234, 238)
            pdf.rect(bar_x, bottom + 2.6, bar_width, 1.4, style="F")
            pdf.set_fill_color(*_hex(charts.friction_colour(friction)))
            pdf.rect(bar_x, bottom + 2.6, bar_width * friction / 100, 1.4, style="F")
            pdf.set_xy(bar_x, bottom - 0.9)
            label = f"friction {friction:.0f}" + (f" · #{self.rank}" if self.rank else "")
            layout._font(6.5, bold=bool(self.rank), colour=(185, 28, 28) if self.rank else MUTED)
            pdf.cell(bar_width, 3.4, label, align="R")


class PdfLayout:
    """An fpdf2 document in the report's fonts and colours, with its page furniture."""

    def __init__(self, title: str, subject: str, footer: str) -> None:
        pdf = _pdf_class()(orientation="L", unit="mm", format="A4")
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, margin=MARGIN + 4)
        for family, file_stem in (("noto", "NotoSans"), ("naskh", "NotoNaskhArabic")):
            pdf.add_font(family, "", FONTS_DIR / f"{file_stem}-Regular.ttf")
            pdf.add_font(family, "B", FONTS_DIR / f"{file_stem}-Bold.ttf")
        pdf.set_fallback_fonts(["naskh", "noto"], exact_match=False)
        pdf.set_title(pdf_text(title))
        pdf.set_creator("cxmap")
        pdf.set_subject(subject)
        pdf.alias_nb_pages()
        self.pdf: FPDF = pdf
        self.section = ""
        pdf.footer = functools.partial(self._footer, pdf_text(footer))  # type: ignore[method-assign]

    # -- page furniture

    def _footer(self, text: str) -> None:
        pdf = self.pdf
        pdf.set_y(-MARGIN)
        self._font(7.5, colour=MUTED)
        pdf.cell(CONTENT_WIDTH / 2, 5, text, align="L")
        pdf.cell(CONTENT_WIDTH / 2, 5, f"page {pdf.page_no()} of {{nb}}", align="R")

    def _font(self, size: float, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        self.pdf.set_font("noto", "B" if bold else "", size)
        self.pdf.set_text_color(*colour)

    def _page(self, title: str, subtitle: str = "") -> None:
        pdf = self.pdf
        pdf.add_page()
        self.section = title
        self._font(16, bold=True, colour=TEAL)
        pdf.cell(0, 8, pdf_text(title), new_x="LMARGIN", new_y="NEXT")
        if subtitle:
            self._font(9, colour=MUTED)
            pdf.multi_cell(0, 4.5, pdf_text(subtitle), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def _heading(self, text: str) -> None:
        pdf = self.pdf
        if pdf.get_y() > PAGE_HEIGHT - 40:
            pdf.add_page()
        pdf.ln(2)
        self._font(12, bold=True, colour=TEAL)
        pdf.cell(0, 7, pdf_text(text), new_x="LMARGIN", new_y="NEXT")

    def _paragraph(self, text: str, size: float = 9.5, colour: tuple[int, int, int] = INK) -> None:
        self._font(size, colour=colour)
        clean = pdf_text(text)
        self.pdf.multi_cell(
            0,
            size * 0.5,
            clean,
            align="R" if right_to_left(clean) else "L",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    def _image(self, image: tuple[bytes, FigureJob], width: float) -> None:
        pdf = self.pdf
        png, job = image
        height = width * job.height / job.width
        if pdf.get_y() + height > PAGE_HEIGHT - MARGIN - 4:
            pdf.add_page()
        pdf.image(io.BytesIO(png), x=pdf.l_margin, y=pdf.get_y(), w=width, h=height)
        pdf.set_y(pdf.get_y() + height + 2)

    def _table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[str]],
        widths: Sequence[float],
        *,
        numeric: set[int] | frozenset[int] = frozenset(),
        size: float = 8.0,
    ) -> None:
        from fpdf.fonts import FontFace

        pdf = self.pdf
        self._font(size)
        pdf.set_draw_color(*LINE)
        heading = FontFace(family="noto", emphasis="BOLD", color=(255, 255, 255), fill_color=TEAL)
        pdf.set_fill_color(255, 255, 255)
        with pdf.table(
            col_widths=tuple(widths),
            cell_fill_color=(244, 247, 246),
            cell_fill_mode="ROWS",
            width=CONTENT_WIDTH,
            align="LEFT",
            text_align="LEFT",
            headings_style=heading,
            line_height=size * 0.5,
            padding=(0.8, 1.2),
            borders_layout="HORIZONTAL_LINES",
            repeat_headings=1,
        ) as table:
            head = table.row()
            for title in header:
                head.cell(title)
            for values in rows:
                row = table.row()
                for index, value in enumerate(values):
                    text = pdf_text(value)
                    align = "R" if index in numeric or right_to_left(text) else "L"
                    row.cell(text, align=align)
        pdf.ln(2)

    def _stage_header(self, x: float, y: float, width: float, name: str, meta: str) -> None:
        pdf = self.pdf
        pdf.set_fill_color(*TEAL)
        pdf.rect(x, y, width, 11, style="F")
        pdf.set_xy(x + 1.5, y + 0.8)
        self._font(9, bold=True, colour=(255, 255, 255))
        text = pdf_text(name)
        pdf.cell(width - 3, 5, fit(pdf, text, width - 3), align="R" if right_to_left(text) else "L")
        pdf.set_xy(x + 1.5, y + 5.8)
        self._font(7, colour=(220, 240, 236))
        pdf.cell(width - 3, 4, pdf_text(meta))
