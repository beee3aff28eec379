"""Build the three cxmap demo journey maps (``cxmap-journey`` v1 JSON) from their content.

Run from anywhere::

    python data/demo/generate.py              # writes beside this file
    python data/demo/generate.py --out DIR    # writes into DIR instead

The hand-written content is data, in ``content/``: ``NAME.toml`` per map (personas,
stages, touchpoints with their persona emotions, transitions and verbatim templates,
pain points, opportunities) becomes ``NAME.json``; ``common.toml`` holds what the maps
share (the feedback mix, score distributions, openers and closers). This script adds
the generated part, the feedback rows, checks the map's shape (counts, unique keys,
references, reachability, score ranges) and, if ``jsonschema`` is installed,
validates it against ``cxmap/formats/schema/cxmap-journey-v1.schema.json``.

Deterministic: each map has its own ``random.Random`` seeded from ``[feedback] seed``,
nothing reads the clock, and files are written as
``json.dumps(doc, ensure_ascii=False, indent=2) + "\\n"``, so a rerun is byte-identical.
Feedback rows grow with a touchpoint's volume, negative emotion and worst pain point;
their tone follows its emotion, and turns more positive after the day a ``done``
opportunity there went live (``improved_after``, not written to the file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CONTENT = HERE / "content"
SCHEMA = HERE.parent.parent / "cxmap" / "formats" / "schema" / "cxmap-journey-v1.schema.json"

FIRST_DAY = dt.date(2026, 2, 1)
LAST_DAY = dt.date(2026, 10, 31)
TONES = ("neg", "neu", "pos")

# What check() allows.
CHANNELS = {"web", "app", "social", "email", "phone", "store", "chat", "mail", "partner", "tv"}
CHANNELS |= {"sms", "video"}
SOURCES = ("survey", "review", "social", "call", "chat", "email")
STATUSES = ("idea", "planned", "in progress", "done")
NEGATIVE_LABELS = {"frustrated", "anxious", "confused", "angry"}
ZERO_LABELS = {"neutral", "curious"}
POSITIVE_LABELS = {"satisfied", "trusting", "valued", "understood", "joyful", "curious"}
POSITIVE_LABELS |= {"relieved"}

# The fields of each section of the file, in the file's order, with the defaults for
# those the content may leave out. Content keys outside these are typos.
SECTIONS = ("format", "version", "map", "personas", "stages", "touchpoints", "emotions")
SECTIONS += ("pain_points", "opportunities", "transitions", "feedback")
MAP_FIELDS = dict.fromkeys(("name", "description", "state", "language"))
PERSONA_FIELDS = dict.fromkeys(("key", "name", "description", "goals", "needs", "motivations"))
PERSONA_FIELDS |= dict.fromkeys(("behaviors", "pain_points", "segment_share"))
TOUCHPOINT_FIELDS = dict.fromkeys(("key", "stage", "name", "channel", "owner", "customer_action"))
TOUCHPOINT_FIELDS |= dict.fromkeys(("thought", "emotion", "effort", "volume"))
TOUCHPOINT_FIELDS |= {"drop_off": 0.0, "moment_of_truth": False}
PAIN_POINT_FIELDS = dict.fromkeys(("key", "touchpoint", "description", "severity", "frequency"))
OPPORTUNITY_FIELDS = dict.fromkeys(("key", "touchpoint", "pain_point", "title", "customer_value"))
OPPORTUNITY_FIELDS |= dict.fromkeys(("business_value", "effort", "status"))
EMOTION_FIELDS = {"score": None, "label": None, "note": ""}
ROW_FIELDS = ("touchpoint", "text", "nps", "csat", "ces", "source", "created_at")


# --------------------------------------------------------------------------- content


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def fields(item: dict[str, Any], spec: dict[str, Any], extra: tuple[str, ...] = ()) -> dict:
    """``item``'s fields in the file's order, defaults filled in (a missing field is None).

    >>> fields({"b": 2, "a": 1}, {"a": None, "b": None, "c": 0.0})
    {'a': 1, 'b': 2, 'c': 0.0}
    """
    unknown = set(item) - set(spec) - set(extra)
    assert not unknown, ("unknown fields", item.get("key"), unknown)
    return {k: item.get(k, default) for k, default in spec.items()}


def weighted(rng: random.Random, values: list, weights: list) -> Any:
    return rng.choices(values, weights=weights, k=1)[0]


class Slots(dict):
    """Fills ``{slot}`` placeholders, picking each slot's value once per verbatim."""

    def __init__(self, rng: random.Random, options: dict[str, list[str]]) -> None:
        super().__init__()
        self.rng = rng
        self.options = options

    def __missing__(self, name: str) -> str:
        value = self.rng.choice(self.options[name])
        self[name] = value
        return value


