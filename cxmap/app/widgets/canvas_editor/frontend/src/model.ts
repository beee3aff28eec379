// What the page sends (protocol.canvas_view in Python) and what the component sends back
// (events; see cxmap/app/widgets/canvas_editor/protocol.py for the contract).

export interface Stage {
  id: number;
  name: string;
  version: number;
  touchpoints: number[];
  friction: number | null;
}

export interface Touchpoint {
  id: number;
  key: string;
  stage: number;
  version: number;
  name: string;
  channel: string;
  icon: string;
  owner: string;
  customer_action: string;
  thought: string;
  emotion: number | null;
  moment_of_truth: boolean;
  is_mot: boolean;
  mot_reasons: string;
  friction: number | null;
  modelled_emotion: number | null;
}

export interface Point {
  score: number;
  version: number;
}

export interface Line {
  persona: number | null;
  name: string;
  colour: string;
  dash: string;
  points: Record<string, Point>;
}

export interface PainChip {
  id: number;
  text: string;
  severity: number;
  frequency: number;
  score: number;
  band: string;
  background: string;
  border: string;
  colour: string;
}

export interface OpportunityChip {
  id: number;
  title: string;
  status: string;
  background: string;
  border: string;
  colour: string;
}

export interface Notice {
  kind: "ok" | "error";
  text: string;
  seq: string;
}

export interface View {
  map: number;
  revision: number;
  css: string;
  stages: Stage[];
  touchpoints: Touchpoint[];
  lines: Line[];
  pain_points: Record<string, PainChip[]>;
  opportunities: Record<string, OpportunityChip[]>;
  statuses: string[];
  faces: Record<string, string>;
  applied: string[];
  notice: Notice | null;
}

export type CardField =
  | "name"
  | "channel"
  | "owner"
  | "customer_action"
  | "thought"
  | "moment_of_truth";

export type CanvasEvent =
  | {
      id: string;
      kind: "update";
      touchpoint: number;
      version: number;
      values: Partial<Record<CardField, string | boolean>>;
      read: Partial<Record<CardField, string | boolean>>;
    }
  | { id: string; kind: "create"; stage: number; values: Record<string, string> }
  | { id: string; kind: "move"; touchpoint: number; version: number; stage: number; index: number }
  | {
      id: string;
      kind: "set_emotion";
      touchpoint: number;
      persona: number | null;
      score: number;
      version: number | null;
      seen: number | null;
    }
  | {
      id: string;
      kind: "add_pain_point";
      touchpoint: number;
      values: { description: string; severity: number; frequency: number };
    }
  | { id: string; kind: "add_opportunity"; touchpoint: number; values: { title: string; status: string } }
  | { id: string; kind: "delete"; touchpoint: number; version: number }
  | {
      id: string;
      kind: "rename_stage";
      stage: number;
      version: number;
      values: { name: string };
      read: { name: string };
    }
  | { id: string; kind: "add_stage"; values: { name: string } };

/** The view as it will be once ``event`` is saved: shown at once, until the page confirms. */
export function applyLocally(view: View, event: CanvasEvent): View {
  const next: View = structuredClone(view);
  const touchpoint = next.touchpoints.find((t) => "touchpoint" in event && t.id === event.touchpoint);
  switch (event.kind) {
    case "update":
      if (touchpoint) Object.assign(touchpoint, event.values);
      break;
    case "rename_stage": {
      const stage = next.stages.find((s) => s.id === event.stage);
      if (stage) stage.name = event.values.name;
      break;
    }
    case "move": {
      if (!touchpoint) break;
      for (const stage of next.stages) {
        stage.touchpoints = stage.touchpoints.filter((id) => id !== touchpoint.id);
      }
      const target = next.stages.find((s) => s.id === event.stage);
      if (!target) break;
      const index = Math.max(0, Math.min(event.index, target.touchpoints.length));
      target.touchpoints.splice(index, 0, touchpoint.id);
      touchpoint.stage = target.id;
      const order = next.stages.flatMap((s) => s.touchpoints);
      next.touchpoints.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
      break;
    }
    case "set_emotion": {
      const line = next.lines.find((l) => l.persona === event.persona);
      if (line) {
        const old = line.points[String(event.touchpoint)];
        line.points[String(event.touchpoint)] = { score: event.score, version: old ? old.version : 0 };
      }
      if (touchpoint && event.persona === null) touchpoint.emotion = event.score;
      break;
    }
    default:
      // New rows appear when the page has saved them (they need their ids); a delete may
      // wait for a confirmation above the map, so the card stays until it is gone.
      break;
  }
  return next;
}
