// The editable journey-map canvas: the swimlane map of cxmap (the read-only canvas's CSS, sent
// by the page) with editing in place. Every change becomes an event (model.ts) that the page
// applies through the app's services; until it confirms, the change is shown optimistically
// and the event stays in the component's value (so a rerun that replaced the value cannot
// lose it; the page applies each event id once).

import "./style.css";
import { el, svg } from "./dom";
import {
  applyLocally,
  type CanvasEvent,
  type CardField,
  type Line,
  type Stage,
  type Touchpoint,
  type View,
} from "./model";
import { onRender, setComponentValue, setFrameHeight } from "./streamlit";

const COLUMN = 190; // px per touchpoint column (cxmap.render.canvas.layout.COLUMN_WIDTH)
const LABEL = 176; // px, the lane labels (LABEL_WIDTH)
const EMOTION_HEIGHT = 250;
const EMOTION_MARGIN = 18;
const STAGE_HEADERS = ["#0f766e", "#115e59"];
const BANDS = ["#ffffff", "#f1f6f5"];
const MAX_CHIPS = 4;
const TAB_ID = Math.random().toString(36).slice(2, 10);

type Editor =
  | { kind: "card"; touchpoint: number; field: CardField; back: string }
  | { kind: "add"; stage: number; back: string }
  | { kind: "stage"; stage: number; back: string }
  | { kind: "new_stage"; back: string }
  | { kind: "pain"; touchpoint: number; back: string }
  | { kind: "opportunity"; touchpoint: number; back: string };

interface Column {
  stage: Stage;
  stageIndex: number;
  touchpoint: Touchpoint | null;
  first: boolean;
  index: number; // the column's number, 0-based
}

const state = {
  base: null as View | null,
  pending: [] as CanvasEvent[],
  counter: 0,
  line: null as number | null,
  editor: null as Editor | null,
  noticeSeq: null as string | null,
  dragging: null as number | null,
  disabled: false,
};

// ---------------------------------------------------------------- the frame

const root = document.getElementById("root") as HTMLDivElement;
const style = el("style");
const status = el("span", { class: "cxe-status", role: "status", "aria-live": "polite" });
const bar = el(
  "div",
  { class: "cxe-bar" },
  status,
  el("span", {
    class: "cxe-keys",
    text:
      "Tab to a card · Enter: edit · Esc: cancel · Alt+←/→: move the card · ←/→: next card · " +
      "↓ to its curve point, then ↑/↓: emotion · P / O: add a pain point / opportunity",
  }),
);
const scroller = el("div", { class: "cxe-scroll" });
root.append(style, bar, scroller);
new ResizeObserver(() => setFrameHeight(document.documentElement.scrollHeight)).observe(root);

function shown(): View | null {
  if (!state.base) return null;
  return state.pending.reduce(applyLocally, state.base);
}

function say(kind: "ok" | "error" | "busy", text: string): void {
  status.textContent = text;
  status.className = `cxe-status cxe-${kind}`;
}

function sayPending(): void {
  if (state.pending.length) say("busy", `Saving ${state.pending.length} change(s)…`);
}

// ---------------------------------------------------------------- events

function emit(event: CanvasEvent): void {
  state.pending.push(event);
  setComponentValue({ events: state.pending });
  sayPending();
  draw();
}

function nextId(): string {
  state.counter += 1;
  return `${TAB_ID}-${state.counter}`;
}

function moveCard(touchpoint: Touchpoint, stage: number, index: number): void {
  emit({ id: nextId(), kind: "move", touchpoint: touchpoint.id, version: touchpoint.version, stage, index });
}

function setEmotion(view: View, touchpoint: Touchpoint, score: number): void {
  const line = currentLine(view);
  const point = line.points[String(touchpoint.id)];
  if (point && point.score === score) return;
  emit({
    id: nextId(),
    kind: "set_emotion",
    touchpoint: touchpoint.id,
    persona: line.persona,
    score,
    version: line.persona === null ? touchpoint.version : point ? point.version : null,
    seen: line.persona === null ? touchpoint.emotion : point ? point.score : null,
  });
}

function currentLine(view: View): Line {
  return view.lines.find((l) => l.persona === state.line) ?? view.lines[0];
}

// ---------------------------------------------------------------- drawing

onRender((args, disabled) => {
  const view = args.view as View | undefined;
  if (!view) return;
  state.disabled = disabled;
  const applied = new Set(view.applied);
  state.pending = state.pending.filter((e) => !applied.has(e.id));
  state.base = view;
  if (!view.lines.some((l) => l.persona === state.line)) state.line = null;
  if (view.notice && view.notice.seq !== state.noticeSeq) {
    state.noticeSeq = view.notice.seq;
    say(view.notice.kind, view.notice.text);
  } else if (!state.pending.length && status.classList.contains("cxe-busy")) {
    say("ok", "All changes saved.");
  }
  sayPending();
  // An open editor keeps what is typed, a drag its card: the map redraws when they end.
  if (!state.editor && state.dragging === null) draw();
});

