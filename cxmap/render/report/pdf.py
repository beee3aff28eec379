"""The PDF export: an A4 landscape report, section by section.

A cover with the KPIs, the three answers and the top touchpoints; the journey map as a grid of
stages × touchpoints; the emotion curve; the friction table; moments of truth and customers at
risk; who owns the pain; the opportunity matrix and table. Charts are PNGs rendered by kaleido
in one browser (:mod:`cxmap.render.report.browser`); the page primitives are in
:mod:`cxmap.render.report.pdf_layout`.

Examples
--------
>>> _number(None), _number(3.0), _number(2.5)
('', '3', '2.5')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cxmap.analysis.executive import TOP, ExecutiveSummary, Tile
from cxmap.analysis.scoring import TouchpointScore
from cxmap.core.messages import Message, render, render_all
from cxmap.render.report.browser import FigureJob, in_browser, require_chromium
from cxmap.render.report.opportunities import ranked_opportunities
from cxmap.render.report.pdf_layout import (
    AMBER,
    CONTENT_WIDTH,
    LINE,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    TEAL,
    Card,
    PdfLayout,
    line_count,
    name_width,
    pdf_text,
    right_to_left,
)
from cxmap.render.report.shared import export_figures, join, meta_line

CHART_WIDTH_PX = 1500  # CSS px of the PDF's charts (rendered at PNG_SCALE)
MATRIX_WIDTH_PX = 850  # the opportunity matrix: narrower, so its labels print larger
STAGES_PER_PAGE = 6
PDF_OPPORTUNITIES = 30  # rows of the PDF's opportunity table


def to_pdf(report: ExecutiveSummary) -> bytes:
    """The A4 landscape report (see the module docstring); charts rendered in one browser."""
    wanted = ["curve", "components", "owners"] if report.aggregate.touchpoints else []
    if report.aggregate.opportunities:
        wanted.append("matrix")
    if wanted:
        require_chromium("PDF")  # before the charts are built: say so at once
    figures = export_figures(report, wanted)
    jobs = {
        name: FigureJob(
            figures[name],
            MATRIX_WIDTH_PX if name == "matrix" else CHART_WIDTH_PX,
            int(figures[name].layout.height or 400),
        )
        for name in wanted
    }
    images, _ = in_browser("PDF", figures=list(jobs.values())) if jobs else ([], [])
    rendered = {name: (png, jobs[name]) for name, png in zip(jobs, images, strict=True)}
    return _ReportPdf(report).build(rendered)


class _ReportPdf(PdfLayout):
    """The report's sections, laid out with the primitives of :class:`PdfLayout`."""

    def __init__(self, report: ExecutiveSummary) -> None:
        footer = f"cxmap · {report.name} · exported {report.exported:%d %b %Y}"
        super().__init__(report.name, "Customer journey map: executive summary", footer)
        self.report = report

    def build(self, images: dict[str, tuple[bytes, FigureJob]]) -> bytes:
        report = self.report
        self._cover()
        if report.aggregate.touchpoints:
            self._journey_map()
            self._page(
                "Emotion across the journey",
                "How customers feel at each touchpoint, stage by stage (−2 very negative … +2 "
                "delighted): all customers and each persona. ★ marks the moments of truth.",
            )
            self._image(images["curve"], CONTENT_WIDTH)
            self._stage_table()
            self._friction(images["components"])
            self._moments()
            self._risk()
            self._page(
                "Who owns the pain",
                "Reach-weighted friction by owner department × stage (0 green … 100 red); "
                "departments with the most impact on top. Empty cells: no touchpoint.",
            )
            self._image(images["owners"], CONTENT_WIDTH)
        else:
            self._page("Journey map")
            self._paragraph("This map has no touchpoints yet: there is no journey to show.")
        if "matrix" in images:
            self._page(
                "Opportunities",
                "Customer value × business value (0–100); bigger bubbles take less effort; "
                "colour is the status. Top right: do first (win–win).",
            )
            self._image(images["matrix"], CONTENT_WIDTH * 0.8)
            self._opportunity_table()
        return bytes(self.pdf.output())

    def _opportunity_table(self) -> None:
        ranked = ranked_opportunities(self.report.aggregate)
        shown = ranked[:PDF_OPPORTUNITIES]
        if self.pdf.get_y() > PAGE_HEIGHT - MARGIN - 20 - 8 * min(len(shown), 6):
            self.pdf.add_page()  # rather than a heading and two rows at the foot of the page
        self._heading(
            "Opportunities, the corner to do first on top"
            + (
                f" ({len(shown)} of {len(ranked)}; the Excel export has all)"
                if len(ranked) > len(shown)
                else ""
            )
        )
        self._table(
            ["Opportunity", "Touchpoint", "Corner", "Status", "Customer", "Business", "Effort"],
            [
                [
                    o.opportunity.title or "(untitled)",
                    o.touchpoint or "the whole journey",
                    o.quadrant or "values missing",
                    o.opportunity.status,
                    _number(o.opportunity.customer_value),
                    _number(o.opportunity.business_value),
                    _number(o.opportunity.effort),
                ]
                for o in shown
            ],
            (80, 55, 50, 20, 18, 18, 14),
            numeric={4, 5, 6},
        )

    def _cover(self) -> None:
        pdf, report = self.pdf, self.report
        pdf.add_page()
        self._font(9, colour=MUTED)
        pdf.cell(0, 5, "EXECUTIVE SUMMARY", new_x="LMARGIN", new_y="NEXT")
        self._font(24, bold=True)
        name = pdf_text(report.name)
        pdf.multi_cell(
            0,
            11,
            name,
            align="R" if right_to_left(name) else "L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self._font(9.5, colour=MUTED)
        pdf.multi_cell(0, 5, pdf_text(meta_line(report)), new_x="LMARGIN", new_y="NEXT")
        if report.aggregate.map.description:
            self._paragraph(report.aggregate.map.description, 9.5, MUTED)
        pdf.ln(3)
        self._tiles(report.tiles())
        if report.period:
            self._font(8, colour=MUTED)
            pdf.cell(0, 4, pdf_text(f"Feedback: {report.period}."), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        answers = report.answers()
        width = (CONTENT_WIDTH - 2 * 4) / 3
        top = pdf.get_y()
        bottoms = []
        for index, (question, answer) in enumerate(answers.questions()):
            x = MARGIN + index * (width + 4)
            pdf.set_xy(x + 3, top + 2)
            self._font(10.5, bold=True, colour=TEAL)
            pdf.cell(width - 4, 6, question, new_x="LEFT", new_y="NEXT")
            self._font(9.5)
            text = pdf_text(answer)
            pdf.multi_cell(width - 5, 4.6, text, align="L", new_x="LEFT", new_y="NEXT")
            bottoms.append(pdf.get_y() + 2)
        bottom = max(bottoms)
        for index in range(3):
            x = MARGIN + index * (width + 4)
            pdf.set_fill_color(*TEAL)
            pdf.rect(x, top, 1.4, bottom - top, style="F")
        pdf.set_y(bottom + 4)
        if report.top:
            self._heading(f"Top {len(report.top)} touchpoints by impact: what to fix first")
            self._impact_table(report.top, (6, 52, 34, 26, 13, 12, 13, 60))
        if report.assessment is not None and report.assessment.stage is not None:
            stage, meaning = report.assessment.stage
            self._heading("CRM or CX? (self-assessment)")
            self._paragraph(f"{stage} ({report.assessment.score:.1f} of 5): {meaning}.")

    def _tiles(self, tiles: Sequence[Tile]) -> None:
        pdf = self.pdf
        gap = 3.0
        width = (CONTENT_WIDTH - gap * (len(tiles) - 1)) / len(tiles)
        top = pdf.get_y()
        height = 27.0
        for index, tile in enumerate(tiles):
            x = MARGIN + index * (width + gap)
            pdf.set_draw_color(*LINE)
            pdf.set_line_width(0.3)
            pdf.rect(x, top, width, height, round_corners=True, corner_radius=2)
            pdf.set_xy(x + 3, top + 2)
            self._font(8.5, colour=MUTED)
            pdf.cell(width - 6, 4.5, pdf_text(tile.label), new_x="LEFT", new_y="NEXT")
            self._font(17, bold=True)
            pdf.cell(width - 6, 8.5, pdf_text(tile.value), new_x="LEFT", new_y="NEXT")
            if tile.change is not None:
                value = tile.change_value or 0
                colour = (21, 128, 61) if value > 0 else (185, 28, 28) if value < 0 else MUTED
                self._font(7.5, bold=True, colour=colour)
                pdf.cell(width - 6, 4, pdf_text(tile.change_text), new_x="LEFT", new_y="NEXT")
            elif tile.note:
                self._font(7.5, colour=MUTED)
                pdf.cell(width - 6, 4, pdf_text(tile.note), new_x="LEFT", new_y="NEXT")
            self._font(7.5, colour=MUTED)
            pdf.multi_cell(width - 6, 3.4, pdf_text(tile.detail), new_x="LEFT", new_y="NEXT")
        pdf.set_y(top + height + 2)

    # -- the journey map as a grid: stages are columns, touchpoints cards under them

    def _journey_map(self) -> None:
        aggregate, analysis = self.report.aggregate, self.report.analysis
        scores = analysis.by_key()
        rank = {t.key: n for n, t in enumerate(self.report.top, start=1)}
        stages = sorted(aggregate.stages, key=lambda s: s.position)
        groups = [
            stages[i : i + STAGES_PER_PAGE] for i in range(0, len(stages), STAGES_PER_PAGE)
        ] or [[]]
        friction = {g.name: g.friction for g in analysis.stages}
        for group in groups:
            width = (CONTENT_WIDTH - 3 * (len(group) - 1)) / max(1, len(group))
            cards = {
                stage.id: [
                    self._card(t, scores.get(t.key), rank.get(t.key), width)
                    for t in sorted(aggregate.touchpoints_in_stage(stage.id), key=_position)
                ]
                for stage in group
            }
            cursor = dict.fromkeys(cards, 0)
            first = True
            while first or any(cursor[s] < len(cards[s]) for s in cards):
                self._page(
                    "Journey map" + ("" if first else " (continued)"),
                    "Stages left to right, touchpoints top to bottom in their order. Friction "
                    "0 (green) … 100 (red); emotion −2 … +2; amber star: moment of truth; #n: "
                    "rank by impact (friction × reach)."
                    if first
                    else "",
                )
                first = False
                top = self.pdf.get_y()
                for index, stage in enumerate(group):
                    x = MARGIN + index * (width + 3)
                    meta = f"{len(cards[stage.id])} touchpoints" + (
                        f" · friction {friction[stage.name]:.0f}" if stage.name in friction else ""
                    )
                    self._stage_header(x, top, width, stage.name, meta)
                    y = top + 13
                    while cursor[stage.id] < len(cards[stage.id]):
                        card = cards[stage.id][cursor[stage.id]]
                        if y + card.height > PAGE_HEIGHT - MARGIN - 6:
                            break
                        card.draw(self, x, y)
                        y += card.height + 2
                        cursor[stage.id] += 1
                    if not cards[stage.id]:
                        self._font(8, colour=MUTED)
                        self.pdf.set_xy(x + 1, y)
                        self.pdf.cell(width - 2, 5, "no touchpoints yet")

    def _card(
        self, touchpoint: Any, score: TouchpointScore | None, rank: int | None, width: float
    ) -> Card:
        pdf = self.pdf
        self._font(8.5, bold=True)
        name = pdf_text(touchpoint.name)
        mot = score.moment_of_truth if score is not None else bool(touchpoint.moment_of_truth)
        lines = line_count(pdf, name_width(width, mot), 3.8, name)
        where = pdf_text(join(touchpoint.channel, touchpoint.owner) or "no channel or owner")
        self._font(7)
        where_lines = line_count(pdf, width - 4, 3.2, where)
        height = 3 + 3.8 * lines + 3.2 * where_lines + 7.5
        return Card(touchpoint, score, rank, width, height, name, where, mot)

    def _stage_table(self) -> None:
        analysis = self.report.analysis
        self._heading("Friction by stage")
        self._table(
            ["Stage", "Touchpoints", "Friction (reach-weighted)", "Impact (sum)"],
            [
                [g.name, str(g.touchpoints), f"{g.friction:.0f}", f"{g.impact:.1f}"]
                for g in analysis.stages
            ],
            (90, 30, 50, 40),
            numeric={1, 2, 3},
        )

    def _friction(self, components: tuple[bytes, FigureJob]) -> None:
        analysis = self.report.analysis
        self._page(
            "Where it hurts: every touchpoint by impact",
            "Impact = friction (0–100) × reach (share of customers who pass there): what to "
            "fix first. The bars split the friction of the top 10 into what causes it.",
        )
        self._image(components, CONTENT_WIDTH * 0.8)
        self._impact_table(analysis.ranked(), (7, 60, 36, 28, 13, 12, 13, 9, 60), mot=True)

    def _impact_table(
        self, ranked: Sequence[TouchpointScore], widths: Sequence[float], *, mot: bool = False
    ) -> None:
        """Touchpoints by impact with their numbers and why (a MoT column when ``mot``)."""
        self._table(
            ["#", "Touchpoint", "Stage", "Owner", "Friction", "Reach", "Impact"]
            + (["MoT"] if mot else [])
            + ["Why"],
            [
                [str(n), t.name, t.stage, t.owner, f"{t.friction:.0f}", f"{t.reach:.0%}"]
                + [f"{t.impact:.1f}"]
                + (["MoT" if t.moment_of_truth else ""] if mot else [])
                + [render(t.explain())]
                for n, t in enumerate(ranked, start=1)
            ],
            widths,
            numeric={0, 4, 5, 6},
        )

    def _moments(self) -> None:
        pdf, analysis = self.pdf, self.report.analysis
        self._page(
            "Moments of truth",
            "Interactions that decide how customers judge you: flagged by the team, strong "
            "feelings many customers meet, the emotional peaks, the end of the journey, "
            "bottlenecks.",
        )
        if not analysis.moments_of_truth:
            self._paragraph(
                "No moment of truth yet: flag the touchpoints that decide how customers judge "
                "you, or record emotions so the model finds the peaks."
            )
            return
        for t in analysis.moments_of_truth:
            if pdf.get_y() > PAGE_HEIGHT - 40:
                pdf.add_page()
            y = pdf.get_y()
            pdf.set_fill_color(*AMBER)
            pdf.set_draw_color(146, 64, 14)
            pdf.star(MARGIN + 2.2, y + 2.6, 1.0, 2.4, corners=5, style="DF")
            pdf.set_xy(MARGIN + 6, y)
            self._font(10, bold=True)
            name = pdf_text(t.name)
            pdf.multi_cell(CONTENT_WIDTH - 6, 5.2, name, new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(MARGIN + 6)
            self._font(8, colour=MUTED)
            facts = (
                f"{join(t.stage, t.channel, t.owner)} · reach {t.reach:.0%} · friction "
                f"{t.friction:.0f} · impact {t.impact:.1f}"
            )
            pdf.multi_cell(CONTENT_WIDTH - 6, 4, pdf_text(facts), new_x="LMARGIN", new_y="NEXT")
            self._font(8.5)
            for reason in render_all(t.reasons):
                pdf.set_x(MARGIN + 6)
                pdf.multi_cell(
                    CONTENT_WIDTH - 6, 4.2, pdf_text(f"- {reason}"), new_x="LMARGIN", new_y="NEXT"
                )
            pdf.ln(2)

    def _risk(self) -> None:
        report = self.report
        self._heading("Customers at risk (an estimate)")
        risk = report.risk
        if risk is None:
            self._paragraph(render(Message("risk.none")), colour=MUTED)
            return
        self._paragraph(f"{render(risk.headline())} {render(Message('risk.not_measured'))}")
        money = bool(report.assumptions.value_per_customer)
        if risk.where:
            self._table(
                ["Touchpoint", "Customers getting there", "Bad experience", "Leave there"]
                + (["Value at risk"] if money else []),
                [
                    [
                        r.touchpoint,
                        f"{r.arriving:,.0f}",
                        f"{r.negative_share:.0%}",
                        f"{r.customers_lost:,.0f}",
                    ]
                    + ([f"{r.value_lost:,.0f}"] if money else [])
                    for r in risk.where[:TOP]
                ],
                (90, 35, 30, 30) + ((35,) if money else ()),
                numeric={1, 2, 3, 4},
            )
        for text in render_all(risk.explained()):
            self._paragraph(f"Assumption: {text}", 8, MUTED)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _position(touchpoint: Any) -> int:
    return int(touchpoint.position)