class Feedback:
    """The random part of one map: its feedback rows, from common.toml and the map's content."""

    def __init__(self, common: dict[str, Any], content: dict[str, Any]) -> None:
        self.common = common
        self.wording = content["feedback"]
        self.rng = random.Random(self.wording["seed"])
        grammar = common["grammar"]
        self.keep_case = set(grammar["keep_case"])
        self.subject_starts = set(grammar["subject_starts"])

    def date(self) -> dt.date:
        return FIRST_DAY + dt.timedelta(days=self.rng.randrange((LAST_DAY - FIRST_DAY).days + 1))

    def source(self, channel: str | None, table: str = "weights") -> str:
        weights = dict(self.common["sources"][table])
        boosted = self.common["sources"]["by_channel"].get(channel)
        if boosted:
            weights[boosted] *= 3  # a phone touchpoint hears more calls
        return weighted(self.rng, list(weights), list(weights.values()))

    def tones(self, n: int, mix: list[float]) -> list[str]:
        """``n`` tones in the proportions of ``mix`` (neg, neu, pos), in random order.

        Stratified rather than drawn one by one, so that even a touchpoint with eight
        rows shows the balance its emotion implies.
        """
        counts = allocate(n, dict(zip(TONES, mix, strict=True)), 0)
        out = [p for p in TONES for _ in range(counts[p])]
        self.rng.shuffle(out)
        return out

    def scores(self, source: str, tone: str) -> tuple[int | None, ...]:
        """NPS, CSAT and CES, each present with the source's odds (a survey has one)."""
        odds = self.common["sources"]["score_odds"][source]
        dists = [self.common["scores"][s][tone] for s in ("nps", "csat", "ces")]
        out = [
            weighted(self.rng, d["values"], d["weights"]) if self.rng.random() < p else None
            for p, d in zip(odds, dists, strict=True)
        ]
        if source == "survey" and out == [None, None, None]:
            out[0] = weighted(self.rng, dists[0]["values"], dists[0]["weights"])
        return tuple(out)

    def verbatim(self, templates: dict[str, list[str]], slots: dict, tone: str) -> str:
        """Optional context + optional opener + a filled template + optional closer."""
        rng = self.rng
        core = rng.choice(templates[tone]).format_map(Slots(rng, slots))
        openers = self.common["openers"][tone]
        if core.split(" ", 1)[0] not in self.subject_starts:
            openers = [o for o in openers if not o.endswith((",", ":"))]
        text = self.join_opener(rng.choice(openers), core)
        if rng.random() < 0.18:
            text = rng.choice(self.wording["contexts"]) + " " + text
        closer = rng.choice(self.common["closers"][tone] + self.wording["closers"][tone])
        # A core that already ends in a short verdict ("Useless.") gets no second one.
        if closer and len(core.rsplit(". ", 1)[-1].split()) > 4:
            text += " " + closer
        return text

    def join_opener(self, opener: str, core: str) -> str:
        if not opener:
            return core
        first = core.split(" ", 1)[0]
        if not opener.endswith((",", ":")) or first in self.keep_case:
            return opener + " " + core
        if sum(c.isupper() for c in first) >= 2:
            return opener + " " + core
        return opener + " " + core[0].lower() + core[1:]

    def row(self, touchpoint: str | None, day: dt.date, source: str, tone: str, wording) -> dict:
        """One feedback row: its scores, then its verbatim from ``wording`` (templates, slots)."""
        scores = self.scores(source, tone)
        text = self.verbatim(*wording, tone)
        values = (touchpoint, text, *scores, source, day.isoformat())
        return dict(zip(ROW_FIELDS, values, strict=True))

    def rows(self, touchpoints: list[dict], pain_points: list[dict], fixes: dict) -> list[dict]:
        """All the map's feedback rows, by date, then touchpoint order (general last)."""
        counts = row_counts(touchpoints, pain_points, self.wording)
        mix = {int(k): v for k, v in self.common["polarity_mix"].items()}
        effect = self.common["fix_effect"]
        rows = []
        for order, t in enumerate(touchpoints):
            days = [self.date() for _ in range(counts[t["key"]])]
            sources = [self.source(t["channel"]) for _ in days]
            fixed = fixes.get(t["key"])
            # Stratify within (before/after the fix) x (survey/other) so that the scored
            # survey rows, too, follow the touchpoint's emotion.
            tones = {}
            for after_fix in (False, True):
                neg, neu, pos = mix[t["emotion"]]
                if after_fix:
                    neg, pos = neg * (1 - effect), pos + neg * effect
                for survey in (True, False):
                    idx = [
                        i
                        for i, d in enumerate(days)
                        if (fixed is not None and d >= fixed) == after_fix
                        and (sources[i] == "survey") == survey
                    ]
                    tones.update(zip(idx, self.tones(len(idx), [neg, neu, pos]), strict=True))
            for i, day in enumerate(days):
                wording = (t["verbatims"], t.get("slots", {}))
                row = self.row(t["key"], day, sources[i], tones[i], wording)
                rows.append((day, order, len(rows), row))
        general = self.wording["general"]
        for tone in self.tones(self.wording["general_rows"], self.common["sources"]["general_mix"]):
            day = self.date()
            source = self.source(None, "general_weights")
            row = self.row(None, day, source, tone, (general, {}))
            rows.append((day, len(touchpoints), len(rows), row))
        rows.sort(key=lambda r: r[:3])
        return [r[3] for r in rows]