function columnsOf(view: View): Column[] {
  const byId = new Map(view.touchpoints.map((t) => [t.id, t]));
  const columns: Column[] = [];
  view.stages.forEach((stage, stageIndex) => {
    const inside = stage.touchpoints.map((id) => byId.get(id)).filter((t): t is Touchpoint => !!t);
    if (!inside.length) {
      columns.push({ stage, stageIndex, touchpoint: null, first: true, index: columns.length });
    }
    inside.forEach((touchpoint, i) =>
      columns.push({ stage, stageIndex, touchpoint, first: i === 0, index: columns.length }),
    );
  });
  return columns;
}

function draw(): void {
  const view = shown();
  if (!view) return;
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.focus;
  const columns = columnsOf(view);
  if (style.textContent !== view.css) style.textContent = view.css;
  const grid = el("div", {
    class: "cxj cxe-grid",
    style: `grid-template-columns:${LABEL}px repeat(${columns.length}, ${COLUMN}px);` +
      `width:${LABEL + COLUMN * columns.length}px`,
  });
  grid.append(stageLabel(), ...stageHeaders(view, columns));
  grid.append(label("Customer actions"), ...columns.map((c) => textCell(c, "customer_action")));
  grid.append(label("Touchpoints"), ...columns.map((c) => cardCell(view, c, columns)));
  grid.append(label("Thoughts"), ...columns.map((c) => textCell(c, "thought")));
  grid.append(emotionLabel(view), emotionLane(view, columns));
  grid.append(label("Pain points"), ...columns.map((c) => painCell(view, c)));
  grid.append(label("Opportunities"), ...columns.map((c) => opportunityCell(view, c)));
  scroller.replaceChildren(grid);
  const open = grid.querySelector<HTMLElement>(".cxe-panel");
  if (open) {
    if (open.getBoundingClientRect().right > grid.getBoundingClientRect().right) {
      open.classList.add("cxe-panel-right"); // near the map's right end: open leftwards
    }
    open.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
  const editorFocus = root.querySelector<HTMLElement>("[data-autofocus]");
  if (editorFocus) {
    editorFocus.focus({ preventScroll: false });
  } else if (focused) {
    root.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
  }
  setFrameHeight(document.documentElement.scrollHeight);
}

function label(text: string): HTMLElement {
  return el("div", { class: "cxj-label", text });
}

function cellClass(column: Column, ...extra: string[]): string {
  return ["cxj-cell", `cxj-band${column.stageIndex % 2}`, column.first ? "cxj-first" : "", ...extra]
    .filter(Boolean)
    .join(" ");
}

function stageLabel(): HTMLElement {
  const add = el("button", {
    type: "button",
    class: "cxe-add-stage",
    "data-focus": "add-stage",
    "aria-label": "Add a stage at the end of the journey",
    text: "+ Stage",
  });
  add.addEventListener("click", () => openEditor({ kind: "new_stage", back: "add-stage" }));
  const cell = el("div", { class: "cxj-label cxe-stage-label" }, el("span", { text: "Stage" }), add);
  if (state.editor?.kind === "new_stage") cell.append(newStageForm());
  return cell;
}

function stageHeaders(view: View, columns: Column[]): HTMLElement[] {
  return view.stages.map((stage, i) => {
    const span = columns.filter((c) => c.stage.id === stage.id).length;
    const count = stage.touchpoints.length;
    const meta = `${count} touchpoint${count === 1 ? "" : "s"}` +
      (stage.friction !== null ? ` · friction ${stage.friction}` : "");
    const focus = `add:${stage.id}`;
    const add = el("button", {
      type: "button",
      class: "cxe-add-tp",
      "data-focus": focus,
      "data-add-stage": stage.id,
      "aria-label": `Add a touchpoint to ${stage.name}`,
      title: `Add a touchpoint to “${stage.name}”`,
      text: "+ Touchpoint",
    });
    add.addEventListener("click", () => openEditor({ kind: "add", stage: stage.id, back: focus }));
    const header = el(
      "div",
      {
        class: "cxj-stage cxe-stage",
        "data-stage": stage.id,
        style: `grid-column: span ${span}; background:${STAGE_HEADERS[i % 2]}`,
      },
      stageName(stage),
      el("div", { class: "cxe-stage-row" }, el("span", { class: "cxj-stage-meta", text: meta }), add),
    );
    const editor = state.editor;
    if (editor && editor.kind === "add" && editor.stage === stage.id) header.append(addForm(stage));
    if (editor && editor.kind === "stage" && editor.stage === stage.id) header.append(stageForm(stage));
    acceptDrops(header, view, stage, () => stage.touchpoints.filter((id) => id !== state.dragging).length);
    return header;
  });
}

function stageName(stage: Stage): HTMLElement {
  const focus = `stage:${stage.id}`;
  const name = el("div", {
    class: "cxj-stage-name cxj-clamp2 cxe-stage-name",
    dir: "auto",
    tabindex: 0,
    role: "button",
    "data-focus": focus,
    "data-stage-name": stage.id,
    "aria-label": `Stage ${stage.name}. Enter to rename.`,
    title: `${stage.name}\nClick or Enter to rename`,
    text: stage.name,
  });
  const rename = () => openEditor({ kind: "stage", stage: stage.id, back: focus });
  name.addEventListener("click", rename);
  name.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " " || event.key === "F2") {
      event.preventDefault();
      rename();
    }
  });
  return name;
}

