"""The PowerPoint export: the executive summary as 16:9 slides (python-pptx).

A title slide (the map's name, the date), the three answers, the KPIs (health, completion, NPS,
CSAT and CES with n and the period they cover), the top touchpoints to fix (a table), the
moments of truth, then the emotion curve and the opportunity matrix as pictures. The pictures
are the PDF's: the same plotly figures (:func:`cxmap.render.report.shared.export_figures`)
rendered by kaleido in the kept browser (:mod:`cxmap.render.report.browser`).

User text goes in as text (python-pptx escapes it for the XML); a paragraph that reads right to
left (Persian, Arabic) is marked so and aligned right.

Examples
--------
>>> from cxmap.analysis.executive import executive_summary
>>> from cxmap.analysis.scoring import analyze
>>> from cxmap.core.examples import demo_chain
>>> from pptx import Presentation
>>> deck = Presentation(io.BytesIO(to_pptx(executive_summary(demo_chain(), analyze(demo_chain())),
...                                        images={})))
>>> [slide_title(s) for s in deck.slides][:3]
['Chain', 'How are we doing, where does it hurt, what first', 'The numbers']
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Length, Pt

from cxmap.analysis.executive import ExecutiveSummary
from cxmap.core.messages import render, render_all
from cxmap.render.report.browser import FigureJob, in_browser, require_chromium
from cxmap.render.report.pdf_layout import right_to_left
from cxmap.render.report.shared import export_figures, join, meta_line

SLIDE_WIDTH = Emu(12_192_000)  # 16:9 widescreen, as PowerPoint makes it (13⅓ in)
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
# CSS px of the chart pictures (rendered at PNG_SCALE): the matrix narrower, so its labels read.
CHART_PX = {"curve": (1500, 600), "matrix": (1100, 640)}
MOMENTS_SHOWN = 8  # moments of truth on their slide; the PDF and HTML have all

_TEAL = RGBColor(0x0F, 0x76, 0x6E)
_INK = RGBColor(0x0F, 0x17, 0x2A)
_MUTED = RGBColor(0x52, 0x60, 0x6D)


def to_pptx(report: ExecutiveSummary, images: Mapping[str, bytes] | None = None) -> bytes:
    """The summary as a PowerPoint file (see the module docstring).

    ``images`` (chart name → PNG) skips the browser; by default the emotion curve and the
    opportunity matrix are rendered in the kept Chromium when the map has what they show.
    """
    if images is None:
        images = chart_images(report)
    deck = _Deck(report)
    deck.title_slide()
    deck.answers_slide()
    deck.kpi_slide()
    deck.top_slide()
    deck.moments_slide()
    if "curve" in images:
        deck.picture_slide(
            "Emotion across the journey",
            "How customers feel, stage by stage (−2 very negative … +2 delighted); "
            "★ marks the moments of truth.",
            images["curve"],
        )
    if "matrix" in images:
        deck.picture_slide(
            "What to do: the opportunity matrix",
            "Customer value × business value (0–100); bigger bubbles take less effort; colour "
            "is the status. Top right: do first (win–win).",
            images["matrix"],
        )
    out = io.BytesIO()
    deck.presentation.save(out)
    return out.getvalue()


def chart_images(report: ExecutiveSummary) -> dict[str, bytes]:
    """PNGs of the emotion curve (when the map has touchpoints) and the opportunity matrix
    (when it has opportunities), rendered like the PDF's charts, in one browser."""
    wanted = ["curve"] if report.aggregate.touchpoints else []
    if report.aggregate.opportunities:
        wanted.append("matrix")
    if not wanted:
        return {}
    require_chromium("PowerPoint")  # before the charts are built: say so at once
    figures = export_figures(report, wanted)
    jobs = [FigureJob(figures[name], *CHART_PX[name]) for name in wanted]
    rendered, _ = in_browser("PowerPoint", figures=jobs)
    return dict(zip(wanted, rendered, strict=True))


def slide_title(slide: Slide) -> str:
    """The text of a slide's title (its first text box): for tests and readers of the file."""
    for shape in slide.shapes:
        if isinstance(shape, Shape) and shape.has_text_frame:
            return str(shape.text_frame.text)
    return ""