def row_counts(touchpoints: list[dict], pain_points: list[dict], wording: dict) -> dict[str, int]:
    """Feedback rows per touchpoint: more at high-volume, unhappy and painful touchpoints."""
    pain: dict[str, int] = {}
    for pp in pain_points:
        pain[pp["touchpoint"]] = max(
            pain.get(pp["touchpoint"], 0), pp["severity"] * pp["frequency"]
        )
    weights = {
        t["key"]: math.sqrt(t["volume"])
        * (1 + 0.45 * max(0, -t["emotion"]) + 0.8 * (pain.get(t["key"], 0) / 25))
        for t in touchpoints
    }
    return allocate(wording["rows"] - wording["general_rows"], weights, 3)


def allocate(total: int, weights: dict[str, float], minimum: int) -> dict[str, int]:
    """Largest-remainder split of ``total`` rows over ``weights``, each at least ``minimum``.

    >>> allocate(10, {"a": 2, "b": 1}, 2)
    {'a': 6, 'b': 4}
    """
    keys = list(weights)
    spare = total - minimum * len(keys)
    assert spare >= 0
    norm = sum(weights.values())
    raw = {k: spare * weights[k] / norm for k in keys}
    counts = {k: minimum + math.floor(raw[k]) for k in keys}
    left = total - sum(counts.values())
    by_remainder = sorted(keys, key=lambda k: (-(raw[k] - math.floor(raw[k])), keys.index(k)))
    for k in by_remainder[:left]:
        counts[k] += 1
    return counts


# --------------------------------------------------------------------------- building