function textCell(column: Column, field: "customer_action" | "thought"): HTMLElement {
  const cell = el("div", { class: cellClass(column, "cxe-text") });
  const touchpoint = column.touchpoint;
  if (!touchpoint) return cell;
  const text = touchpoint[field];
  const body = field === "thought"
    ? text ? el("div", { class: "cxj-bubble cxj-clamp5", dir: "auto", text: `“${text}”` }) : null
    : el("div", { class: "cxj-clamp5", dir: "auto", text });
  if (body) {
    body.title = text;
    cell.append(body);
  }
  cell.addEventListener("click", () =>
    openEditor({ kind: "card", touchpoint: touchpoint.id, field, back: `card:${touchpoint.id}` }),
  );
  cell.classList.add("cxe-clickable");
  return cell;
}

function cardCell(view: View, column: Column, columns: Column[]): HTMLElement {
  const cell = el("div", { class: cellClass(column, "cxj-tp", "cxe-tp-cell") });
  const touchpoint = column.touchpoint;
  const stage = column.stage;
  if (!touchpoint) {
    cell.append(el("div", { class: "cxj-empty", text: "No touchpoints yet: add one above, or drop a card here" }));
    acceptDrops(cell, view, stage, () => 0);
    return cell;
  }
  const place = stage.touchpoints.indexOf(touchpoint.id);
  const card = el("div", {
    class: `cxj-card cxe-card${touchpoint.is_mot ? " cxj-card-mot" : ""}`,
    tabindex: 0,
    role: "button",
    draggable: "true",
    "data-focus": `card:${touchpoint.id}`,
    "data-touchpoint": touchpoint.id,
    "aria-label":
      `Touchpoint ${touchpoint.name}, ${stage.name}, ${place + 1} of ${stage.touchpoints.length}. ` +
      "Enter to edit, Alt+arrow keys to move.",
    title: [
      touchpoint.name,
      `Channel: ${touchpoint.channel || "—"}`,
      `Owner: ${touchpoint.owner || "—"}`,
      touchpoint.is_mot ? `Moment of truth: ${touchpoint.mot_reasons || "flagged by the team"}` : "",
      "Click or Enter to edit · drag or Alt+←/→ to move",
    ].filter(Boolean).join("\n"),
  });
  card.append(
    el(
      "div",
      { class: "cxj-card-top" },
      el("span", { class: "cxj-icon", text: touchpoint.icon }),
      el("span", { class: "cxj-channel", dir: "auto", text: touchpoint.channel || "no channel" }),
      touchpoint.is_mot ? el("span", { class: "cxj-mot", text: "★ MoT" }) : null,
    ),
    el("div", { class: "cxj-name cxj-clamp3", dir: "auto", text: touchpoint.name }),
    el(
      "div",
      { class: "cxj-tags" },
      touchpoint.owner
        ? el("span", { class: "cxj-owner", dir: "auto", text: touchpoint.owner })
        : el("span", { class: "cxj-owner cxj-muted", text: "no owner" }),
      touchpoint.friction !== null ? el("span", { class: "cxj-friction", text: `friction ${touchpoint.friction}` }) : null,
    ),
  );
  const edit = () => openEditor({ kind: "card", touchpoint: touchpoint.id, field: "name", back: `card:${touchpoint.id}` });
  card.addEventListener("click", edit);
  card.addEventListener("keydown", (event) => cardKeys(event, view, touchpoint, columns, edit));
  card.addEventListener("dragstart", (event) => {
    state.dragging = touchpoint.id;
    event.dataTransfer?.setData("text/plain", String(touchpoint.id));
    if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
    card.classList.add("cxe-dragging");
  });
  card.addEventListener("dragend", () => {
    const cancelled = state.dragging !== null; // a drop clears it first
    state.dragging = null;
    card.classList.remove("cxe-dragging");
    clearDropMarks();
    if (cancelled) draw(); // what arrived while dragging
  });
  cell.append(card);
  acceptDrops(cell, view, stage, (event) => {
    const others = stage.touchpoints.filter((id) => id !== state.dragging);
    const rect = cell.getBoundingClientRect();
    const after = event.clientX > rect.left + rect.width / 2;
    const at = others.indexOf(touchpoint.id);
    cell.classList.toggle("cxe-drop-after", after);
    cell.classList.toggle("cxe-drop-before", !after);
    return at < 0 ? others.length : at + (after ? 1 : 0);
  });
  const editor = state.editor;
  if (editor && editor.kind === "card" && editor.touchpoint === touchpoint.id) {
    cell.append(cardForm(touchpoint, editor.field, column.index >= columns.length - 1));
  }
  return cell;
}

