"""The canvas's look: its CSS, the legend that explains its colours, and the chip and sign
pieces both draw. Everything is inline (a ``<style>`` block in the same string): nothing is
loaded from elsewhere, so the canvas works offline.
"""

from __future__ import annotations

from cxmap.render.canvas.layout import (
    BAND_COLOURS,
    COLUMN_WIDTH,
    DIM_OPACITY,
    EMOTION_FACES,
    EMOTION_HEIGHT,
    LABEL_WIDTH,
    MOT_COLOUR,
    MOT_OUTLINE,
    OPPORTUNITY_COLOURS,
    PAIN_BANDS,
    SCROLL_KEY,
    STAGE_RULE,
    ChipColour,
)
from cxmap.render.text import escape

__all__ = ["canvas_css", "legend_html"]


def legend_html() -> str:
    """One line explaining the colours and markers of the canvas and the curve."""
    pain = "".join(chip_span(colour, colour.name, "cxj-key-chip") for _, colour in PAIN_BANDS)
    status = "".join(
        chip_span(colour, colour.name, "cxj-key-chip") for colour in OPPORTUNITY_COLOURS.values()
    )
    faces = " ".join(
        f"{face}&nbsp;{signed(score)}" for score, face in sorted(EMOTION_FACES.items())
    )
    parts = [
        '<span><span class="cxj-key-star">★</span> moment of truth (flagged by the team '
        "or found by the model; hover a card for why)</span>",
        f"<span>Emotion {faces}</span>",
        f"<span>Pain: severity × frequency {pain}</span>",
        f"<span>Opportunity status {status}</span>",
        '<span><span class="cxj-key-dim">dimmed</span> = not in the channel/owner filter</span>',
    ]
    return (
        '<div class="cxj-legend" style="display:flex;flex-wrap:wrap;gap:6px 22px;'
        'font-size:14px;color:#334155;line-height:1.9">'
        + "".join(parts)
        + "</div>"
        + "<style>.cxj-key-chip{display:inline-block;margin-left:6px;padding:0 8px;"
        "border-radius:10px;font-size:13px;line-height:1.6;border:1px solid}"
        f".cxj-key-star{{color:{MOT_COLOUR};font-size:18px;"
        f"text-shadow:0 0 1px {MOT_OUTLINE}}}"
        f".cxj-key-dim{{opacity:{DIM_OPACITY + 0.2};border:1px dashed #64748b;"
        "padding:0 6px;border-radius:4px}</style>"
    )


def signed(score: int) -> str:
    """+1, 0, −1 (a real minus sign: it reads better than a hyphen)."""
    return f"{score:+d}".replace("-", "−") if score else "0"


def chip_span(colour: ChipColour, text: str, css: str) -> str:
    """A coloured chip: ``text`` escaped, in a span of CSS class ``css``.

    >>> from cxmap.render.canvas.layout import pain_colour
    >>> chip_span(pain_colour(4), "a<b", "chip")
    '<span class="chip" style="background:#fef9c3;border-color:#eab308;color:#3f2a04">a&lt;b</span>'
    """
    return (
        f'<span class="{css}" style="background:{colour.background};'
        f'border-color:{colour.border};color:{colour.text}">{escape(text)}</span>'
    )