def build(common: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    """The ``cxmap-journey`` document for one map's content."""
    tps = content["touchpoints"]
    extra = ("next", "emotions", "slots", "verbatims")
    touchpoints = [fields(t, TOUCHPOINT_FIELDS, extra) for t in tps]
    pain_points = [fields(pp, PAIN_POINT_FIELDS) for pp in content["pain_points"]]
    opportunities = [
        fields(o, OPPORTUNITY_FIELDS, ("improved_after",)) for o in content["opportunities"]
    ]
    fixes = {
        o["touchpoint"]: o["improved_after"]
        for o in content["opportunities"]
        if o["status"] == "done" and o.get("improved_after")
    }
    personas = [p["key"] for p in content["personas"]]
    emotions = []
    for t in tps:
        assert set(t["emotions"]) <= set(personas), ("unknown persona", t["key"])
        emotions += [
            {"touchpoint": t["key"], "persona": p, **fields(t["emotions"][p], EMOTION_FIELDS)}
            for p in personas
            if p in t["emotions"]
        ]
    return {
        "format": "cxmap-journey",
        "version": 1,
        "map": fields(content["map"], MAP_FIELDS),
        "personas": [fields(p, PERSONA_FIELDS) for p in content["personas"]],
        "stages": [
            {"key": f"s{i}", "name": name, "order": i}
            for i, name in enumerate(content["stages"], start=1)
        ],
        "touchpoints": touchpoints,
        "emotions": emotions,
        "pain_points": pain_points,
        "opportunities": opportunities,
        "transitions": [
            {"source": t["key"], "target": target, "weight": weight}
            for t in tps
            for target, weight in t.get("next", {}).items()
        ],
        "feedback": Feedback(common, content).rows(tps, pain_points, fixes),
    }


# --------------------------------------------------------------------------- checks


def _texts(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _texts(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _texts(v)


def _keys(items, prefix):
    keys = [x["key"] for x in items]
    assert keys == [f"{prefix}{i}" for i in range(1, len(keys) + 1)], keys
    return keys


def reach(starts, edges) -> set:
    """What ``edges`` (a node to its neighbours) lead to from ``starts``, starts included.

    >>> sorted(reach({"a"}, {"a": {"b"}, "b": {"c"}, "d": {"a"}}))
    ['a', 'b', 'c']
    """
    seen, todo = set(starts), list(starts)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def check(doc, name):
    assert tuple(doc) == SECTIONS
    m = doc["map"]
    assert m["name"] == name and m["state"] == "current" and m["language"] == "en"
    assert m["description"].endswith(".") and m["description"].count(". ") == 0

    personas = doc["personas"]
    assert 2 <= len(personas) <= 3
    p_keys = set(_keys(personas, "p"))
    assert sum(p["segment_share"] for p in personas) <= 1 + 1e-9
    for p in personas:
        assert all(
            p[f]
            for f in ("description", "goals", "needs", "motivations", "behaviors", "pain_points")
        ), p["key"]

    stages = doc["stages"]
    assert len(stages) == 6 and [s["order"] for s in stages] == [1, 2, 3, 4, 5, 6]
    s_keys = _keys(stages, "s")
    support_stage = "s5"

    tps = doc["touchpoints"]
    assert 15 <= len(tps) <= 30, len(tps)
    t_keys = _keys(tps, "t")
    t_by_key = {t["key"]: t for t in tps}
    assert [s_keys.index(t["stage"]) for t in tps] == sorted(s_keys.index(t["stage"]) for t in tps)
    for s in s_keys:
        assert sum(t["stage"] == s for t in tps) >= 2, s
    channels = {t["channel"] for t in tps}
    assert channels <= CHANNELS and len(channels) >= 5, channels
    assert len({t["owner"] for t in tps}) >= 4
    emos = [t["emotion"] for t in tps]
    assert emos.count(min(emos)) == 1 and emos.count(max(emos)) == 1, "need a clear peak and trough"
    assert min(emos) == -2 and max(emos) == 2
    assert 2 <= sum(t["moment_of_truth"] for t in tps) <= 3
    for t in tps:
        assert t["customer_action"] and t["thought"] and t["owner"], t["key"]
        assert 1 <= t["effort"] <= 5 and isinstance(t["volume"], int) and t["volume"] > 0
        assert 0.0 <= t["drop_off"] <= 0.3
    assert 2 <= sum(t["drop_off"] > 0 for t in tps) <= 6
    stage_max = [max(t["volume"] for t in tps if t["stage"] == s) for s in s_keys]
    for i in range(1, len(s_keys)):
        prev = i - 2 if s_keys[i - 1] == support_stage else i - 1
        assert stage_max[i] <= stage_max[prev], ("volume should fall along the journey", s_keys[i])

    pairs = set()
    for e in doc["emotions"]:
        assert e["touchpoint"] in t_by_key and e["persona"] in p_keys
        assert (e["touchpoint"], e["persona"]) not in pairs
        pairs.add((e["touchpoint"], e["persona"]))
        label, score = e["label"], e["score"]
        allowed = NEGATIVE_LABELS if score < 0 else ZERO_LABELS if score == 0 else POSITIVE_LABELS
        assert label in allowed, (e["touchpoint"], e["persona"], score, label)
    assert {tk for tk, _ in pairs} == set(t_keys), "every touchpoint has persona emotions"
    assert len(pairs) >= 0.8 * len(tps) * len(personas)
    for p in p_keys:  # personas really differ somewhere
        assert any(
            e["persona"] == p and e["score"] != t_by_key[e["touchpoint"]]["emotion"]
            for e in doc["emotions"]
        )

    pps = doc["pain_points"]
    assert 6 <= len(pps) <= 12
    pp_by_key = {pp["key"]: pp for pp in pps}
    _keys(pps, "pp")
    for pp in pps:
        assert pp["touchpoint"] in t_by_key and pp["description"]
        assert 1 <= pp["severity"] <= 5 and 1 <= pp["frequency"] <= 5
    assert len({pp["severity"] for pp in pps}) >= 3 and len({pp["frequency"] for pp in pps}) >= 3

    opps = doc["opportunities"]
    assert 5 <= len(opps) <= 10
    _keys(opps, "o")
    for o in opps:
        assert o["touchpoint"] in t_by_key and o["title"]
        if o["pain_point"] is not None:
            assert pp_by_key[o["pain_point"]]["touchpoint"] == o["touchpoint"], o["key"]
        assert 0 <= o["customer_value"] <= 100 and 0 <= o["business_value"] <= 100
        assert 1 <= o["effort"] <= 5 and o["status"] in STATUSES
    assert {o["status"] for o in opps} == set(STATUSES)
    assert 0 < sum(o["pain_point"] is not None for o in opps) < len(opps)

    trans = doc["transitions"]
    out, inc = {}, {}
    for tr in trans:
        s, t = tr["source"], tr["target"]
        assert s in t_by_key and t in t_by_key and s != t and tr["weight"] > 0, tr
        assert t not in out.get(s, {}), ("duplicate transition", s, t)
        out.setdefault(s, {})[t] = tr["weight"]
        inc.setdefault(t, set()).add(s)
    for s, targets in out.items():
        assert abs(sum(targets.values()) - 1.0) < 1e-9, ("weights leaving", s)
    entries = [t["key"] for t in tps if t["stage"] == "s1"]
    assert not any(e in inc for e in entries), "stage-1 touchpoints are entry points"
    assert all(t in inc for t in t_keys if t not in entries), "only stage-1 touchpoints are entries"
    assert reach(entries, out) == set(t_keys), "every touchpoint can be reached"
    ends = {t for t in t_keys if t not in out}
    assert ends and all(t_by_key[e]["stage"] == "s6" for e in ends)
    assert reach(ends, inc) == set(t_keys), "every touchpoint can reach the end of the journey"
    assert any(len(targets) >= 2 for targets in out.values()), "branching"
    order = {k: i for i, k in enumerate(t_keys)}
    assert any(order[tr["target"]] < order[tr["source"]] for tr in trans), "at least one loop"

    fb = doc["feedback"]
    assert 150 <= len(fb) <= 300, len(fb)
    assert 3 <= sum(r["touchpoint"] is None for r in fb) <= 12
    for r in fb:
        assert r["touchpoint"] is None or r["touchpoint"] in t_by_key
        assert r["text"] and r["source"] in SOURCES
        day = dt.date.fromisoformat(r["created_at"])
        assert FIRST_DAY <= day <= LAST_DAY
        assert r["nps"] is None or 0 <= r["nps"] <= 10
        assert r["csat"] is None or 1 <= r["csat"] <= 5
        assert r["ces"] is None or 1 <= r["ces"] <= 7
        if r["source"] == "survey":
            assert (r["nps"], r["csat"], r["ces"]) != (None, None, None)
    assert len({r["text"] for r in fb}) >= 0.9 * len(fb), "verbatims repeat too often"
    assert max(Counter(r["text"] for r in fb).values()) <= 3, "a verbatim repeats more than 3 times"
    assert sum(r["nps"] is not None for r in fb) >= 0.3 * len(fb)
    assert all(sum(r["touchpoint"] == k for r in fb) >= 3 for k in t_keys)

    for text in _texts(doc):
        assert not re.search(r"<[A-Za-z/!]|&[a-z]+;", text), text
        assert text == text.strip() and "  " not in text and "{" not in text, repr(text)


def schema_validate(doc: dict[str, Any]) -> bool:
    try:
        import jsonschema
    except ImportError:
        return False
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the three cxmap demo journey maps.")
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="directory to write the JSON files into (default: beside this script)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    common = load(CONTENT / "common.toml")
    validated = False
    for source in sorted(CONTENT.glob("*.toml")):
        if source.name == "common.toml":
            continue
        content = load(source)
        doc = build(common, content)
        check(doc, content["map"]["name"])
        validated = schema_validate(doc)
        path = args.out / f"{source.stem}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(
            f"wrote {path.name}: {len(doc['touchpoints'])} touchpoints, "
            f"{len(doc['feedback'])} feedback rows"
        )
    if not validated:
        print("note: jsonschema not installed; schema validation skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