function cardKeys(
  event: KeyboardEvent,
  view: View,
  touchpoint: Touchpoint,
  columns: Column[],
  edit: () => void,
): void {
  if (event.key === "Enter" || event.key === "F2" || event.key === " ") {
    event.preventDefault();
    edit();
    return;
  }
  const stageIndex = view.stages.findIndex((s) => s.id === touchpoint.stage);
  const stage = view.stages[stageIndex];
  const place = stage.touchpoints.indexOf(touchpoint.id);
  if (event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
    event.preventDefault();
    if (event.key === "ArrowLeft") {
      if (place > 0) moveCard(touchpoint, stage.id, place - 1);
      else if (stageIndex > 0) {
        const previous = view.stages[stageIndex - 1];
        moveCard(touchpoint, previous.id, previous.touchpoints.length);
      }
    } else if (place < stage.touchpoints.length - 1) {
      moveCard(touchpoint, stage.id, place + 1);
    } else if (stageIndex < view.stages.length - 1) {
      moveCard(touchpoint, view.stages[stageIndex + 1].id, 0);
    }
    return;
  }
  if (!event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
    event.preventDefault();
    const cards = columns.filter((c) => c.touchpoint).map((c) => (c.touchpoint as Touchpoint).id);
    const next = cards[cards.indexOf(touchpoint.id) + (event.key === "ArrowLeft" ? -1 : 1)];
    if (next !== undefined) root.querySelector<HTMLElement>(`[data-focus="card:${next}"]`)?.focus();
    return;
  }
  if (event.key === "ArrowDown" && !event.altKey) {
    event.preventDefault();
    root.querySelector<SVGElement>(`[data-focus="point:${touchpoint.id}"]`)?.focus();
    return;
  }
  const letter = event.key.toLowerCase();
  if (!event.ctrlKey && !event.metaKey && !event.altKey && (letter === "p" || letter === "o")) {
    event.preventDefault();
    const kind = letter === "p" ? "pain" : "opportunity";
    openEditor({ kind, touchpoint: touchpoint.id, back: `card:${touchpoint.id}` });
  }
}

// ---------------------------------------------------------------- drag and drop

function acceptDrops(
  target: HTMLElement,
  view: View,
  stage: Stage,
  indexAt: (event: DragEvent) => number,
): void {
  target.addEventListener("dragover", (event) => {
    if (state.dragging === null) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "move";
    clearDropMarks(target);
    target.classList.add("cxe-drop");
    indexAt(event);
  });
  target.addEventListener("dragleave", () => target.classList.remove("cxe-drop", "cxe-drop-before", "cxe-drop-after"));
  target.addEventListener("drop", (event) => {
    event.preventDefault();
    const dragged = view.touchpoints.find((t) => t.id === state.dragging);
    const index = indexAt(event);
    state.dragging = null;
    clearDropMarks();
    if (!dragged || (dragged.stage === stage.id && stage.touchpoints.indexOf(dragged.id) === index)) {
      draw(); // dropped where it was: only show what arrived meanwhile
      return;
    }
    moveCard(dragged, stage.id, index);
  });
}

function clearDropMarks(except?: HTMLElement): void {
  for (const marked of root.querySelectorAll(".cxe-drop")) {
    if (marked !== except) marked.classList.remove("cxe-drop", "cxe-drop-before", "cxe-drop-after");
  }
}

// ---------------------------------------------------------------- the emotion lane

function emotionY(score: number): number {
  const inner = EMOTION_HEIGHT - 2 * EMOTION_MARGIN;
  return EMOTION_MARGIN + ((2.5 - score) / 5) * inner;
}

function scoreAt(y: number): number {
  const inner = EMOTION_HEIGHT - 2 * EMOTION_MARGIN;
  const score = Math.round(2.5 - ((y - EMOTION_MARGIN) / inner) * 5);
  return Math.max(-2, Math.min(2, score));
}

function signed(score: number): string {
  return score > 0 ? `+${score}` : score < 0 ? `−${-score}` : "0";
}