def canvas_css(columns: int) -> str:
    """The CSS of a canvas of ``columns`` columns (and of the Streamlit container it scrolls in)."""
    band0, band1 = BAND_COLOURS
    return f"""<style>
.st-key-{SCROLL_KEY} {{ overflow-x: auto; overflow-y: hidden; padding-bottom: 4px; }}
.st-key-{SCROLL_KEY} [data-testid="stElementContainer"] {{ max-width: none; }}
.cxj {{ display: grid; grid-template-columns: {LABEL_WIDTH}px repeat({columns}, {COLUMN_WIDTH}px);
  width: {LABEL_WIDTH + COLUMN_WIDTH * columns}px; font-size: 14px; line-height: 1.35;
  color: #1f2933; }}
.cxj * {{ box-sizing: border-box; }}
.cxj-label {{ position: sticky; left: 0; z-index: 4; background: #ffffff; color: #334155;
  font-size: 13px; font-weight: 700; letter-spacing: .04em; text-transform: uppercase;
  padding: 10px 12px 10px 4px; border-right: 2px solid {STAGE_RULE};
  border-top: 1px solid #e2e8f0; }}
.cxj-stage {{ color: #ffffff; padding: 8px 12px; border-left: 2px solid #ffffff; min-width: 0; }}
.cxj-stage-name {{ font-size: 16px; font-weight: 700; }}
.cxj-stage-meta {{ font-size: 13px; opacity: .9; }}
.cxj-cell {{ padding: 8px 9px; border-top: 1px solid #e2e8f0; min-width: 0;
  overflow-wrap: anywhere; }}
.cxj-band0 {{ background: {band0}; }}
.cxj-band1 {{ background: {band1}; }}
.cxj-first {{ border-left: 2px solid {STAGE_RULE}; }}
.cxj-dim {{ opacity: {DIM_OPACITY}; }}
.cxj-clamp2, .cxj-clamp3, .cxj-clamp5 {{ display: -webkit-box; -webkit-box-orient: vertical;
  overflow: hidden; }}
.cxj-clamp2 {{ -webkit-line-clamp: 2; }}
.cxj-clamp3 {{ -webkit-line-clamp: 3; }}
.cxj-clamp5 {{ -webkit-line-clamp: 5; }}
.cxj-card {{ background: #ffffff; border: 1px solid #cbd5d1; border-radius: 8px;
  padding: 7px 8px; box-shadow: 0 1px 2px rgba(15, 23, 42, .06); height: 100%; }}
.cxj-card-mot {{ border: 2px solid {MOT_COLOUR}; }}
.cxj-card-top {{ display: flex; align-items: center; gap: 5px; font-size: 13px;
  color: #475569; }}
.cxj-icon {{ font-size: 17px; line-height: 1; }}
.cxj-channel {{ flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }}
.cxj-mot {{ background: #fef3c7; color: #78350f; border: 1px solid {MOT_COLOUR};
  border-radius: 10px; padding: 0 6px; font-size: 13px; font-weight: 700;
  white-space: nowrap; }}
.cxj-name {{ font-size: 15px; font-weight: 600; margin: 4px 0 6px; color: #0f172a; }}
.cxj-tags {{ display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center; }}
.cxj-owner {{ font-size: 13px; background: #e6f0ee; color: #134e4a; border-radius: 4px;
  padding: 0 6px; max-width: 100%; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }}
.cxj-friction {{ font-size: 13px; color: #475569; white-space: nowrap; }}
.cxj-muted {{ color: #64748b; background: transparent; border: 1px dashed #94a3b8; }}
.cxj-bubble {{ position: relative; background: #ffffff; border: 1px solid #cbd5e1;
  border-radius: 14px; padding: 7px 10px; font-style: italic; color: #334155;
  margin-top: 8px; }}
.cxj-bubble::before {{ content: ""; position: absolute; top: -7px; left: 18px; width: 12px;
  height: 12px; background: #ffffff; border-left: 1px solid #cbd5e1;
  border-top: 1px solid #cbd5e1; transform: rotate(45deg); }}
.cxj-chip {{ border: 1px solid; border-radius: 6px; padding: 4px 7px; margin-bottom: 6px;
  font-size: 13px; line-height: 1.3; }}
.cxj-pain {{ display: flex; gap: 6px; align-items: flex-start; }}
.cxj-score {{ font-weight: 800; min-width: 18px; text-align: center; }}
.cxj-opp {{ background: #ffffff; border-color: #cbd5d1; border-left-width: 5px;
  color: #1f2933; }}
.cxj-status {{ display: inline-block; margin-top: 4px; border: 1px solid; border-radius: 10px;
  padding: 0 7px; font-size: 13px; white-space: nowrap; }}
.cxj-more {{ font-size: 13px; color: #475569; text-decoration: underline dotted; }}
.cxj-empty {{ color: #64748b; font-style: italic; font-size: 13px; padding: 6px 0; }}
.cxj-emotion-anchor {{ position: sticky; left: 0; z-index: 5; height: 0;
  grid-column: 1 / 2; }}
.cxj-emotion-label {{ position: absolute; top: 0; left: 0; width: {LABEL_WIDTH}px;
  height: {EMOTION_HEIGHT}px; background: #ffffff; border-right: 2px solid {STAGE_RULE};
  border-top: 1px solid #e2e8f0; padding: 10px 36px 8px 4px; font-size: 13px;
  color: #334155; }}
.cxj-emotion-title {{ font-weight: 700; letter-spacing: .04em; text-transform: uppercase;
  margin-bottom: 6px; }}
.cxj-line {{ display: flex; align-items: flex-start; gap: 6px; line-height: 1.25;
  margin-bottom: 5px; }}
.cxj-line-name {{ display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2;
  overflow: hidden; overflow-wrap: anywhere; }}
.cxj-swatch {{ flex: none; width: 20px; margin-top: 8px; }}
.cxj-star {{ flex: none; width: 20px; text-align: center; color: {MOT_COLOUR};
  font-size: 16px; line-height: 1; text-shadow: 0 0 1px {MOT_OUTLINE}; }}
.cxj-face {{ position: absolute; right: 6px; transform: translateY(-50%); font-size: 18px;
  line-height: 1; }}
.cxj-loose {{ font-size: 14px; color: #334155; padding: 8px 4px; }}
</style>"""