class _Deck:
    def __init__(self, report: ExecutiveSummary) -> None:
        self.report = report
        self.presentation = Presentation()
        self.presentation.slide_width = SLIDE_WIDTH
        self.presentation.slide_height = SLIDE_HEIGHT
        self._blank = self.presentation.slide_layouts[6]
        self._content_width = Emu(SLIDE_WIDTH - 2 * MARGIN)

    # -- slides

    def title_slide(self) -> None:
        report = self.report
        slide = self._slide()
        # The map's name first: slide_title() and outline views read it as the title.
        self._text(slide, report.name, Inches(2.5), Inches(1.6), size=40, bold=True, user=True)
        self._text(slide, "EXECUTIVE SUMMARY", Inches(2.0), Inches(0.4), size=14, colour=_MUTED)
        facts = f"Customer journey map · {report.exported:%d %B %Y}"
        self._text(slide, facts, Inches(4.2), Inches(0.5), size=18, colour=_TEAL)
        self._text(slide, meta_line(report), Inches(4.8), Inches(0.8), size=12, colour=_MUTED)
        description = report.aggregate.map.description
        if description:
            self._text(
                slide, description, Inches(5.6), Inches(1.4), size=14, colour=_MUTED, user=True
            )

    def answers_slide(self) -> None:
        slide = self._heading("How are we doing, where does it hurt, what first")
        questions = self.report.answers().questions()
        gap = Inches(0.3)
        width = Emu(int((self._content_width - 2 * gap) / 3))
        for index, (question, answer) in enumerate(questions):
            left = Emu(MARGIN + index * (width + gap))
            bar = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, left, Inches(1.5), Inches(0.08), Inches(5.2)
            )
            bar.fill.solid()
            bar.fill.fore_color.rgb = _TEAL
            bar.line.fill.background()
            box = slide.shapes.add_textbox(Emu(left + Inches(0.2)), Inches(1.5), width,
                                           Inches(5.2))  # fmt: skip
            frame = box.text_frame
            frame.word_wrap = True
            frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # PowerPoint shrinks long answers
            self._paragraph(frame, question, size=22, bold=True, colour=_TEAL, first=True)
            self._paragraph(frame, answer, size=18, space_before=10)

    def kpi_slide(self) -> None:
        report = self.report
        slide = self._heading("The numbers")
        tiles = report.tiles()
        rows = [
            [
                tile.label,
                tile.value,
                "" if tile.n is None else str(tile.n),
                tile.change_text or tile.note,
                tile.detail,
            ]
            for tile in tiles
        ]
        self._table(
            slide,
            ["KPI", "Value", "n", "Change", "Detail"],
            rows,
            (2.4, 1.4, 0.9, 3.6, 4.033),
            top=Inches(1.5),
            size=16,
        )
        period = f"Feedback: {report.period}." if report.period else "No feedback answers yet."
        self._text(slide, period, Inches(6.4), Inches(0.5), size=13, colour=_MUTED)

    def top_slide(self) -> None:
        report = self.report
        slide = self._heading(
            f"Top {len(report.top)} to fix: where it hurts most" if report.top else "Top to fix"
        )
        if not report.top:
            self._text(
                slide,
                "No touchpoint has friction yet: record emotions, effort, pain points or "
                "feedback to see where it hurts.",
                Inches(1.6),
                Inches(1.0),
                size=18,
                colour=_MUTED,
            )
            return
        rows = [
            [str(rank), t.name, join(t.stage, t.owner), f"{t.friction:.0f}", f"{t.reach:.0%}",
             f"{t.impact:.1f}", render(t.explain())]
            for rank, t in enumerate(report.top, start=1)
        ]  # fmt: skip
        self._table(
            slide,
            ["#", "Touchpoint", "Stage · owner", "Friction", "Reach", "Impact", "Why"],
            rows,
            (0.5, 3.0, 2.4, 1.1, 1.0, 1.0, 3.333),
            top=Inches(1.5),
            size=13,
        )
        self._text(
            slide,
            "Impact = friction (0–100) × reach (the share of customers who pass there).",
            Inches(6.6),
            Inches(0.4),
            size=12,
            colour=_MUTED,
        )

    def moments_slide(self) -> None:
        moments = self.report.analysis.moments_of_truth
        slide = self._heading(f"★ Moments of truth ({len(moments)})" if moments else
                              "★ Moments of truth")  # fmt: skip
        box = slide.shapes.add_textbox(MARGIN, Inches(1.5), self._content_width, Inches(5.5))
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        if not moments:
            self._paragraph(
                frame,
                "No moment of truth yet: flag the touchpoints that decide how customers judge "
                "you, or record emotions so the model finds the peaks.",
                size=18,
                colour=_MUTED,
                first=True,
            )
            return
        for index, t in enumerate(moments[:MOMENTS_SHOWN]):
            self._paragraph(frame, t.name, size=18, bold=True, first=index == 0,
                            space_before=0 if index == 0 else 8, user=True)  # fmt: skip
            reasons = "; ".join(render_all(t.reasons))
            facts = join(t.stage, t.owner, f"reach {t.reach:.0%}", f"friction {t.friction:.0f}")
            self._paragraph(frame, f"{facts}: {reasons}", size=13, colour=_MUTED)
        if len(moments) > MOMENTS_SHOWN:
            more = len(moments) - MOMENTS_SHOWN
            self._paragraph(frame, f"… and {more} more (the PDF and HTML list all).", size=13,
                            colour=_MUTED, space_before=8)  # fmt: skip

    def picture_slide(self, title: str, note: str, png: bytes) -> None:
        slide = self._heading(title)
        self._text(slide, note, Inches(1.15), Inches(0.4), size=13, colour=_MUTED)
        width, height = _png_size(png)
        room_width, room_height = self._content_width, Inches(5.6)
        scale = min(room_width / width, room_height / height)
        shown_width, shown_height = Emu(int(width * scale)), Emu(int(height * scale))
        left = Emu(int((SLIDE_WIDTH - shown_width) / 2))
        slide.shapes.add_picture(io.BytesIO(png), left, Inches(1.65), shown_width, shown_height)

    # -- primitives

    def _slide(self) -> Slide:
        return self.presentation.slides.add_slide(self._blank)

    def _heading(self, title: str) -> Slide:
        slide = self._slide()
        self._text(slide, title, Inches(0.35), Inches(0.8), size=30, bold=True)
        return slide

    def _text(
        self,
        slide: Slide,
        text: str,
        top: Length,
        height: Length,
        *,
        size: float,
        bold: bool = False,
        colour: RGBColor = _INK,
        user: bool = False,
    ) -> None:
        box = slide.shapes.add_textbox(MARGIN, top, self._content_width, height)
        frame = box.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        self._paragraph(frame, text, size=size, bold=bold, colour=colour, first=True, user=user)

    def _paragraph(
        self,
        frame: TextFrame,
        text: str,
        *,
        size: float,
        bold: bool = False,
        colour: RGBColor = _INK,
        first: bool = False,
        space_before: float = 0,
        user: bool = False,
    ) -> None:
        """A paragraph of one run; ``user`` text (a name) that starts right to left is marked
        so and aligned right. Sentences of the app (the answers) stay left to right even when
        they name a Persian touchpoint."""
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
        if space_before:
            paragraph.space_before = Pt(space_before)
        if user and right_to_left(text):
            paragraph.alignment = PP_ALIGN.RIGHT
            _rtl(paragraph)

    def _table(
        self,
        slide: Slide,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths_in: Sequence[float],
        *,
        top: Length,
        size: float,
    ) -> None:
        shape = slide.shapes.add_table(
            len(rows) + 1, len(header), MARGIN, top, self._content_width, Inches(0.5)
        )
        table = shape.table
        for index, width in enumerate(widths_in):
            table.columns[index].width = Inches(width)
        for row_index, values in enumerate([list(header), *map(list, rows)]):
            for column_index, value in enumerate(values):
                cell = table.cell(row_index, column_index)
                frame = cell.text_frame
                frame.word_wrap = True
                self._paragraph(frame, value, size=size, bold=row_index == 0,
                                colour=RGBColor(0xFF, 0xFF, 0xFF) if row_index == 0 else _INK,
                                first=True, user=row_index > 0)  # fmt: skip


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its header.

    >>> _png_size(bytes(16) + (1920).to_bytes(4, "big") + (1080).to_bytes(4, "big"))
    (1920, 1080)
    """
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _rtl(paragraph: object) -> None:
    """Mark a paragraph as right to left (``<a:pPr rtl="1">``): python-pptx has no property."""
    p_pr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    p_pr.set("rtl", "1")