function emotionLabel(view: View): HTMLElement {
  const chooser = el("div", { class: "cxe-lines", role: "radiogroup", "aria-label": "The curve you set by clicking" });
  for (const line of view.lines) {
    const chosen = line.persona === state.line;
    const button = el(
      "button",
      {
        type: "button",
        role: "radio",
        "aria-checked": chosen ? "true" : "false",
        class: `cxe-line${chosen ? " cxe-line-on" : ""}`,
        "data-focus": `line:${line.persona ?? "all"}`,
        "data-line": line.persona ?? "all",
        title: `Clicks on the curve set the emotion of ${line.name}`,
      },
      svgSwatch(line),
      el("span", { class: "cxj-line-name", dir: "auto", text: line.name }),
    );
    button.addEventListener("click", () => {
      state.line = line.persona;
      draw();
    });
    chooser.append(button);
  }
  const faces = Object.entries(view.faces).map(([score, face]) =>
    el("span", { class: "cxj-face", style: `top:${emotionY(Number(score))}px`, text: face, "aria-hidden": "true" }),
  );
  return el(
    "div",
    { class: "cxj-label cxe-emotion-label", style: `height:${EMOTION_HEIGHT}px` },
    el("div", { class: "cxj-emotion-title", text: "Emotion" }),
    el("div", { class: "cxe-hint", text: "Click the curve to set:" }),
    chooser,
    ...faces,
  );
}

function svgSwatch(line: Line): SVGElement {
  return svg(
    "svg",
    { width: 22, height: 10, class: "cxe-swatch", "aria-hidden": "true" },
    svg("line", {
      x1: 1, y1: 5, x2: 21, y2: 5, stroke: line.colour, "stroke-width": 3, "stroke-dasharray": line.dash || null,
    }),
  );
}

function emotionLane(view: View, columns: Column[]): HTMLElement {
  const width = COLUMN * columns.length;
  const chart = svg("svg", {
    width,
    height: EMOTION_HEIGHT,
    class: "cxe-curve",
    role: "group",
    "aria-label": `Emotion curve of ${currentLine(view).name}`,
  });
  const x = (index: number) => (index + 0.5) * COLUMN;
  for (const column of columns) {
    chart.append(svg("rect", {
      x: column.index * COLUMN, y: 0, width: COLUMN, height: EMOTION_HEIGHT, fill: BANDS[column.stageIndex % 2],
    }));
  }
  for (const score of [-2, -1, 0, 1, 2]) {
    chart.append(svg("line", {
      x1: 0, x2: width, y1: emotionY(score), y2: emotionY(score),
      stroke: score === 0 ? "#94a3b8" : "#e2e8f0", "stroke-width": 1,
    }));
  }
  const ghost = svg("circle", { r: 9, class: "cxe-ghost", cx: -50, cy: -50 });
  const hits = svg("g");
  for (const column of columns) {
    const touchpoint = column.touchpoint;
    if (!touchpoint) continue;
    const hit = svg("rect", {
      x: column.index * COLUMN, y: 0, width: COLUMN, height: EMOTION_HEIGHT, class: "cxe-hit",
      "data-emotion-column": touchpoint.id,
    });
    hit.addEventListener("mousemove", (event) => {
      const y = emotionY(scoreAt(event.offsetY));
      ghost.setAttribute("cx", String(x(column.index)));
      ghost.setAttribute("cy", String(y));
    });
    hit.addEventListener("mouseleave", () => ghost.setAttribute("cx", "-50"));
    hit.addEventListener("click", (event) => setEmotion(view, touchpoint, scoreAt(event.offsetY)));
    hits.append(hit);
  }
  chart.append(hits, ghost);
  const chosen = currentLine(view);
  const others = view.lines.filter((l) => l !== chosen);
  for (const line of [...others, chosen]) {
    const active = line === chosen;
    const points = columns
      .filter((c) => c.touchpoint && line.points[String(c.touchpoint.id)])
      .map((c) => [x(c.index), emotionY(line.points[String((c.touchpoint as Touchpoint).id)].score)]);
    chart.append(svg("polyline", {
      points: points.map((p) => p.join(",")).join(" "),
      fill: "none",
      stroke: line.colour,
      "stroke-width": active ? 3.5 : 2,
      "stroke-dasharray": line.dash || null,
      opacity: active ? 1 : 0.45,
      class: "cxe-path",
    }));
    if (!active) {
      for (const [px, py] of points) {
        chart.append(svg("circle", { cx: px, cy: py, r: 4, fill: line.colour, opacity: 0.5, class: "cxe-path" }));
      }
    }
  }
  for (const column of columns) {
    const touchpoint = column.touchpoint;
    if (!touchpoint) continue;
    if (touchpoint.is_mot) {
      chart.append(svg("text", { x: x(column.index), y: 14, "text-anchor": "middle", class: "cxe-star", text: "★" }));
    }
    chart.append(emotionPoint(view, chosen, touchpoint, x(column.index)));
  }
  return el("div", { class: "cxe-emotion-cell", style: `grid-column: span ${columns.length}` }, chart);
}

function emotionPoint(view: View, line: Line, touchpoint: Touchpoint, cx: number): SVGElement {
  const point = line.points[String(touchpoint.id)];
  const modelled = line.persona === null && !point && touchpoint.modelled_emotion !== null;
  const score = point ? point.score : modelled ? (touchpoint.modelled_emotion as number) : 0;
  const face = point ? view.faces[String(point.score)] ?? "" : "";
  const text = point
    ? `${signed(point.score)} ${face}`
    : modelled ? `not set (the personas give ${touchpoint.modelled_emotion?.toFixed(1)})` : "not set";
  const circle = svg("circle", {
    cx,
    cy: emotionY(score),
    r: point ? 9 : 8,
    fill: point ? line.colour : "#ffffff",
    stroke: point ? "#ffffff" : line.colour,
    "stroke-width": point ? 2.5 : 2,
    "stroke-dasharray": point ? null : "3 3",
    tabindex: 0,
    role: "slider",
    class: "cxe-point",
    "aria-valuemin": -2,
    "aria-valuemax": 2,
    "aria-valuenow": point ? point.score : null,
    "aria-valuetext": text,
    "aria-label": `Emotion of ${line.name} at ${touchpoint.name}`,
    "data-focus": `point:${touchpoint.id}`,
    "data-point": touchpoint.id,
    "data-score": point ? point.score : "",
  });
  circle.append(svg("title", { text: `${line.name} at ${touchpoint.name}: ${text}\nClick a level, or ↑/↓` }));
  circle.addEventListener("keydown", (event) => {
    const steps: Record<string, number> = { ArrowUp: 1, ArrowDown: -1 };
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      const from = point ? point.score : Math.round(score);
      setEmotion(view, touchpoint, Math.max(-2, Math.min(2, from + steps[event.key])));
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      setEmotion(view, touchpoint, event.key === "Home" ? -2 : 2);
    } else if (event.key === "Escape") {
      root.querySelector<HTMLElement>(`[data-focus="card:${touchpoint.id}"]`)?.focus();
    }
  });
  circle.addEventListener("click", (event) => {
    const chart = circle.ownerSVGElement;
    if (!chart) return;
    const top = chart.getBoundingClientRect().top;
    setEmotion(view, touchpoint, scoreAt(event.clientY - top));
  });
  return circle;
}

// ---------------------------------------------------------------- pain points and opportunities

function painCell(view: View, column: Column): HTMLElement {
  const cell = el("div", { class: cellClass(column, "cxe-chips") });
  const touchpoint = column.touchpoint;
  if (!touchpoint) return cell;
  const found = view.pain_points[String(touchpoint.id)] ?? [];
  for (const pain of found.slice(0, MAX_CHIPS)) {
    cell.append(el(
      "div",
      {
        class: "cxj-chip cxj-pain",
        "data-score": pain.score,
        style: `background:${pain.background};border-color:${pain.border};color:${pain.colour}`,
        title: `${pain.text}\nSeverity ${pain.severity} × frequency ${pain.frequency} = ${pain.score} (${pain.band})`,
      },
      el("span", { class: "cxj-score", text: String(pain.score) }),
      el("div", { class: "cxj-clamp3", dir: "auto", text: pain.text || "(no description)" }),
    ));
  }
  cell.append(...more(found.slice(MAX_CHIPS).map((p) => p.text)));
  cell.append(addChipButton(touchpoint, "pain", "+ Pain point"));
  const editor = state.editor;
  if (editor && editor.kind === "pain" && editor.touchpoint === touchpoint.id) cell.append(painForm(touchpoint));
  return cell;
}

function opportunityCell(view: View, column: Column): HTMLElement {
  const cell = el("div", { class: cellClass(column, "cxe-chips") });
  const touchpoint = column.touchpoint;
  if (!touchpoint) return cell;
  const found = view.opportunities[String(touchpoint.id)] ?? [];
  for (const opportunity of found.slice(0, MAX_CHIPS)) {
    cell.append(el(
      "div",
      {
        class: "cxj-chip cxj-opp",
        style: `border-left-color:${opportunity.border}`,
        title: `${opportunity.title}\nStatus: ${opportunity.status}`,
      },
      el("div", { class: "cxj-clamp3", dir: "auto", text: opportunity.title || "(untitled)" }),
      el("span", {
        class: "cxj-status",
        style: `background:${opportunity.background};border-color:${opportunity.border};color:${opportunity.colour}`,
        text: (opportunity.status === "done" ? "✓ " : "") + opportunity.status,
      }),
    ));
  }
  cell.append(...more(found.slice(MAX_CHIPS).map((o) => o.title)));
  cell.append(addChipButton(touchpoint, "opportunity", "+ Opportunity"));
  const editor = state.editor;
  if (editor && editor.kind === "opportunity" && editor.touchpoint === touchpoint.id) {
    cell.append(opportunityForm(view, touchpoint));
  }
  return cell;
}

function more(rest: string[]): HTMLElement[] {
  if (!rest.length) return [];
  return [el("div", { class: "cxj-more", text: `+${rest.length} more`, title: rest.map((t) => `• ${t}`).join("\n") })];
}

function addChipButton(touchpoint: Touchpoint, kind: "pain" | "opportunity", text: string): HTMLElement {
  const focus = `${kind}:${touchpoint.id}`;
  const noun = kind === "pain" ? "pain point" : "opportunity";
  const button = el("button", {
    type: "button",
    class: "cxe-add-chip",
    "data-focus": focus,
    "data-add": `${kind}:${touchpoint.id}`,
    "aria-label": `Add a ${noun} to ${touchpoint.name}`,
    text,
  });
  button.addEventListener("click", () => openEditor({ kind, touchpoint: touchpoint.id, back: focus }));
  return button;
}

// ---------------------------------------------------------------- the editors

function openEditor(editor: Editor): void {
  if (state.disabled) return;
  state.editor = editor;
  draw();
}

function closeEditor(): void {
  const back = state.editor?.back;
  state.editor = null;
  draw();
  if (back) root.querySelector<HTMLElement>(`[data-focus="${CSS.escape(back)}"]`)?.focus({ preventScroll: true });
}

function panel(
  title: string,
  where: string,
  onSave: (form: HTMLFormElement) => void,
  ...fields: HTMLElement[]
): HTMLFormElement {
  const save = el("button", { type: "submit", class: "cxe-save", text: "Save" });
  const cancel = el("button", { type: "button", class: "cxe-cancel", text: "Cancel" });
  const extra = fields.filter((f) => f.classList.contains("cxe-extra-button"));
  const form = el(
    "form",
    { class: `cxe-panel ${where}`, role: "dialog", "aria-label": title },
    el("div", { class: "cxe-panel-title", text: title }),
    ...fields.filter((f) => !extra.includes(f)),
    el("div", { class: "cxe-buttons" }, save, cancel, ...extra),
    el("div", {
      class: "cxe-hint cxe-panel-keys",
      text: fields.some((f) => f.querySelector("textarea"))
        ? "Enter saves (Ctrl+Enter in a text box) · Esc cancels"
        : "Enter saves · Esc cancels",
    }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onSave(form);
  });
  cancel.addEventListener("click", closeEditor);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      closeEditor();
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSave(form);
    }
  });
  for (const kind of ["click", "mousedown", "dragstart", "keydown"]) {
    form.addEventListener(kind, (event) => event.stopPropagation());
  }
  return form;
}

function input(name: string, text: string, value: string, focus: boolean, long = false): HTMLElement {
  const box = long
    ? el("textarea", { name, rows: 3, dir: "auto", "data-autofocus": focus || null })
    : el("input", { name, type: "text", dir: "auto", "data-autofocus": focus || null, autocomplete: "off" });
  box.value = value; // a property, not markup
  return el("label", { class: "cxe-field" }, el("span", { text }), box);
}

function select(name: string, text: string, options: string[], value: string): HTMLElement {
  const box = el("select", { name });
  for (const option of options) box.append(el("option", { value: option, text: option }));
  box.value = value;
  return el("label", { class: "cxe-field cxe-inline" }, el("span", { text }), box);
}

function valueOf(form: HTMLFormElement, name: string): string {
  const field = form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null;
  return field ? field.value : "";
}

function cardForm(touchpoint: Touchpoint, field: CardField, last: boolean): HTMLFormElement {
  const mot = el("input", { type: "checkbox", name: "moment_of_truth" });
  mot.checked = touchpoint.moment_of_truth;
  return panel(
    `Edit touchpoint “${touchpoint.name}”`,
    last ? "cxe-panel-right" : "",
    (form) => {
      const values: Partial<Record<CardField, string | boolean>> = {};
      const read: Partial<Record<CardField, string | boolean>> = {};
      for (const name of ["name", "channel", "owner", "customer_action", "thought"] as const) {
        const value = valueOf(form, name);
        if (value !== touchpoint[name]) {
          values[name] = value;
          read[name] = touchpoint[name];
        }
      }
      if (mot.checked !== touchpoint.moment_of_truth) {
        values.moment_of_truth = mot.checked;
        read.moment_of_truth = touchpoint.moment_of_truth;
      }
      if (values.name !== undefined && !String(values.name).trim()) {
        say("error", "A touchpoint needs a name: not saved.");
        return;
      }
      const editor = state.editor;
      state.editor = null;
      if (Object.keys(values).length) {
        emit({ id: nextId(), kind: "update", touchpoint: touchpoint.id, version: touchpoint.version, values, read });
      } else {
        draw();
      }
      if (editor) root.querySelector<HTMLElement>(`[data-focus="${CSS.escape(editor.back)}"]`)?.focus({ preventScroll: true });
    },
    input("name", "Name", touchpoint.name, field === "name"),
    input("channel", "Channel", touchpoint.channel, false),
    input("owner", "Owner", touchpoint.owner, false),
    input("customer_action", "Customer action", touchpoint.customer_action, field === "customer_action", true),
    input("thought", "Thought", touchpoint.thought, field === "thought", true),
    el("label", { class: "cxe-field cxe-inline" }, mot, el("span", { text: "★ Moment of truth (flagged by the team)" })),
    deleteButton(touchpoint),
  );
}

function deleteButton(touchpoint: Touchpoint): HTMLElement {
  const button = el("button", {
    type: "button",
    class: "cxe-delete cxe-extra-button",
    title: "Delete this touchpoint (if its emotions, pain points or transitions go with it, " +
      "you confirm that above the map first)",
    text: "Delete",
  });
  button.addEventListener("click", () =>
    saved({ id: nextId(), kind: "delete", touchpoint: touchpoint.id, version: touchpoint.version }),
  );
  return button;
}

function saved(event: CanvasEvent): void {
  const editor = state.editor;
  state.editor = null;
  emit(event);
  if (editor) root.querySelector<HTMLElement>(`[data-focus="${CSS.escape(editor.back)}"]`)?.focus({ preventScroll: true });
}

function addForm(stage: Stage): HTMLFormElement {
  return panel(
    `New touchpoint in “${stage.name}”`,
    "cxe-panel-below",
    (form) => {
      const name = valueOf(form, "name").trim();
      if (!name) {
        say("error", "A touchpoint needs a name: not saved.");
        return;
      }
      const values = { name, channel: valueOf(form, "channel").trim(), owner: valueOf(form, "owner").trim() };
      saved({ id: nextId(), kind: "create", stage: stage.id, values });
    },
    input("name", "Name", "", true),
    input("channel", "Channel", "", false),
    input("owner", "Owner", "", false),
  );
}

function painForm(touchpoint: Touchpoint): HTMLFormElement {
  const levels = ["1", "2", "3", "4", "5"];
  return panel(
    `New pain point at “${touchpoint.name}”`,
    "cxe-panel-above",
    (form) => {
      const values = {
        description: valueOf(form, "description").trim(),
        severity: Number(valueOf(form, "severity")),
        frequency: Number(valueOf(form, "frequency")),
      };
      saved({ id: nextId(), kind: "add_pain_point", touchpoint: touchpoint.id, values });
    },
    input("description", "Description", "", true, true),
    select("severity", "Severity (1–5)", levels, "3"),
    select("frequency", "Frequency (1–5)", levels, "3"),
  );
}

function opportunityForm(view: View, touchpoint: Touchpoint): HTMLFormElement {
  return panel(
    `New opportunity at “${touchpoint.name}”`,
    "cxe-panel-above",
    (form) => {
      const title = valueOf(form, "title").trim();
      if (!title) {
        say("error", "An opportunity needs a title: not saved.");
        return;
      }
      saved({ id: nextId(), kind: "add_opportunity", touchpoint: touchpoint.id, values: { title, status: valueOf(form, "status") } });
    },
    input("title", "Title", "", true),
    select("status", "Status", view.statuses, view.statuses[0] ?? "idea"),
  );
}

function stageForm(stage: Stage): HTMLFormElement {
  return panel(
    `Rename stage “${stage.name}”`,
    "cxe-panel-below",
    (form) => {
      const name = valueOf(form, "name").trim();
      if (!name) {
        say("error", "A stage needs a name: not saved.");
        return;
      }
      if (name === stage.name) {
        closeEditor();
        return;
      }
      saved({
        id: nextId(),
        kind: "rename_stage",
        stage: stage.id,
        version: stage.version,
        values: { name },
        read: { name: stage.name },
      });
    },
    input("name", "Name", stage.name, true),
  );
}

function newStageForm(): HTMLFormElement {
  return panel(
    "New stage (at the end of the journey)",
    "cxe-panel-below",
    (form) => {
      const name = valueOf(form, "name").trim();
      if (!name) {
        say("error", "A stage needs a name: not saved.");
        return;
      }
      saved({ id: nextId(), kind: "add_stage", values: { name } });
    },
    input("name", "Name", "", true),
  );
}
