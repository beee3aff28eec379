"""Generate the three cxmap demo journey maps (``cxmap-journey`` v1 JSON).

Run from anywhere::

    python data/demo/generate.py              # writes beside this file
    python data/demo/generate.py --out DIR    # writes into DIR instead

It writes:

* ``telecom-broadband-onboarding.json``  "Broadband onboarding"
* ``grocery-online-order.json``          "Online grocery order"
* ``bank-account-opening.json``          "Opening a bank account"

The output is deterministic: every map has its own ``random.Random`` with a fixed
seed, nothing reads the clock or the environment, and the files are written as
``json.dumps(doc, ensure_ascii=False, indent=2) + "\\n"``. Running the script twice
gives byte-identical files.

Only the standard library is needed. Before a file is written the generator checks
the map's shape (counts, unique keys, references, reachability, score ranges); if
``jsonschema`` is installed it also validates against
``cxmap/formats/schema/cxmap-journey-v1.schema.json``.

Content conventions used by the demo data (not part of the format):

* Transition weights leaving a touchpoint sum to 1.0; ``drop_off`` is the share of
  the touchpoint's flow that leaves the journey there. Touchpoints with no outgoing
  transition are journey ends.
* Stage-1 touchpoints are the entry points: they have no incoming transitions.
* Feedback polarity follows the touchpoint's emotion; where an opportunity is
  already ``done`` the share of negative feedback at its touchpoint falls after the
  date the fix went live (the spec-only field ``_improved_after``, not written to
  the file), so the demo shows a before and after.
* Verbatims are built from per-touchpoint templates with slots, plus optional
  context, opener and closer sentences; the wording was checked with vaderSentiment
  so that a text-only row's sentiment label agrees with the tone it was written in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMA = HERE.parent.parent / "cxmap" / "formats" / "schema" / "cxmap-journey-v1.schema.json"

FIRST_DAY = dt.date(2026, 2, 1)
LAST_DAY = dt.date(2026, 10, 31)

CHANNELS = {"web", "app", "social", "email", "phone", "store", "chat", "mail",
            "partner", "tv", "sms", "video"}
SOURCES = ("survey", "review", "social", "call", "chat", "email")
STATUSES = ("idea", "planned", "in progress", "done")
NEGATIVE_LABELS = {"frustrated", "anxious", "confused", "angry"}
ZERO_LABELS = {"neutral", "curious"}
POSITIVE_LABELS = {"satisfied", "trusting", "valued", "understood", "joyful",
                   "curious", "relieved"}

# Share of (negative, neutral, positive) feedback by touchpoint emotion.
POLARITY_MIX = {
    -2: (0.72, 0.18, 0.10),
    -1: (0.55, 0.27, 0.18),
    0: (0.28, 0.40, 0.32),
    1: (0.12, 0.28, 0.60),
    2: (0.05, 0.15, 0.80),
}
# After a "done" fix goes live, this share of the negative feedback turns positive.
FIX_EFFECT = 0.55

# Score distributions per polarity: (values, weights).
NPS = {
    "neg": ((0, 1, 2, 3, 4, 5, 6), (10, 6, 9, 12, 12, 14, 10)),
    "neu": ((6, 7, 8), (15, 45, 40)),
    "pos": ((8, 9, 10), (15, 40, 45)),
}
CSAT = {"neg": ((1, 2), (55, 45)), "neu": ((3, 4), (75, 25)), "pos": ((4, 5), (40, 60))}
CES7 = {"neg": ((1, 2, 3), (35, 35, 30)), "neu": ((4, 5), (55, 45)), "pos": ((5, 6, 7), (20, 40, 40))}

# Which scores each source carries: probability of nps, csat, ces being present.
SCORE_ODDS = {
    "survey": (0.85, 0.60, 0.35),
    "call": (0.0, 0.45, 0.20),
    "chat": (0.0, 0.45, 0.20),
    "email": (0.0, 0.20, 0.0),
    "review": (0.0, 0.50, 0.0),   # a star rating, stored as CSAT 1-5
    "social": (0.0, 0.0, 0.0),
}
SOURCE_BASE = {"survey": 45, "review": 15, "social": 12, "call": 12, "chat": 8, "email": 8}
CHANNEL_SOURCE = {"phone": "call", "chat": "chat", "email": "email", "social": "social"}

OPENERS = {
    "neg": ["", "", "", "", "Frankly, ", "Not impressed. ", "Really disappointed. ",
            "Where do I start? "],
    "neu": ["", "", "", "", "Overall, ", "To be fair, ", "Well, "],
    "pos": ["", "", "", "", "Honestly, ", "Have to say, ", "Really pleased. ",
            "Credit where it's due: "],
}
CLOSERS = {
    "neg": ["", "", " Not good enough.", " Very disappointed.", " Really frustrating.",
            " Poor service.", " Not happy at all.", " Sick of it.", " Very stressful."],
    "neu": ["", "", "", " It did the job.", " Nothing more to say really.",
            " Middle of the road.", " Average, I suppose.", " Fair enough."],
    "pos": ["", "", " Great service.", " Really impressed.", " Would recommend.",
            " Thank you!", " Very happy so far.", " Excellent.", " Keep up the good work."],
}
KEEP_CASE = {"I", "I'm", "I've", "I'd", "I'll", "Apple", "Google"}
# A comma opener ("To be fair, ...") only goes before a core that starts with a subject;
# "To be fair, saw the ad" would read badly.
SUBJECT_STARTS = {"The", "I", "I'm", "I've", "I'd", "My", "Your", "A", "An", "It", "They",
                  "This", "Our", "Every", "Search", "Checkout", "Chat", "Phone", "Nobody",
                  "Nowhere", "Half", "Three", "Delivery", "Slots", "Plans", "Substitutions",
                  "Collection", "Tracking", "Registration", "Card", "Payment", "Paying"}


# --------------------------------------------------------------------------- helpers


def tp(key, stage, name, channel, owner, action, thought, emotion, effort, volume,
       drop_off=0.0, mot=False, em=None, fb=None):
    """One touchpoint spec: the fields of the file plus persona emotions and feedback."""
    return {
        "key": key, "stage": stage, "name": name, "channel": channel, "owner": owner,
        "customer_action": action, "thought": thought, "emotion": emotion,
        "effort": effort, "volume": volume, "drop_off": drop_off, "moment_of_truth": mot,
        "_em": em or {}, "_fb": fb or {},
    }


def persona(key, name, description, goals, needs, motivations, behaviors, pain_points, share):
    return {"key": key, "name": name, "description": description, "goals": goals,
            "needs": needs, "motivations": motivations, "behaviors": behaviors,
            "pain_points": pain_points, "segment_share": share}


def weighted(rng, values, weights):
    return rng.choices(values, weights=weights, k=1)[0]


class Slots(dict):
    """Fills ``{slot}`` placeholders, picking each slot's value once per verbatim."""

    def __init__(self, rng, options):
        super().__init__()
        self.rng = rng
        self.options = options

    def __missing__(self, name):
        value = self.rng.choice(self.options[name])
        self[name] = value
        return value


def join_opener(opener, core):
    if not opener or not opener.endswith((", ", ": ")):
        return opener + core
    first = core.split(" ", 1)[0]
    if first in KEEP_CASE or sum(c.isupper() for c in first) >= 2:
        return opener + core
    return opener + core[0].lower() + core[1:]


def verbatim(rng, fb, polarity, spec):
    """One verbatim: optional context + optional opener + core sentence + optional closer."""
    core = rng.choice(fb[polarity]).format_map(Slots(rng, fb.get("slots", {})))
    openers = OPENERS[polarity]
    if core.split(" ", 1)[0] not in SUBJECT_STARTS:
        openers = [o for o in openers if not o.endswith((", ", ": "))]
    text = join_opener(rng.choice(openers), core)
    if rng.random() < 0.18:
        text = rng.choice(spec["contexts"]) + " " + text
    closer = rng.choice(CLOSERS[polarity] + spec["closers"][polarity])
    # A core that already ends in a short verdict ("Useless.") gets no second one.
    if len(core.rsplit(". ", 1)[-1].split()) > 4:
        text += closer
    return text


def scores(rng, source, polarity):
    p_nps, p_csat, p_ces = SCORE_ODDS[source]
    nps = weighted(rng, *NPS[polarity]) if rng.random() < p_nps else None
    csat = weighted(rng, *CSAT[polarity]) if rng.random() < p_csat else None
    ces = weighted(rng, *CES7[polarity]) if rng.random() < p_ces else None
    if source == "survey" and nps is None and csat is None and ces is None:
        nps = weighted(rng, *NPS[polarity])
    return nps, csat, ces


def pick_source(rng, channel):
    weights = dict(SOURCE_BASE)
    boosted = CHANNEL_SOURCE.get(channel)
    if boosted:
        weights[boosted] *= 3
    return weighted(rng, list(SOURCES), [weights[s] for s in SOURCES])


def pick_date(rng):
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def stratified(rng, n, mix):
    """``n`` polarities in the proportions of ``mix`` (neg, neu, pos), in random order.

    Stratified rather than drawn one by one, so that even a touchpoint with eight rows
    shows the balance its emotion implies.
    """
    counts = allocate(n, dict(zip(("neg", "neu", "pos"), mix)), 0)
    out = [p for p in ("neg", "neu", "pos") for _ in range(counts[p])]
    rng.shuffle(out)
    return out


def allocate(total, weights, minimum):
    """Largest-remainder split of ``total`` rows over ``weights``, each at least ``minimum``."""
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


def build(spec):
    rng = random.Random(spec["seed"])
    tps = spec["touchpoints"]
    pain_by_tp = {}
    for pp in spec["pain_points"]:
        pain_by_tp[pp["touchpoint"]] = max(pain_by_tp.get(pp["touchpoint"], 0),
                                           pp["severity"] * pp["frequency"])

    # Feedback rows per touchpoint: more at high-volume and painful touchpoints.
    weights = {}
    for t in tps:
        pain = pain_by_tp.get(t["key"], 0) / 25
        weights[t["key"]] = math.sqrt(t["volume"]) * (1 + 0.45 * max(0, -t["emotion"]) + 0.8 * pain)
    n_general = spec["general_rows"]
    counts = allocate(spec["feedback_rows"] - n_general, weights, 3)

    improved = {}
    for o in spec["opportunities"]:
        if o["status"] == "done" and o.get("_improved_after"):
            improved[o["touchpoint"]] = dt.date.fromisoformat(o["_improved_after"])

    rows = []
    order = {t["key"]: i for i, t in enumerate(tps)}
    for t in tps:
        days = [pick_date(rng) for _ in range(counts[t["key"]])]
        sources = [pick_source(rng, t["channel"]) for _ in days]
        fixed = improved.get(t["key"])
        # Stratify within (before/after the fix) x (survey/other) so that the scored
        # survey rows, too, follow the touchpoint's emotion.
        polarities = {}
        for after_fix in (False, True):
            neg, neu, pos = POLARITY_MIX[t["emotion"]]
            if after_fix:
                neg, pos = neg * (1 - FIX_EFFECT), pos + neg * FIX_EFFECT
            for survey in (True, False):
                idx = [i for i, d in enumerate(days)
                       if (fixed is not None and d >= fixed) == after_fix
                       and (sources[i] == "survey") == survey]
                for i, pol in zip(idx, stratified(rng, len(idx), (neg, neu, pos))):
                    polarities[i] = pol
        for i, day in enumerate(days):
            polarity, source = polarities[i], sources[i]
            nps, csat, ces = scores(rng, source, polarity)
            rows.append((day, order[t["key"]], len(rows), {
                "touchpoint": t["key"], "text": verbatim(rng, t["_fb"], polarity, spec),
                "nps": nps, "csat": csat, "ces": ces, "source": source,
                "created_at": day.isoformat()}))
    general = spec["general"]
    for polarity in stratified(rng, spec["general_rows"], (0.4, 0.25, 0.35)):
        day = pick_date(rng)
        source = weighted(rng, ["survey", "review", "social", "email"], [45, 25, 20, 10])
        nps, csat, ces = scores(rng, source, polarity)
        rows.append((day, len(tps), len(rows), {
            "touchpoint": None, "text": verbatim(rng, general, polarity, spec),
            "nps": nps, "csat": csat, "ces": ces, "source": source,
            "created_at": day.isoformat()}))
    rows.sort(key=lambda r: r[:3])

    emotions = []
    for t in tps:
        for p in spec["personas"]:
            if p["key"] in t["_em"]:
                score, label, note = t["_em"][p["key"]]
                emotions.append({"touchpoint": t["key"], "persona": p["key"], "score": score,
                                 "label": label, "note": note})

    return {
        "format": "cxmap-journey",
        "version": 1,
        "map": dict(spec["map"]),
        "personas": [dict(p) for p in spec["personas"]],
        "stages": [{"key": f"s{i}", "name": name, "order": i}
                   for i, name in enumerate(spec["stages"], start=1)],
        "touchpoints": [{k: v for k, v in t.items() if not k.startswith("_")} for t in tps],
        "emotions": emotions,
        "pain_points": [dict(pp) for pp in spec["pain_points"]],
        "opportunities": [{k: v for k, v in o.items() if not k.startswith("_")}
                          for o in spec["opportunities"]],
        "transitions": [{"source": s, "target": t, "weight": w} for s, t, w in spec["transitions"]],
        "feedback": [r[3] for r in rows],
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


def check(doc, name):
    assert list(doc) == ["format", "version", "map", "personas", "stages", "touchpoints",
                         "emotions", "pain_points", "opportunities", "transitions", "feedback"]
    m = doc["map"]
    assert m["name"] == name and m["state"] == "current" and m["language"] == "en"
    assert m["description"].endswith(".") and m["description"].count(". ") == 0

    personas = doc["personas"]
    assert 2 <= len(personas) <= 3
    p_keys = set(_keys(personas, "p"))
    assert sum(p["segment_share"] for p in personas) <= 1 + 1e-9
    for p in personas:
        assert all(p[f] for f in ("description", "goals", "needs", "motivations",
                                  "behaviors", "pain_points")), p["key"]

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
        assert any(e["persona"] == p and e["score"] != t_by_key[e["touchpoint"]]["emotion"]
                   for e in doc["emotions"])

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
    seen, todo = set(entries), list(entries)
    while todo:
        for nxt in out.get(todo.pop(), {}):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(t_keys), ("unreachable", set(t_keys) - seen)
    ends = {t for t in t_keys if t not in out}
    assert ends and all(t_by_key[e]["stage"] == "s6" for e in ends)
    can_end = set(ends)
    changed = True
    while changed:
        changed = False
        for s, targets in out.items():
            if s not in can_end and any(t in can_end for t in targets):
                can_end.add(s)
                changed = True
    assert can_end == set(t_keys), "every touchpoint can reach the end of the journey"
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


def schema_validate(doc):
    try:
        import jsonschema
    except ImportError:
        return False
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write the three cxmap demo journey maps.")
    parser.add_argument("--out", type=Path, default=HERE,
                        help="directory to write the JSON files into (default: beside this script)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    validated = False
    for spec in (telecom(), grocery(), bank()):
        doc = build(spec)
        check(doc, spec["map"]["name"])
        validated = schema_validate(doc)
        path = args.out / spec["file"]
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path.name}: {len(doc['touchpoints'])} touchpoints, "
              f"{len(doc['feedback'])} feedback rows")
    if not validated:
        print("note: jsonschema not installed; schema validation skipped", file=sys.stderr)


# =========================================================================== map 1


def telecom():
    P1, P2, P3 = "p1", "p2", "p3"
    touchpoints = [
        tp("t1", "s1", "Sees the TV ad for the fibre offer", "tv", "Marketing",
           "Notices the 'full fibre from £28 a month' ad during an evening programme.",
           "Is that price real, or does it jump after a few months?", 0, 1, 38000,
           em={P1: (0, "curious", ""),
               P2: (0, "neutral", "Ignores TV ads; already researching online."),
               P3: (1, "curious", "TV is where she hears about new offers.")},
           fb={"slots": {"price": ["£28 a month", "£30 a month", "£25 a month"],
                         "when": ["last week", "during the football", "the other evening",
                                  "a couple of times"]},
               "neg": ["The TV ad says {price} but the small print says that's only for the first year. Misleading.",
                       "Saw the ad {when}; it suggested next-day installation. Misleading, the real wait was two weeks."],
               "neu": ["Saw the advert on TV {when} and it made me check whether fibre reached our street.",
                       "The ad was fine, just another broadband offer really."],
               "pos": ["The TV ad was clear about the price and the speed, which is why I looked you up.",
                       "Catchy advert, and {price} for full fibre caught my attention straight away."]}),
        tp("t2", "s1", "Compares deals on a comparison site", "partner", "Marketing",
           "Filters deals by speed and price on a price-comparison website and clicks through to the offer.",
           "I want the fastest speed I can get for under £35 a month.", 1, 2, 16000,
           em={P1: (1, "satisfied", ""),
               P2: (1, "curious", "Checks the real-world speed figures, not just the headline."),
               P3: (0, "neutral", "Her son walks her through the site.")},
           fb={"slots": {"price": ["£28 a month", "£30 a month", "£32 a month"]},
               "neg": ["The comparison site listed {price} but when I clicked through the price was higher. Annoying.",
                       "The comparison site showed a free router, then your site charged a delivery fee for it. Confusing and sneaky."],
               "neu": ["Found you on a comparison site, somewhere in the middle on price.",
                       "Clicked through from the comparison site. Speeds looked similar to everyone else's."],
               "pos": ["You came out top on the comparison site for speed per pound.",
                       "The comparison site deal at {price} was exactly what I got on your site. Honest pricing, great."]}),
        tp("t3", "s1", "Sees a sponsored social media post", "social", "Marketing",
           "Scrolls past a sponsored post showing gigabit speeds and a £50 bill credit.",
           "Looks good, but let's see what the comments say about the service.", 0, 1, 11000,
           em={P1: (0, "neutral", ""),
               P2: (0, "curious", "Reads the replies to see whether real customers complain.")},
           fb={"neg": ["Your sponsored posts keep appearing but the comments underneath are full of people complaining about installs.",
                       "Half the replies on your Facebook ad are people saying they've waited weeks for an engineer. Not a good look."],
               "neu": ["Saw the post on Instagram. The £50 credit is what made me click.",
                       "Came across you through an ad on social media."],
               "pos": ["Liked that your social team actually replied to questions under the ad within minutes.",
                       "The social ad was honest about installation times, which I appreciated."]}),
        tp("t4", "s2", "Checks fibre availability for the address", "web", "Digital",
           "Enters the postcode and picks the address to see which speeds are available.",
           "Please say full fibre reaches our street.", 0, 2, 30000, drop_off=0.2,
           em={P1: (1, "relieved", "Her street is covered."),
               P2: (0, "neutral", "Wants the exact line speed, not a range."),
               P3: (-1, "confused", "Her flat isn't in the address list.")},
           fb={"slots": {"issue": ["our new-build flat isn't in the address list",
                                   "it said only copper was available but my neighbour has fibre",
                                   "the postcode lookup kept timing out"]},
               "neg": ["The availability checker is useless: {issue}.",
                       "Spent ages on the address checker because {issue}. Had to ring up in the end, a waste of an evening."],
               "neu": ["Postcode check worked, though it showed a speed range rather than an exact figure.",
                       "Typed in the postcode and it found our address first time, showing two speed options.",
                       "Address lookup was quick. It said up to 900 Mbps, we'll see."],
               "pos": ["The checker was instant and helpful, it told me exactly which speeds I could get.",
                       "Great address checker, it even said when fibre reached our street.",
                       "Loved that the address check showed full fibre was already on our street."]}),
        tp("t5", "s2", "Compares plans and contract terms", "web", "Digital",
           "Reads the plan cards and compares speed, contract length, setup fee and the price after the first year.",
           "What will I actually pay in month thirteen?", -1, 3, 24000, drop_off=0.15,
           em={P1: (-1, "confused", "Can't see the setup fee until checkout."),
               P2: (0, "neutral", "Goes straight to the upload speeds."),
               P3: (-1, "confused", "Jargon like 'Mbps' and 'mid-contract rise' puts her off.")},
           fb={"slots": {"hidden": ["the £60 setup fee", "the price rise every April",
                                    "the price after 12 months", "the £5 router delivery charge"],
                         "speeds": ["150, 500 and 900 Mbps", "the 500 and 900 Mbps plans"]},
               "neg": ["Had to dig to find {hidden}. Hiding it is sneaky, put it on the plan card.",
                       "Annoying that {hidden} only appeared at the very last step.",
                       "Nowhere on the plan page does it say clearly what I'll pay after the first year. Frustrating and confusing.",
                       "Your plan page hides {hidden} in the small print. Not impressed."],
               "neu": ["Plans were easy enough to compare, though I had to read the terms to find {hidden}.",
                       "I compared {speeds} side by side and read the terms before picking one.",
                       "Three plans, {speeds}. Pretty standard layout."],
               "pos": ["The plan page showed the total cost over 24 months, which made it easy to decide.",
                       "Clear comparison of {speeds}, and the price after the first year was right there."]}),
        tp("t6", "s2", "Asks questions in web chat", "chat", "Sales",
           "Opens the chat window to ask about installation times and whether the router supports Wi-Fi 6.",
           "I just want a straight answer from a real person.", 1, 2, 6000,
           em={P1: (1, "understood", ""),
               P2: (0, "neutral", "The bot couldn't answer a technical question, so he waited for an agent.")},
           fb={"slots": {"wait": ["two minutes", "a few minutes", "about ten minutes"],
                         "q": ["installation times", "whether the router has Wi-Fi 6",
                               "keeping my landline number", "the contract length"]},
               "neg": ["The chatbot kept sending me FAQ links when I asked about {q}. Useless.",
                       "Waited {wait} in chat just to be told to check the website about {q}. Useless."],
               "neu": ["Asked in chat about {q}. Got an answer, a bit scripted.",
                       "The chat agent answered my question about {q} after {wait}."],
               "pos": ["The chat agent answered my question about {q} in {wait}, really helpful.",
                       "Great chat support: they explained {q} clearly and didn't push an upgrade."]}),
        tp("t7", "s2", "Visits a store for advice", "store", "Sales",
           "Goes into the high-street store to ask which plan suits the household and whether the price is fixed.",
           "I'd rather talk it through face to face before signing anything.", 1, 3, 5000,
           em={P1: (0, "neutral", "Only goes in if she is passing at the weekend."),
               P3: (2, "trusting", "A staff member sat down and explained the contract in plain English.")},
           fb={"slots": {"staff": ["the lady in the store", "the young man at the counter",
                                   "the store manager", "the assistant"]},
               "neg": ["Queued for 25 minutes in the store and then {staff} tried to sell me a TV package I didn't ask for. Pushy and annoying.",
                       "Went to the store for advice and {staff} couldn't tell me whether fibre was available at my address. Disappointing."],
               "neu": ["The store visit was okay, {staff} answered my questions but it was busy.",
                       "Popped into the store, picked up the leaflets and went home to think about it."],
               "pos": ["Really patient and helpful service in the store: {staff} explained everything in plain English.",
                       "Very helpful store visit, {staff} checked my address and explained the price after year one."]}),
        tp("t8", "s3", "Checks out online", "web", "Digital",
           "Chooses the plan, enters personal and payment details and picks a start date.",
           "Nearly done, as long as the form doesn't time out.", 1, 2, 12000, drop_off=0.1,
           em={P1: (1, "satisfied", ""),
               P2: (2, "joyful", "Finished in under five minutes on his laptop."),
               P3: (-1, "anxious", "Worried about entering bank details online.")},
           fb={"slots": {"mins": ["five", "ten", "fifteen"],
                         "glitch": ["the page timed out and I lost everything",
                                    "the direct debit page kept rejecting my sort code",
                                    "it asked for my address history twice"]},
               "neg": ["Checkout was a pain: {glitch}.",
                       "Tried to order online but {glitch}. Took three frustrating attempts."],
               "neu": ["Checkout took about {mins} minutes. Fairly standard.",
                       "The online order went through, with a few more questions than I expected."],
               "pos": ["Ordered online in about {mins} minutes, really smooth and easy.",
                       "Checkout was quick and clear, and it showed the monthly price and setup fee before I paid."]}),
        tp("t9", "s3", "Signs up in store", "store", "Sales",
           "Signs the contract with a store adviser, who enters the order and books the installation.",
           "I feel better having someone do it with me.", 1, 3, 4000,
           em={P1: (0, "neutral", "Takes longer than ordering online."),
               P3: (1, "trusting", "Gets a printed copy of the contract.")},
           fb={"neg": ["Took over an hour to sign up in store because the system kept crashing. Painful.",
                       "The adviser in store rushed me through the contract and never mentioned the setup fee. Not happy."],
               "neu": ["Signed up in the store. Took a while but it's done.",
                       "The adviser filled everything in for me and printed the contract."],
               "pos": ["Signing up in store was easy: the adviser did the forms and booked my installation there and then.",
                       "Really appreciated getting a printed copy of everything I signed. Felt looked after.",
                       "Lovely adviser in store, patient with all my questions and no hard sell."]}),
        tp("t10", "s3", "Goes through the credit check", "web", "Compliance",
           "Consents to a credit check and waits for the result on screen.",
           "What are they checking, and will it affect my credit score?", -1, 2, 15500, drop_off=0.06,
           em={P1: (0, "neutral", ""),
               P2: (0, "neutral", "Knows it's a soft search."),
               P3: (-2, "anxious", "Fears being refused at her age; nothing explains what is checked.")},
           fb={"neg": ["Failed the credit check with no reason given and no alternative offered. Embarrassing.",
                       "Nobody explained whether the credit check was a hard or soft search. I've got a mortgage application coming up, so that really worried me.",
                       "The credit check took two days and nobody told me it was pending. Stressful."],
               "neu": ["The credit check was instant, I barely noticed it.",
                       "The credit check result came back within a minute or so.",
                       "Had to do a credit check, standard stuff."],
               "pos": ["Liked that it said clearly it was a soft search that wouldn't affect my credit score.",
                       "The credit check was done in seconds and I got a confirmation straight away."]}),
        tp("t11", "s3", "Receives the order confirmation email", "email", "Digital",
           "Reads the confirmation email with the order number, installation date and contract summary.",
           "Good, it's all in writing.", 1, 1, 15000,
           em={P1: (1, "relieved", ""),
               P2: (1, "satisfied", ""),
               P3: (-1, "confused", "The email links to a PDF she can't open on her tablet.")},
           fb={"neg": ["The confirmation email had the wrong installation date on it.",
                       "Never got a confirmation email and had to call to check my order existed. Worrying."],
               "neu": ["Got the confirmation email a few minutes later. Lots of legal text.",
                       "Order confirmation arrived with the contract summary attached as a PDF."],
               "pos": ["The confirmation email was clear: order number, installation date, what to expect. Perfect.",
                       "Got my confirmation immediately with everything I needed. Great."]}),
        tp("t12", "s4", "Books the installation appointment", "web", "Field Service",
           "Picks an installation slot from the calendar and gets a text confirming the window.",
           "Another morning off work, and the earliest slot is in two weeks?", -1, 3, 14500,
           em={P1: (-2, "frustrated", "Only weekday 8am to 1pm or 12pm to 6pm slots, so she has to take a day off."),
               P2: (-1, "frustrated", "Works from home, but a five-hour window still blocks his meetings."),
               P3: (1, "satisfied", "She is at home anyway and any slot suits her.")},
           fb={"slots": {"days": ["12 days", "two weeks", "nearly three weeks", "10 days"],
                         "win": ["8am to 1pm", "12pm to 6pm", "8am to 6pm"]},
               "neg": ["The earliest installation slot was {days} away and the only window offered was {win}. Ridiculous when you work full time.",
                       "No evening or weekend installation slots at all. Had to waste a day's leave.",
                       "Hopeless choice of slots: weekdays only, and the nearest one is {days} away.",
                       "Really annoying: I booked a slot and then got a text moving it {days} later without asking."],
               "neu": ["Booked the installation online, a {days} wait, which I expected.",
                       "The installation calendar showed a handful of slots, I took the first one, {days} out.",
                       "Installation booked for {win}. Manageable."],
               "pos": ["Got an installation slot within the week, which was better than I expected.",
                       "Really pleased I could pick a slot that suited me, and the text reminder the day before was helpful.",
                       "Booking the engineer online was easy and I got a text confirmation straight away."]}),
        tp("t13", "s4", "Receives the router by courier", "mail", "Logistics",
           "Waits in for the router parcel or collects it from the courier depot.",
           "Will it arrive before the technician does?", 0, 2, 14500,
           em={P1: (-1, "frustrated", "The parcel went back to the depot while she was at work."),
               P2: (1, "satisfied", "Tracks the parcel online."),
               P3: (0, "neutral", "")},
           fb={"neg": ["The courier left a card saying I wasn't in. I was in all day. Had to drive to the depot for the router. Infuriating.",
                       "The router still hadn't arrived the day before the installation and nobody could tell me where it was. Stressful."],
               "neu": ["The router turned up a couple of days before the installation. Standard box.",
                       "The parcel arrived, I had to sign for it."],
               "pos": ["The router arrived the next day with tracking all the way, very easy.",
                       "The router came well before the installation with clear instructions in the box."]}),
        tp("t14", "s4", "Technician installation visit", "partner", "Field Service",
           "Waits at home for the technician, who connects the fibre line, fits the socket and tests the connection.",
           "Will the technician actually turn up in the window?", -2, 4, 14000, mot=True,
           em={P1: (-2, "angry", "The technician arrived after the window closed; she lost a day's pay."),
               P2: (-1, "frustrated", "No arrival time, so he couldn't plan his calls."),
               P3: (1, "satisfied", "The technician was kind and set up the Wi-Fi on her tablet.")},
           fb={"slots": {"late": ["3 hours late", "two hours after the window closed",
                                  "at 5:45pm for an 8am to 1pm slot", "four hours late"],
                         "mess": ["drilled through the wrong wall", "left cable clips all over the hallway",
                                  "ran the cable across the front of the house"],
                         "noshow": ["never turned up", "didn't show and nobody called",
                                    "cancelled by text an hour before"]},
               "neg": ["The technician arrived {late} with no call or text to warn me.",
                       "Furious. The technician arrived {late} and then said he didn't have the right equipment.",
                       "Took a day off for the installation and the technician {noshow}. Absolutely furious.",
                       "The technician {mess} and was gone in twenty minutes. Terrible work.",
                       "Second time the engineer {noshow}. I've now lost two days of annual leave."],
               "neu": ["The technician turned up near the end of the window and got it working.",
                       "The technician came, fitted the socket and left. It works, the cable is a bit visible.",
                       "The installation took about two hours. The cable route wasn't what I wanted but it works."],
               "pos": ["The technician was on time, tidy and friendly, and even helped me set up the Wi-Fi on my tablet.",
                       "Brilliant engineer, explained everything and tested the speed in every room before leaving."]}),
        tp("t15", "s4", "Sets up the router and Wi-Fi", "app", "Digital",
           "Follows the app's set-up steps, names the Wi-Fi network and connects the household's devices.",
           "I hope I don't have to reconnect every single device.", 0, 3, 13500,
           em={P1: (0, "neutral", ""),
               P2: (1, "satisfied", "Changes DNS and channel settings in the app."),
               P3: (-2, "confused", "Can't find the Wi-Fi password and calls her son.")},
           fb={"slots": {"dev": ["the TV", "the kids' consoles", "my printer", "the doorbell camera"]},
               "neg": ["The app set-up got stuck on 'connecting' and {dev} wouldn't join the network. Frustrating.",
                       "Frustrating set-up: the instructions in the box were for a different router, and it took an hour to get {dev} online."],
               "neu": ["Set-up was okay once I found the password on the back of the router.",
                       "Connected the laptop and phones, then had to reset {dev} before it joined.",
                       "Had to reconnect everything including {dev}, but it worked in the end."],
               "pos": ["App set-up was brilliant: scanned the QR code and was online in five minutes.",
                       "Loved that I could keep my old Wi-Fi name so {dev} connected by itself."]}),
        tp("t16", "s4", "Runs the first speed test", "app", "Digital",
           "Opens the app's speed test to see whether the line delivers the speed on the plan.",
           "Wow, is that really 900 megabits?", 2, 1, 9000,
           em={P1: (2, "joyful", "Everyone can stream at once without buffering."),
               P2: (2, "joyful", "Screenshots the result for his gaming group."),
               P3: (1, "satisfied", "Video calls with the grandchildren no longer freeze.")},
           fb={"slots": {"speed": ["920 Mbps", "870 Mbps", "over 900 Mbps", "940 Mbps"],
                         "use": ["four of us streaming at once", "gaming and a work call at the same time",
                                 "the kids on their tablets and me on a video call"]},
               "neg": ["Paying for 900 and the speed test shows 240 Mbps on Wi-Fi. Very disappointing, not what was sold.",
                       "The speed test in the app keeps failing to load, so I can't even check."],
               "neu": ["The speed test shows about 500 Mbps over Wi-Fi, which is fine.",
                       "Speeds are okay, not quite the headline figure."],
               "pos": ["The first speed test came back at {speed}. Amazing difference from our old connection.",
                       "Love it! Finally {use} and zero buffering. The speed test says {speed}.",
                       "Ran the speed test straight away: {speed}. Absolutely delighted."]}),
        tp("t17", "s4", "Receives the first bill", "email", "Billing",
           "Opens the first bill email and compares the amount with the advertised monthly price.",
           "Why is this nearly double what I signed up for?", -1, 3, 13000, mot=True,
           em={P1: (-2, "angry", "Part-month charges plus a month in advance, with no explanation."),
               P2: (-1, "confused", "Works out the part-month maths himself."),
               P3: (-1, "anxious", "Keeps the paper bill and phones to check it.")},
           fb={"slots": {"amount": ["£61.40", "£58", "£73.20", "almost £70"],
                         "price": ["£28", "£30", "£32"]},
               "neg": ["The first bill was {amount} when I signed up for {price} a month. Nobody mentioned part-month charges.",
                       "Bill shock. {amount} taken by direct debit with no breakdown of why.",
                       "The first bill charged me for the router delivery that was supposed to be free. Not happy."],
               "neu": ["The first bill was higher because of the part month, it's explained on page two.",
                       "The first bill was {amount}, which I worked out was the part month plus the first full month.",
                       "The bill arrived by email, took a while to understand the part-month bit."],
               "pos": ["The first bill matched exactly what I was told at sign-up. Refreshingly honest.",
                       "An email explained the part-month charge before the bill came, which was really helpful."]}),
        tp("t18", "s5", "Reports slow speed in the app", "app", "Customer Care",
           "Uses the app's 'report a problem' form to log slow speeds or dropouts.",
           "Hopefully this reaches someone who can actually fix it.", -1, 3, 2600,
           em={P1: (-1, "frustrated", ""),
               P2: (0, "neutral", "Attaches his own speed-test logs.")},
           fb={"neg": ["Reported drops in the app three times, each time it said 'we'll be in touch' and nobody was. Useless.",
                       "The fault form in the app only lets you pick from four options, none of which was my problem."],
               "neu": ["Logged it in the app and got a reference number.",
                       "Reported the slow speed through the app, got an automated reply."],
               "pos": ["Reported it in the app, which ran a line test straight away and sorted it. Impressive.",
                       "Easy to report the issue in the app, and it kept me updated."]}),
        tp("t19", "s5", "Calls the support line", "phone", "Customer Care",
           "Calls the helpline, goes through the automated menu and explains the problem to an agent.",
           "How many times do I have to give my account number?", -1, 4, 3800, mot=True,
           em={P1: (-2, "frustrated", "Transferred three times and repeats her details each time."),
               P2: (-1, "frustrated", "Wants to skip the 'have you restarted it' questions."),
               P3: (0, "neutral", "Prefers the phone; a patient agent helps, but the menu confuses her.")},
           fb={"slots": {"wait": ["40 minutes", "over an hour", "25 minutes", "35 minutes"],
                         "times": ["three times", "twice", "four times"]},
               "neg": ["Waited {wait} on hold, then got transferred {times} and had to repeat my account details each time. Exhausting.",
                       "The phone menu is awful: six levels and none of them is 'my internet isn't working'.",
                       "The agent promised a callback that never happened. Spent {wait} on hold again the next day. Awful."],
               "neu": ["Called support, waited {wait}, and the agent logged a ticket.",
                       "Phone support got there in the end, after one transfer."],
               "pos": ["The agent on the phone was fantastic and stayed on the line until my internet was back.",
                       "Called the helpline, got through in minutes and the agent fixed it remotely. Excellent."]}),
        tp("t20", "s5", "Follows remote troubleshooting steps", "chat", "Customer Care",
           "Works through the agent's troubleshooting script: restart the router, check the lights, run a line test.",
           "I've already turned it off and on again. Twice.", -1, 4, 2800,
           em={P1: (-1, "frustrated", ""),
               P2: (-2, "angry", "The script ignores the diagnostics he already sent."),
               P3: (-1, "confused", "Can't tell which light is which on the router.")},
           fb={"neg": ["I told them I'd already restarted the router and they made me do it again. Twice. So annoying.",
                       "Frustrating chat: they asked for my account number three times before any troubleshooting started.",
                       "The troubleshooting chat went round in circles for 45 minutes and ended with 'call us instead'. A complete waste of time.",
                       "Had to read out the router lights with a phone torch, then they said an engineer was needed anyway. A waste of time."],
               "neu": ["Went through the troubleshooting steps with the agent. Took a while, and it turned out to be a cable.",
                       "Standard troubleshooting: restart, line test and so on."],
               "pos": ["The agent ran a line test remotely and found the cause before I'd finished explaining. Impressive.",
                       "Troubleshooting was quick and they explained what each step was for."]}),
        tp("t21", "s5", "Gets an engineer repair visit", "partner", "Field Service",
           "Waits in for a repair engineer to fix a line or socket fault.",
           "Another day waiting in, but at least someone is coming.", 0, 3, 700,
           em={P1: (-1, "frustrated", ""),
               P2: (0, "neutral", ""),
               P3: (1, "relieved", "")},
           fb={"neg": ["The repair engineer was booked for a week later while I had no internet for work.",
                       "The repair engineer said the first installer had wired it wrong. Two wasted days."],
               "neu": ["The engineer came and replaced the socket, seems fine now.",
                       "The repair visit happened on the day booked."],
               "pos": ["The repair engineer came the next morning and fixed the fault in half an hour. Great.",
                       "The engineer traced it to the cable outside the house and fixed it within half an hour. Excellent work."]}),
        tp("t22", "s5", "Gets a text that the fault is fixed", "sms", "Customer Care",
           "Receives a text confirming the fault is resolved, with a link to rate the support.",
           "Finally. Let's see if it stays fixed.", 1, 1, 3300,
           em={P1: (1, "relieved", ""),
               P2: (1, "satisfied", ""),
               P3: (1, "relieved", "")},
           fb={"neg": ["Got a text saying my fault was fixed. The connection was still broken.",
                       "They closed the ticket by text without checking with me. Poor."],
               "neu": ["Got the 'fault resolved' text. The connection seems stable for now.",
                       "A text arrived to say it's fixed, with a survey link."],
               "pos": ["Nice to get a text confirming the fix and a credit for the days without service.",
                       "Quick text to confirm it was sorted. Good follow-up."]}),
        tp("t23", "s6", "Receives the renewal offer", "email", "Sales",
           "Reads the end-of-contract email showing the new monthly price and the renewal options.",
           "Why do new customers get a better deal than me?", 0, 2, 11500,
           em={P1: (-1, "frustrated", "The renewal price is £12 more than the new-customer offer."),
               P2: (0, "neutral", "Has already compared competitor prices."),
               P3: (1, "trusting", "Happy to stay if the price is fair.")},
           fb={"slots": {"rise": ["£12 a month", "£9 a month", "nearly £15 a month"]},
               "neg": ["The renewal email puts my price up by {rise} while new customers get the deal I had. Feels like a penalty for staying.",
                       "The renewal offer is worse than what you advertise on TV to new customers."],
               "neu": ["Got the renewal email a month before the contract ended. The price is a bit higher.",
                       "The renewal options were clear enough, I'll compare before deciding."],
               "pos": ["The renewal offer kept me on the same price, which was a pleasant surprise.",
                       "Good to get a reminder before the contract ended, with a fair renewal price."]}),
        tp("t24", "s6", "Renews the contract in the app", "app", "Sales",
           "Accepts the renewal offer in the app with two taps.",
           "That was easy, no phone call needed.", 1, 1, 7000,
           em={P1: (1, "satisfied", ""),
               P2: (2, "valued", "Gets a speed upgrade at the same price."),
               P3: (0, "neutral", "Her son renews it for her.")},
           fb={"neg": ["Renewed in the app and the discount didn't show on the next bill. Annoying.",
                       "The renew button in the app just gave an error, so I had to ring."],
               "neu": ["Renewed in the app. Quick.",
                       "Tapped renew and got an email confirmation."],
               "pos": ["Renewing took about thirty seconds in the app and I got a free speed upgrade.",
                       "So easy to renew in the app, no haggling needed."]}),
        tp("t25", "s6", "Negotiates with the retention team", "phone", "Sales",
           "Calls to cancel and is put through to the retention team, who offer a discount to stay.",
           "Why do I have to threaten to leave to get a fair price?", -1, 4, 4500, drop_off=0.25,
           em={P1: (-1, "frustrated", ""),
               P2: (-1, "frustrated", "Has a competitor quote ready."),
               P3: (-1, "anxious", "Dislikes confrontation and accepts the first offer.")},
           fb={"neg": ["Had to threaten to leave before they would match the new-customer price. Ridiculous.",
                       "It makes me angry that I have to spend an hour on the phone to get the price new customers get.",
                       "The retention team kept me on the phone for 50 minutes trying to upsell TV channels. Exhausting."],
               "neu": ["Rang the retention team, they offered £8 off a month, so I stayed.",
                       "The retention team matched a competitor quote after some back and forth."],
               "pos": ["The retention agent was straightforward, matched the price and added a speed upgrade. Fair and friendly.",
                       "Called to leave and the agent sorted a better deal in five minutes without any pressure."]}),
        tp("t26", "s6", "Gets a refer-a-friend invitation", "social", "Marketing",
           "Receives a referral code and shares it with friends or neighbours for a £50 bill credit each.",
           "If the neighbours join, we both get £50 off. Why not?", 1, 1, 9500,
           em={P1: (1, "valued", ""),
               P2: (1, "satisfied", "Posts the code in his gaming group chat."),
               P3: (1, "valued", "Tells her neighbour over the fence instead.")},
           fb={"neg": ["Still no sign of the £50 referral payment even though two of my neighbours joined. Really disappointing.",
                       "The referral link didn't work for my neighbour, so neither of us got the credit. Useless."],
               "neu": ["Shared my referral code with a couple of friends.",
                       "Passed my referral code to my sister, we'll see if she switches.",
                       "Got the referral email, might pass it on."],
               "pos": ["Recommended you to my neighbour and we both got £50 off. The service has been great since the installation.",
                       "Happy to refer friends now, the connection has been rock solid for months."]}),
    ]
    return {
        "file": "telecom-broadband-onboarding.json",
        "seed": 20261101,
        "feedback_rows": 232,
        "general_rows": 6,
        "map": {"name": "Broadband onboarding",
                "description": "How households find, buy, get connected to and stay with a full-fibre broadband plan, from the first ad to contract renewal and referral.",
                "state": "current", "language": "en"},
        "personas": [
            persona(P1, "Busy parent",
                    "Works full time and juggles school runs; a household of four streams, games and video-calls at the same time every evening.",
                    "Get fast, reliable broadband installed without taking a day off work, and pay one predictable monthly price.",
                    "Installation slots outside school hours, clear confirmation messages, a router that works out of the box, and a bill that matches the advertised price.",
                    "The current connection drops during homework video calls, and the old contract has just ended.",
                    "Researches on her phone in the evening, compares deals on comparison sites, reads reviews, buys online and only calls when stuck.",
                    "Waiting in for installation windows, surprise charges on the first bill, and repeating the same story to every agent.",
                    0.45),
            persona(P2, "Remote-working tech enthusiast",
                    "A software tester in his late twenties who works from home four days a week and plays online games in the evening.",
                    "Get the fastest stable speed and low latency, manage everything himself in the app, and never wait on hold.",
                    "Honest speed figures, router settings he can change, real-time status updates, and support that skips the basic script.",
                    "Video calls for work and competitive gaming; he wants a full-fibre line that delivers the speed he pays for.",
                    "Reads forums and speed-test results before buying, checks out online in one sitting, uses the app and chat, and posts about bad service on social media.",
                    "Scripted troubleshooting, vague installation windows, and speeds that fall short of the advertised figure.",
                    0.35),
            persona(P3, "Retired homeowner",
                    "A 72-year-old widow living alone who uses broadband for video calls with her grandchildren and for online banking.",
                    "A simple, trustworthy deal with someone she can talk to, and help setting everything up.",
                    "Plain-language explanations, a named contact, a technician who sets up the Wi-Fi for her, and no pressure to add extras.",
                    "Staying in touch with family and feeling safe online; her landline provider is switching off the old copper lines.",
                    "Asks family for advice, prefers to visit the store or phone, reads letters carefully and keeps paper copies of bills.",
                    "Jargon, automated phone menus, worry about the credit check, and being locked into a long contract.",
                    0.20),
        ],
        "stages": ["Awareness", "Comparison", "Sign-up", "Installation and first use", "Support",
                   "Renewal and referral"],
        "touchpoints": touchpoints,
        "pain_points": [
            {"key": "pp1", "touchpoint": "t4", "description": "The address lookup misses new-build flats, so some customers are told fibre is unavailable when it is.", "severity": 3, "frequency": 2},
            {"key": "pp2", "touchpoint": "t5", "description": "Plan cards show the introductory price in large type; the price after month 12 and the setup fee only appear in the small print or at checkout.", "severity": 3, "frequency": 4},
            {"key": "pp3", "touchpoint": "t10", "description": "The credit check gives no explanation of what is checked, and a decline gives no reason or alternative such as a deposit.", "severity": 4, "frequency": 2},
            {"key": "pp4", "touchpoint": "t12", "description": "Installation slots are weekday mornings or afternoons only, and the earliest slot is often 12 or more days away.", "severity": 4, "frequency": 4},
            {"key": "pp5", "touchpoint": "t13", "description": "When nobody answers the door the courier returns the router to a depot, and customers must collect it before the installation.", "severity": 2, "frequency": 2},
            {"key": "pp6", "touchpoint": "t14", "description": "Technicians arrive late or miss the window without notice; about one visit in eight is rescheduled on the day.", "severity": 5, "frequency": 3},
            {"key": "pp7", "touchpoint": "t17", "description": "The first bill combines part-month charges with the first full month in advance, so it is roughly double the advertised price and is not explained.", "severity": 4, "frequency": 5},
            {"key": "pp8", "touchpoint": "t19", "description": "The phone menu has six levels, the average wait is 18 minutes, and customers repeat their details after every transfer.", "severity": 4, "frequency": 4},
            {"key": "pp9", "touchpoint": "t20", "description": "The troubleshooting script makes customers restart the router even when they have already done so or sent diagnostics.", "severity": 3, "frequency": 5},
            {"key": "pp10", "touchpoint": "t25", "description": "Existing customers only get the new-customer price if they threaten to leave.", "severity": 3, "frequency": 3},
        ],
        "opportunities": [
            {"key": "o1", "touchpoint": "t14", "pain_point": "pp6", "title": "Live technician tracking with an 'on my way' text and arrival time", "customer_value": 85, "business_value": 60, "effort": 3, "status": "in progress"},
            {"key": "o2", "touchpoint": "t17", "pain_point": "pp7", "title": "Explain the first bill before it arrives, with the part-month charge worked out", "customer_value": 80, "business_value": 55, "effort": 2, "status": "planned"},
            {"key": "o3", "touchpoint": "t12", "pain_point": "pp4", "title": "Offer evening and Saturday installation slots", "customer_value": 75, "business_value": 45, "effort": 4, "status": "idea"},
            {"key": "o4", "touchpoint": "t19", "pain_point": "pp8", "title": "Callback instead of queueing, with case notes that follow the customer between agents", "customer_value": 70, "business_value": 65, "effort": 3, "status": "planned"},
            {"key": "o5", "touchpoint": "t5", "pain_point": "pp2", "title": "Show the full 24-month cost on every plan card", "customer_value": 65, "business_value": 40, "effort": 1, "status": "done", "_improved_after": "2026-06-15"},
            {"key": "o6", "touchpoint": "t13", "pain_point": "pp5", "title": "Let customers choose a pickup point or safe place for the router", "customer_value": 50, "business_value": 30, "effort": 2, "status": "done", "_improved_after": "2026-05-01"},
            {"key": "o7", "touchpoint": "t20", "pain_point": "pp9", "title": "Run remote line diagnostics before starting the troubleshooting script", "customer_value": 70, "business_value": 70, "effort": 4, "status": "idea"},
            {"key": "o8", "touchpoint": "t26", "pain_point": None, "title": "Double referral credit for both households in the first 90 days", "customer_value": 40, "business_value": 75, "effort": 1, "status": "idea"},
            {"key": "o9", "touchpoint": "t23", "pain_point": None, "title": "Proactive loyalty price 60 days before the contract ends", "customer_value": 75, "business_value": 50, "effort": 3, "status": "idea"},
        ],
        "transitions": [
            ("t1", "t4", 0.75), ("t1", "t7", 0.25),
            ("t2", "t4", 0.85), ("t2", "t5", 0.15),
            ("t3", "t4", 0.8), ("t3", "t6", 0.2),
            ("t4", "t5", 0.8), ("t4", "t7", 0.2),
            ("t5", "t8", 0.6), ("t5", "t6", 0.25), ("t5", "t7", 0.15),
            ("t6", "t8", 0.75), ("t6", "t9", 0.25),
            ("t7", "t9", 0.85), ("t7", "t8", 0.15),
            ("t8", "t10", 1.0),
            ("t9", "t10", 1.0),
            ("t10", "t11", 1.0),
            ("t11", "t12", 1.0),
            ("t12", "t13", 1.0),
            ("t13", "t14", 1.0),
            ("t14", "t15", 0.9), ("t14", "t19", 0.1),
            ("t15", "t16", 0.65), ("t15", "t17", 0.25), ("t15", "t18", 0.1),
            ("t16", "t17", 1.0),
            ("t17", "t23", 0.75), ("t17", "t19", 0.15), ("t17", "t18", 0.1),
            ("t18", "t20", 1.0),
            ("t19", "t20", 0.5), ("t19", "t22", 0.35), ("t19", "t21", 0.15),
            ("t20", "t22", 0.6), ("t20", "t19", 0.3), ("t20", "t21", 0.1),
            ("t21", "t22", 1.0),
            ("t22", "t23", 1.0),
            ("t23", "t24", 0.6), ("t23", "t25", 0.4),
            ("t24", "t26", 1.0),
            ("t25", "t26", 1.0),
        ],
        "contexts": ["I work from home, so the connection is essential.",
                     "We're a family of four and everyone is online in the evening.",
                     "I'm 72 and new to all this technology.",
                     "First time on a full-fibre connection.",
                     "Switched from my old provider after eight years.",
                     "We moved house in the spring.",
                     "My partner and I both work shifts."],
        "closers": {"neg": [" Thinking of going back to my old provider.", " Not happy."],
                    "neu": [" Average really."],
                    "pos": [" Glad I switched.", " Five stars."]},
        "general": {"neg": ["Overall the broadband is fine when it works, but every contact with customer service is a battle.",
                            "Six months in and every single contact has needed a follow-up call. Exhausting."],
                    "neu": ["The broadband is okay. Nothing to write home about.",
                            "An average experience overall, some good bits, some not."],
                    "pos": ["Really happy with the switch overall. Fast, reliable, and the app is good.",
                            "The best broadband provider I've had, and I've tried a few."]},
    }


# =========================================================================== map 2


def grocery():
    P1, P2, P3 = "p1", "p2", "p3"
    touchpoints = [
        tp("t1", "s1", "Sees an app ad on social media", "social", "Marketing",
           "Sees a sponsored video offering £15 off a first grocery order over £60.",
           "£15 off is tempting, but do they deliver to my area?", 0, 1, 52000,
           em={P1: (1, "curious", ""),
               P2: (0, "neutral", "Has seen dozens of these ads.")},
           fb={"neg": ["Your ads follow me everywhere on Instagram but you don't even deliver to my postcode. Annoying.",
                       "The ad said £15 off, but the code needs a £60 basket. Sneaky."],
               "neu": ["Saw an ad on Facebook, that's how I heard about the app.",
                       "The social ad with the voucher got me to download it."],
               "pos": ["The ad made it look easy and it actually was.",
                       "Clicked an Instagram ad with £15 off the first shop. Good deal.",
                       "Great first-order deal in the ad, and the code worked."]}),
        tp("t2", "s1", "Finds the app in the app store", "app", "Digital",
           "Reads the ratings and reviews in the app store and downloads the app.",
           "4.6 stars, let's give it a go.", 1, 1, 30000,
           em={P1: (1, "satisfied", ""),
               P2: (1, "curious", ""),
               P3: (0, "neutral", "Her daughter downloads it for her.")},
           fb={"neg": ["The app store listing promises same-day delivery but it's never available in my area. Misleading.",
                       "Downloaded it and the app wanted my location and notifications before showing anything. Really annoying."],
               "neu": ["Downloaded from the app store after reading some reviews.",
                       "Found it in the app store, decent ratings."],
               "pos": ["Good ratings on the app store, and the reviews were right.",
                       "Easy download, and the first screen asks for your postcode straight away, which I liked."]}),
        tp("t3", "s1", "Receives a first-order voucher leaflet", "mail", "Marketing",
           "Finds a leaflet through the door with a £20 first-order voucher code.",
           "Might as well use this for the big shop this week.", 0, 1, 18000,
           em={P1: (1, "curious", ""),
               P2: (0, "neutral", ""),
               P3: (1, "curious", "Keeps the leaflet on the fridge.")},
           fb={"neg": ["The leaflet voucher code was rejected at checkout as expired.",
                       "The leaflet said free delivery but I was charged £4.50. Misleading."],
               "neu": ["Got a leaflet through the door with a voucher code.",
                       "Used the leaflet code for my first order."],
               "pos": ["The £20 leaflet voucher worked first time, a nice welcome.",
                       "The leaflet voucher made me try it, and I'm glad I did."]}),
        tp("t4", "s2", "Registers and checks postcode coverage", "app", "Digital",
           "Creates an account, enters the postcode and sees which delivery days are available.",
           "Please let my postcode be covered.", 0, 2, 40000, drop_off=0.15,
           em={P1: (0, "neutral", ""),
               P2: (1, "satisfied", "Signing in with his phone account takes seconds."),
               P3: (-1, "confused", "The password rules and verification code confuse her.")},
           fb={"neg": ["Spent ten minutes registering only to find out you don't deliver to my village. Waste of time.",
                       "The verification code email took half an hour to arrive. Annoying.",
                       "Annoying sign-up: the password rules kept changing between screens."],
               "neu": ["Registration was standard. Postcode covered.",
                       "Account set up, had to verify my email first."],
               "pos": ["Registration took a minute and it showed delivery slots for my postcode straight away.",
                       "Quick sign-up, and good to know my area was covered before I started shopping."]}),
        tp("t5", "s2", "Searches for products", "app", "Digital",
           "Types product names into search and filters by dietary needs and brand.",
           "Why does 'oat milk' show me cow's milk first?", -1, 3, 36000,
           em={P1: (-1, "frustrated", "The nut-free filter misses products."),
               P2: (-2, "frustrated", "The vegan filter returns dairy products."),
               P3: (-1, "confused", "Small text and endless scrolling on the tablet.")},
           fb={"slots": {"q": ["oat milk", "gluten-free bread", "free-range eggs", "nappies in size 4",
                               "tinned chickpeas", "vegan cheese"],
                         "wrong": ["cow's milk", "ordinary bread", "dog food", "yoghurt", "baby wipes"]},
               "neg": ["Searched for {q} and the first results were {wrong}. Search is hopeless.",
                       "Frustrating search: the store stocks {q} but the app shows zero results.",
                       "The vegan filter is useless, it still shows dairy products. I have to read every label.",
                       "Search is terrible with spelling mistakes; one typo and it returns nothing."],
               "neu": ["Search works if you type the exact product name.",
                       "Found most things in search, though {q} took a couple of tries.",
                       "Searched for {q} and scrolled past a few sponsored products to find it."],
               "pos": ["Search is great: typed {q} and it was the first result.",
                       "Love the dietary filters, found {q} straight away."]}),
        tp("t6", "s2", "Browses offers and recipe ideas", "web", "Marketing",
           "Browses the weekly offers and adds the ingredients from a recipe page to the basket.",
           "Good, dinner for three nights sorted.", 1, 2, 21000,
           em={P1: (1, "satisfied", "Uses the 'meals under £10' recipes."),
               P2: (1, "curious", ""),
               P3: (0, "neutral", "")},
           fb={"neg": ["Misleading offers page: the prices were different in the basket.",
                       "The recipe 'add all to basket' button added 2 kg of onions instead of 2 onions. Ridiculous."],
               "neu": ["Browsed the offers, the usual mix this week.",
                       "The recipe pages are okay, a bit cluttered."],
               "pos": ["The add-all-ingredients button on the recipes is genius. Saved me 20 minutes.",
                       "Really good offers this week, and easy to find them."]}),
        tp("t7", "s3", "Builds the basket", "app", "Digital",
           "Adds items, adjusts quantities and checks the running total against the £40 minimum.",
           "Another £6 to reach the minimum; what else do I need?", 1, 2, 31000, drop_off=0.22,
           em={P1: (1, "satisfied", "Reuses last week's basket."),
               P2: (-1, "frustrated", "His small baskets don't reach the £40 minimum."),
               P3: (0, "neutral", "")},
           fb={"slots": {"short": ["£4", "£6.50", "£9"]},
               "neg": ["A £40 minimum basket is too high for a top-up shop. I was {short} short and gave up, frustrated.",
                       "Items kept disappearing from my basket when I switched between phone and laptop. Annoying."],
               "neu": ["The basket works fine. I wish the running total was more visible.",
                       "Built the basket in about 15 minutes.",
                       "Added everything on my list, the basket came to about £85."],
               "pos": ["Love the 'add last week's shop' button, done in five minutes.",
                       "Love that the basket shows the price per kilo, easy to compare."]}),
        tp("t8", "s3", "Sets substitution preferences", "app", "Operations",
           "Chooses item by item whether substitutions are allowed and leaves notes for the picker.",
           "If they swap this, what will I actually get?", -1, 3, 24000,
           em={P1: (-1, "anxious", "Must block swaps on anything that could contain nuts."),
               P2: (-1, "confused", "Can't say 'plant-based only' once for the whole order."),
               P3: (-2, "confused", "Doesn't notice the toggle and gets swaps she didn't want.")},
           fb={"neg": ["The substitution settings are per item and I have 70 items. Annoying. Let me set one rule for the whole order.",
                       "There's no way to say 'only swap for a nut-free product'. With a child with allergies that's scary.",
                       "The substitution toggle is tiny and I didn't even see it. Poor design."],
               "neu": ["Turned substitutions off for a few items and left the rest.",
                       "Set substitutions for the milk and bread, let them choose for everything else.",
                       "The substitution options are there but a bit fiddly."],
               "pos": ["Being able to add a note to the picker for each item is great, and they actually read it.",
                       "Really helpful that I can switch off substitutions on specific items."]}),
        tp("t9", "s3", "Books a home delivery slot", "app", "Logistics",
           "Chooses a one-hour delivery slot and sees the delivery charge for that time.",
           "Every evening slot is gone until Friday again.", -1, 3, 19000, drop_off=0.1, mot=True,
           em={P1: (-2, "frustrated", "Evening slots sell out days in advance."),
               P2: (0, "neutral", "His delivery pass covers the fee and mornings work for him."),
               P3: (1, "satisfied", "Books the same Tuesday-morning slot every week.")},
           fb={"slots": {"fee": ["£6.50", "£7", "£5.50"],
                         "day": ["Friday", "Thursday", "next Monday", "the weekend"]},
               "neg": ["No evening slots until {day}. What's the point of online shopping if you can't get a slot?",
                       "Evening slots cost {fee} and they're all taken anyway. Ridiculous.",
                       "Booked a slot, went back to add items and the slot had been released. Infuriating."],
               "neu": ["Got a slot for {day}, not my first choice.",
                       "Took a daytime slot on {day} and worked from home that morning.",
                       "Slots are okay if you book a few days ahead."],
               "pos": ["Plenty of slots this week, and the one-hour window is really useful.",
                       "Love the green slots: cheaper, and I don't mind the time."]}),
        tp("t10", "s3", "Chooses click and collect", "web", "Operations",
           "Picks a collection store and a two-hour pick-up window instead of home delivery.",
           "Free, and I can grab it on the way home.", 0, 2, 5000,
           em={P1: (1, "satisfied", "Free, and it fits the school run."),
               P3: (-1, "anxious", "Can't lift the bags into the car herself.")},
           fb={"neg": ["Click and collect slots at my local store are only during working hours. Useless for anyone with a job.",
                       "Chose click and collect because there were no delivery slots, then the store changed my collection time."],
               "neu": ["Click and collect was the only option this week.",
                       "Went for click and collect to save the delivery charge.",
                       "Picked click and collect, it's free at least."],
               "pos": ["Click and collect is free and fits perfectly with the school pick-up.",
                       "The collection slot was easy to book and I saved the delivery fee."]}),
        tp("t11", "s3", "Pays and gets the order confirmation", "email", "Billing",
           "Pays by card, passes the bank's security check and gets an order confirmation email.",
           "Done, and I can still edit it until the night before.", 1, 1, 23000,
           em={P1: (1, "relieved", ""),
               P2: (1, "satisfied", "Pays with his phone in two taps."),
               P3: (-1, "anxious", "The bank's security code goes to her landline.")},
           fb={"neg": ["Payment failed twice on the bank security check and the slot was released.",
                       "I was charged a £20 pending amount on top of the order and nobody explained why. Worrying."],
               "neu": ["Paid by card and the confirmation email came through.",
                       "Checkout was standard, with a temporary hold on my card."],
               "pos": ["Paying with my phone was instant, and the confirmation email shows the edit cut-off clearly.",
                       "Paying was quick and I liked seeing exactly when I can still change the order."]}),
        tp("t12", "s4", "Edits the order before the cut-off", "app", "Digital",
           "Adds forgotten items to the order up to 11pm the night before delivery.",
           "Great, I can still add the birthday cake.", 1, 2, 8000,
           em={P1: (2, "relieved", "Adds forgotten lunchbox items at 10pm."),
               P2: (1, "satisfied", "")},
           fb={"neg": ["Tried to add items before the cut-off and the app said the order was already being picked. Annoying, it was only 9pm.",
                       "Editing the order reset all my substitution choices. Really frustrating."],
               "neu": ["Added a few things to my order the night before.",
                       "The edit function works, a bit slow."],
               "pos": ["Being able to add things right up until 11pm is brilliant for a forgetful family like us.",
                       "Edited my order three times and every change stuck. Easy."]}),
        tp("t13", "s4", "Gets the substitution text on delivery day", "sms", "Operations",
           "Reads the morning text listing substituted and unavailable items.",
           "Soy milk instead of oat milk? I'd rather have nothing.", -1, 1, 21000,
           em={P1: (-1, "frustrated", "Has to check every swap for nuts."),
               P2: (-2, "angry", "Dairy swapped in for plant-based products."),
               P3: (-1, "confused", "The text is hard to read and she doesn't know she can refuse swaps.")},
           fb={"slots": {"sub": ["substituted oat milk with soy without asking",
                                 "swapped my gluten-free bread for normal bread",
                                 "replaced six free-range eggs with twelve caged ones",
                                 "swapped size 4 nappies for size 6",
                                 "replaced vegan butter with dairy butter",
                                 "sent a 2-litre bottle instead of four small ones"]},
               "neg": ["They {sub}. Why even have a preferences setting? Useless.",
                       "Annoying: the substitution text arrived 20 minutes before the van, far too late to say no. They {sub}.",
                       "Sick of this. Every week it's something, and this time they {sub}."],
               "neu": ["Got the substitutions text, two items swapped, both okay.",
                       "The text said the pasta was swapped for a different brand, same size.",
                       "The text listed three unavailable items, which is about normal."],
               "pos": ["Substitutions this week were great, a bigger pack for the same price.",
                       "Good that the text arrives early enough to plan around a missing item."]}),
        tp("t14", "s4", "Tracks the driver live", "app", "Logistics",
           "Follows the van on the map and gets a notification when it is ten minutes away.",
           "Ten minutes away, just enough time to get home.", 1, 1, 15000,
           em={P1: (1, "satisfied", ""),
               P2: (2, "joyful", "Times his walk home to meet the van."),
               P3: (0, "neutral", "Doesn't use it; waits by the window.")},
           fb={"neg": ["Live tracking said five minutes away for 40 minutes. Useless.",
                       "The tracking map showed the van going the opposite way, and then the delivery was late. Frustrating."],
               "neu": ["Tracking was roughly accurate.",
                       "The tracking map was about five minutes out.",
                       "Got the ten-minute notification, and the driver arrived about 20 minutes later."],
               "pos": ["Live tracking is great, I knew exactly when to be home.",
                       "Great tracking, I could pop to the post office and still be back for the van.",
                       "Love the driver tracker, the ten-minute warning is spot on."]}),
        tp("t15", "s4", "Receives the groceries at the door", "partner", "Logistics",
           "Meets the driver, checks the bags and signs on the driver's handset.",
           "Friendly driver, and the frozen food is still frozen.", 1, 1, 18000, mot=True,
           em={P1: (1, "satisfied", ""),
               P2: (1, "satisfied", ""),
               P3: (2, "valued", "The driver carries the bags into her kitchen.")},
           fb={"slots": {"driver": ["carried everything into the kitchen",
                                    "waited while I checked the frozen items",
                                    "brought it all up three flights of stairs",
                                    "phoned ahead because our buzzer is broken"],
                         "late": ["45 minutes late", "an hour late", "outside the slot"]},
               "neg": ["The delivery arrived {late} with no message, and the ice cream had melted.",
                       "The driver left the bags at the bottom of the stairs and drove off. Rude.",
                       "Eggs smashed and bread squashed under tins. Careless packing."],
               "neu": ["The delivery was on time, bags left at the door.",
                       "The driver arrived within the slot, as expected."],
               "pos": ["The driver {driver}. Brilliant service.",
                       "On time to the minute, and the driver {driver}. Lovely man.",
                       "Everything arrived on time, cold items still cold and well packed."]}),
        tp("t16", "s4", "Collects the order at the store", "store", "Operations",
           "Parks in the collection bay, scans the QR code and waits for a colleague to bring out the crates.",
           "How long will I be sitting here?", 0, 2, 4500,
           em={P1: (1, "satisfied", ""),
               P3: (-1, "frustrated", "Has to load the heavy bags herself.")},
           fb={"slots": {"wait": ["20 minutes", "half an hour", "15 minutes"]},
               "neg": ["Waited {wait} in the collection bay with nobody answering the buzzer. Awful.",
                       "The click and collect desk was closed and my order was in the back with no staff around."],
               "neu": ["Collection was fine, I waited a few minutes.",
                       "Scanned the code and got my bags after about {wait}."],
               "pos": ["Collection took two minutes and the staff loaded the boot for me. Lovely.",
                       "Scanned the QR code and my shopping was brought out straight away."]}),
        tp("t17", "s4", "Spots missing or damaged items", "email", "Operations",
           "Checks the bags against the e-receipt and finds items that were charged but not delivered, or damaged.",
           "I've been charged for the chicken and it's not here. What's for dinner now?", -2, 3, 3200, mot=True,
           em={P1: (-2, "angry", "Discovers the missing item while cooking."),
               P2: (-1, "frustrated", ""),
               P3: (-2, "anxious", "Can't easily get to a shop to replace it.")},
           fb={"slots": {"item": ["the chicken for tonight's dinner", "two pints of milk", "the birthday cake",
                                  "a whole bag of frozen food", "the nappies", "the bottle of wine"]},
               "neg": ["Charged for {item} but it wasn't in the bags. Found out when I started cooking.",
                       "Unacceptable: the e-receipt lists {item} as delivered and it never arrived.",
                       "Third week in a row something is missing, this time {item}.",
                       "Half the fruit was mouldy and {item} was missing."],
               "neu": ["One item missing this week, {item}, otherwise fine.",
                       "Noticed {item} was missing when I checked the receipt."],
               "pos": ["Something was missing, but the driver spotted it and the refund was already on the receipt. Impressive.",
                       "The app flagged that {item} was out of stock and refunded me before the van even arrived. Excellent."]}),
        tp("t18", "s5", "Reports missing items in the app", "app", "Customer Care",
           "Uses 'report a problem' to select the missing or damaged items and upload a photo.",
           "Why do I need a photo of something that isn't there?", -1, 3, 2600,
           em={P1: (-1, "frustrated", ""),
               P2: (0, "neutral", "Takes him a minute in the app."),
               P3: (-2, "confused", "Can't find the option in the menus.")},
           fb={"neg": ["The app wants a photo of the missing item. How do I photograph something that isn't there?",
                       "Report a problem only works within 24 hours, and I only noticed on day two.",
                       "The form crashed twice after uploading photos. Useless."],
               "neu": ["Reported it in the app, it said it would be reviewed.",
                       "Logged it in the app, took a few minutes."],
               "pos": ["Reported it in the app and got an instant refund. Brilliant.",
                       "Two taps in the app and the eggs were refunded immediately. Easy.",
                       "Easy refund in the app for the missing yoghurts, money back the same day."]}),
        tp("t19", "s5", "Chats with support about a refund", "chat", "Customer Care",
           "Opens live chat when the refund in the app fails or is only partial.",
           "I just want my £12 back without an argument.", -1, 4, 1500,
           em={P1: (-1, "frustrated", ""),
               P2: (-1, "frustrated", "The chatbot loops back to the help articles.")},
           fb={"slots": {"amount": ["£12.40", "£8", "£23.75", "£4.60"]},
               "neg": ["The chatbot kept sending me the same useless article. Took 40 minutes to reach a person.",
                       "The chat agent refunded {amount} and then asked me to resubmit it in the app anyway. Ridiculous.",
                       "The chat closed on me halfway through and I had to start again. Infuriating."],
               "neu": ["Chat got there in the end, refund of {amount} processed.",
                       "The agent on chat was polite, it just took a while."],
               "pos": ["The chat agent was lovely, sorted my refund of {amount} in five minutes and added a voucher.",
                       "Quick and friendly chat, refund done before I'd finished my tea."]}),
        tp("t20", "s5", "Calls the customer helpline", "phone", "Customer Care",
           "Phones the helpline to report a problem or get help with an order.",
           "I'd rather talk to a person than fight with the app.", -1, 4, 900,
           em={P1: (-1, "frustrated", "Can't call during working hours."),
               P3: (1, "understood", "Long wait, but a patient agent helps her.")},
           fb={"slots": {"wait": ["35 minutes", "50 minutes", "over an hour", "25 minutes"]},
               "neg": ["Held for {wait} to report a missing item. The helpline is never answered quickly.",
                       "The helpline closes at 6pm, which is useless if you work.",
                       "Was cut off after {wait} on hold."],
               "neu": ["Called the helpline, waited {wait}, and the agent arranged the refund.",
                       "Phone support was fine once I got through."],
               "pos": ["The lady on the helpline was so patient and refunded everything straight away.",
                       "Called, got through quickly and it was all sorted in one call. Great."]}),
        tp("t21", "s5", "Receives the refund confirmation", "email", "Billing",
           "Gets an email confirming the refund amount, back on the card within three to five days.",
           "Good, at least the money is coming back.", 1, 1, 2800,
           em={P1: (1, "relieved", ""),
               P2: (1, "satisfied", ""),
               P3: (1, "relieved", "")},
           fb={"neg": ["The refund email said three to five days; it took two weeks. Poor.",
                       "The refund was for less than I paid because the offer price was deducted. Not fair."],
               "neu": ["The refund confirmation came by email. Waiting for it to show on my card.",
                       "Got the refund email. A standard message."],
               "pos": ["Refund confirmed within the hour and a £5 voucher as an apology. Nice touch.",
                       "The refund email was clear and the money was back on my card the next day."]}),
        tp("t22", "s6", "Gets a reorder reminder", "email", "Marketing",
           "Receives an email reminding them that their usual delivery day is coming up.",
           "Oh yes, I need to book this week's shop.", 0, 1, 16000, drop_off=0.2,
           em={P1: (1, "satisfied", "The reminder stops her forgetting."),
               P2: (-1, "frustrated", "Gets too many marketing emails."),
               P3: (0, "neutral", "")},
           fb={"neg": ["Three emails a week reminding me to reorder is too many. Annoying, so I unsubscribed.",
                       "The reminder email pushed items I'd bought once for a barbecue. Irrelevant and annoying."],
               "neu": ["The reminder email arrives on Sunday, sometimes useful.",
                       "Get a weekly reminder, don't really read it."],
               "pos": ["The Sunday reminder is actually handy and helpful.",
                       "The reminder email had my usual items ready to add. Very convenient."]}),
        tp("t23", "s6", "Reorders in one tap from favourites", "app", "Digital",
           "Opens favourites, taps 'add all' and checks out with the saved slot and card.",
           "The whole weekly shop in two minutes. Brilliant.", 2, 1, 12000,
           em={P1: (2, "joyful", "The weekly shop is done in two minutes."),
               P2: (2, "joyful", ""),
               P3: (1, "satisfied", "Same order every week, no fuss.")},
           fb={"slots": {"mins": ["two minutes", "three minutes", "under five minutes", "90 seconds"]},
               "neg": ["The favourites list keeps adding discontinued products and then substituting them. Annoying.",
                       "The reorder button added last month's shop instead of last week's. Confusing."],
               "neu": ["Reorder from favourites works, I still have to tweak it each week.",
                       "Used the reorder function, it saves some time."],
               "pos": ["Reordered the whole weekly shop in {mins}. Best feature of the app.",
                       "One-tap reorder is brilliant, my weekly shop is done in {mins}.",
                       "Absolutely love the favourites. Shopping done in {mins} while the kettle boils."]}),
        tp("t24", "s6", "Joins the delivery pass", "app", "Marketing",
           "Subscribes to the monthly delivery pass for unlimited deliveries on orders over £40.",
           "If I order every week it pays for itself.", 1, 2, 3500,
           em={P1: (1, "valued", ""),
               P2: (1, "valued", "Uses it for midweek top-ups."),
               P3: (0, "neutral", "Not sure it's worth it for one order a week.")},
           fb={"neg": ["The delivery pass renewed without warning and I couldn't cancel it in the app. Sneaky and annoying.",
                       "Paid for the delivery pass and was still charged for evening slots."],
               "neu": ["Signed up for the delivery pass, we'll see if it pays off.",
                       "The delivery pass is fine if you shop every week."],
               "pos": ["The delivery pass pays for itself in two orders. Great value.",
                       "Love the delivery pass: free delivery every time and priority slots."]}),
        tp("t25", "s6", "Posts a review or recommends the app", "social", "Marketing",
           "Rates the app, posts about a delivery on social media or shares a referral code.",
           "Worth telling people about, the good and the bad.", 0, 1, 2000,
           em={P1: (0, "neutral", ""),
               P2: (1, "satisfied", "Shares his referral code with friends.")},
           fb={"neg": ["Posting this so others know: missing items every week and refunds are a fight.",
                       "Would not recommend. Substitutions are a lottery."],
               "neu": ["Told a friend about the app, she's trying it this week.",
                       "A decent grocery app with some niggles."],
               "pos": ["Recommended the app to everyone at work, it's changed how we shop.",
                       "Shared my referral code with my sister and she loves it too."]}),
    ]
    return {
        "file": "grocery-online-order.json",
        "seed": 20261102,
        "feedback_rows": 214,
        "general_rows": 5,
        "map": {"name": "Online grocery order",
                "description": "How households discover the grocery app, build and book a weekly basket, receive the delivery, sort out missing items and decide whether to reorder.",
                "state": "current", "language": "en"},
        "personas": [
            persona(P1, "Time-poor family shopper",
                    "A parent of three who does one big weekly shop online, usually on the phone during the commute or after bedtime.",
                    "Get the full weekly shop delivered in one go, on time and for under £150, without losing Saturday to the supermarket.",
                    "Reliable evening slots, sensible substitutions that respect a child's nut allergy, and quick refunds for missing items.",
                    "Saving time and avoiding impulse buys with the children in tow.",
                    "Reuses last week's basket, shops in the app late at night, checks the substitution text on the doorstep and complains in the app.",
                    "Evening slots that sell out days ahead, unsuitable substitutions, and missing items discovered only when cooking.",
                    0.5),
            persona(P2, "Young urban professional",
                    "Lives in a city-centre flat with a partner, eats mostly plant-based, and orders small top-up baskets two or three times a week.",
                    "Order in a few minutes and get it delivered the same day or the next morning.",
                    "Fast search that understands plant-based products, a low minimum basket and accurate delivery tracking.",
                    "Convenience and less food waste; happy to pay for a delivery pass if it saves time.",
                    "Shops only in the app, uses saved favourites, tracks the driver live and leaves app store reviews.",
                    "Search results that ignore dietary filters, dairy substituted for plant milk, and the £40 minimum basket.",
                    0.3),
            persona(P3, "Older shopper with limited mobility",
                    "A 78-year-old who lives alone, cannot carry heavy bags and shops on a tablet that her daughter set up.",
                    "Get heavy and bulky items delivered to the kitchen and keep to a fixed weekly routine.",
                    "Large text, a phone number that a person answers, drivers who carry bags inside, and no surprises in the order.",
                    "Staying independent without relying on family for every shop.",
                    "Orders the same items every week, books the same Tuesday slot and calls the helpline rather than using chat.",
                    "Small print and fiddly buttons, substitutions she did not expect, and long waits on the helpline.",
                    0.15),
        ],
        "stages": ["Discovery", "Browse and search", "Basket and checkout", "Delivery",
                   "Help and refunds", "Reorder and loyalty"],
        "touchpoints": touchpoints,
        "pain_points": [
            {"key": "pp1", "touchpoint": "t5", "description": "Search ignores dietary filters and spelling mistakes; plant-based searches return dairy products first.", "severity": 3, "frequency": 5},
            {"key": "pp2", "touchpoint": "t7", "description": "The £40 minimum basket blocks small top-up orders, and customers abandon when they are a few pounds short.", "severity": 2, "frequency": 3},
            {"key": "pp3", "touchpoint": "t8", "description": "Substitution preferences can only be set item by item, with no order-wide rule such as 'plant-based only' or 'nut-free only'.", "severity": 4, "frequency": 4},
            {"key": "pp4", "touchpoint": "t9", "description": "Evening delivery slots sell out three to four days ahead, and a held slot is released if the basket is edited before payment.", "severity": 4, "frequency": 4},
            {"key": "pp5", "touchpoint": "t13", "description": "Substitutions ignore dietary needs, and the text arrives too late to refuse them before the van leaves.", "severity": 5, "frequency": 3},
            {"key": "pp6", "touchpoint": "t17", "description": "Missing items are charged on the e-receipt and only discovered when unpacking or cooking.", "severity": 5, "frequency": 3},
            {"key": "pp7", "touchpoint": "t18", "description": "Reporting a problem requires a photo even for missing items and only works within 24 hours of delivery.", "severity": 3, "frequency": 2},
            {"key": "pp8", "touchpoint": "t20", "description": "The helpline closes at 6pm and waits exceed 30 minutes at peak times.", "severity": 3, "frequency": 2},
            {"key": "pp9", "touchpoint": "t15", "description": "Fragile items are packed under tins, so eggs and bread arrive damaged.", "severity": 2, "frequency": 1},
        ],
        "opportunities": [
            {"key": "o1", "touchpoint": "t8", "pain_point": "pp3", "title": "Order-wide substitution rules such as plant-based only, nut-free only and never swap brand", "customer_value": 85, "business_value": 55, "effort": 3, "status": "planned"},
            {"key": "o2", "touchpoint": "t13", "pain_point": "pp5", "title": "Send the substitution list at picking time with one-tap reject before the van leaves", "customer_value": 80, "business_value": 50, "effort": 3, "status": "in progress"},
            {"key": "o3", "touchpoint": "t17", "pain_point": "pp6", "title": "Driver checklist that flags missing items at the door and refunds them instantly", "customer_value": 85, "business_value": 60, "effort": 3, "status": "idea"},
            {"key": "o4", "touchpoint": "t18", "pain_point": "pp7", "title": "Drop the photo requirement for missing items and allow reports for 48 hours", "customer_value": 70, "business_value": 30, "effort": 1, "status": "done", "_improved_after": "2026-06-01"},
            {"key": "o5", "touchpoint": "t5", "pain_point": "pp1", "title": "Typo-tolerant search with dietary filters applied to every result", "customer_value": 75, "business_value": 70, "effort": 4, "status": "in progress"},
            {"key": "o6", "touchpoint": "t9", "pain_point": "pp4", "title": "Hold the chosen delivery slot for two hours while the basket is edited", "customer_value": 60, "business_value": 45, "effort": 2, "status": "done", "_improved_after": "2026-05-01"},
            {"key": "o7", "touchpoint": "t23", "pain_point": None, "title": "Smart weekly basket that predicts the usual shop", "customer_value": 55, "business_value": 75, "effort": 4, "status": "idea"},
            {"key": "o8", "touchpoint": "t7", "pain_point": "pp2", "title": "Lower minimum basket for delivery pass members", "customer_value": 50, "business_value": 40, "effort": 1, "status": "idea"},
            {"key": "o9", "touchpoint": "t20", "pain_point": "pp8", "title": "Callback option and evening opening hours on the helpline", "customer_value": 55, "business_value": 30, "effort": 3, "status": "planned"},
        ],
        "transitions": [
            ("t1", "t4", 0.8), ("t1", "t6", 0.2),
            ("t2", "t4", 1.0),
            ("t3", "t4", 0.7), ("t3", "t6", 0.3),
            ("t4", "t5", 0.7), ("t4", "t6", 0.3),
            ("t5", "t7", 1.0),
            ("t6", "t7", 0.8), ("t6", "t5", 0.2),
            ("t7", "t8", 1.0),
            ("t8", "t9", 0.8), ("t8", "t10", 0.2),
            ("t9", "t11", 1.0),
            ("t10", "t11", 1.0),
            ("t11", "t12", 0.3), ("t11", "t13", 0.7),
            ("t12", "t13", 1.0),
            ("t13", "t14", 0.6), ("t13", "t15", 0.2), ("t13", "t16", 0.2),
            ("t14", "t15", 1.0),
            ("t15", "t22", 0.85), ("t15", "t17", 0.15),
            ("t16", "t22", 0.85), ("t16", "t17", 0.15),
            ("t17", "t18", 0.6), ("t17", "t19", 0.25), ("t17", "t20", 0.15),
            ("t18", "t21", 0.75), ("t18", "t19", 0.25),
            ("t19", "t21", 0.7), ("t19", "t18", 0.2), ("t19", "t20", 0.1),
            ("t20", "t21", 1.0),
            ("t21", "t22", 0.8), ("t21", "t25", 0.2),
            ("t22", "t23", 0.6), ("t22", "t24", 0.25), ("t22", "t25", 0.15),
            ("t24", "t23", 1.0),
        ],
        "contexts": ["We do one big shop a week for a family of five.",
                     "I only shop plant-based.",
                     "I'm 78 and rely on home delivery now.",
                     "Been ordering every week since the spring.",
                     "Our youngest has a nut allergy, so I check everything.",
                     "I also shop for my elderly neighbour.",
                     "We live in a fourth-floor flat."],
        "closers": {"neg": [" Back to the supermarket for me.", " One star."],
                    "neu": [" Fine for now."],
                    "pos": [" Saves me hours every week.", " Five stars."]},
        "general": {"neg": ["I used to love this service, but missing items and bad substitutions have become a weekly thing.",
                            "Online shopping costs me more than going to the store once you add the fees. Disappointing."],
                    "neu": ["A decent service overall, saves me a trip.",
                            "Some weeks great, some weeks not."],
                    "pos": ["Brilliant service overall, I haven't been to a supermarket in months.",
                            "Reliable, friendly drivers, and the app keeps getting better."]},
    }


# =========================================================================== map 3


def bank():
    P1, P2, P3 = "p1", "p2", "p3"
    touchpoints = [
        tp("t1", "s1", "Sees the switching bonus ad on TV", "tv", "Marketing",
           "Sees an ad offering £175 for switching a current account.",
           "£175 to switch? What's the catch?", 0, 1, 45000,
           em={P1: (1, "curious", ""),
               P2: (0, "neutral", ""),
               P3: (0, "curious", "Sceptical of bank ads, but the branch network matters to her.")},
           fb={"neg": ["The TV ad says £175 for switching but doesn't mention you need to pay in £1,500 and set up two direct debits.",
                       "Misleading advert. The conditions for the switching payment are buried in the small print."],
               "neu": ["Saw the switching offer on TV.",
                       "The ad got me to look at your accounts, nothing more."],
               "pos": ["The TV ad was clear about the switching bonus and the app. That's why I looked.",
                       "Great advert, clear about what you get for switching.",
                       "Good advert, it made banking look easy for once."]}),
        tp("t2", "s1", "Reads comparison site reviews", "partner", "Marketing",
           "Compares current accounts on a comparison site and reads the customer ratings.",
           "Good ratings for the app, that's what matters.", 1, 1, 20000,
           em={P1: (1, "satisfied", ""),
               P2: (1, "curious", "Checks whether newcomers without a credit history are accepted."),
               P3: (1, "trusting", "")},
           fb={"neg": ["The comparison site claims newcomers can open an account here without proof of address. Misleading and wrong.",
                       "Confusing and annoying: the comparison site quoted a different rate from your own website."],
               "neu": ["Found you on a comparison site, the ratings were decent.",
                       "Saw you listed on a comparison site between two other banks.",
                       "The comparison site put you in the top five."],
               "pos": ["Top-rated app on the comparison site, and it really is excellent.",
                       "The comparison site reviews were spot on about the app being easy."]}),
        tp("t3", "s1", "Sees recommendations on social media", "social", "Marketing",
           "Watches short videos of people showing the app's savings pots and spending insights.",
           "Everyone on my feed seems to use this bank.", 1, 1, 15000,
           em={P1: (2, "curious", "Friends post screenshots of their savings pots."),
               P2: (0, "neutral", "")},
           fb={"neg": ["Your influencer videos never show the three days it takes to get verified. Misleading.",
                       "Asked a question on your social page and got no reply."],
               "neu": ["Saw a few videos about the app on TikTok.",
                       "Heard about it on social media."],
               "pos": ["Saw friends posting their savings pots and had to try it.",
                       "Your social team answered my question about the switching bonus in minutes."]}),
        tp("t4", "s2", "Compares account features on the website", "web", "Digital",
           "Reads about fees, overdrafts, savings pots and the documents needed to apply.",
           "Which documents do I need, and can I do it all online?", 1, 2, 30000, drop_off=0.15,
           em={P1: (1, "satisfied", ""),
               P2: (-1, "confused", "The document list doesn't mention foreign passports or tenancy agreements."),
               P3: (1, "trusting", "Likes the branch finder.")},
           fb={"neg": ["The website doesn't say which foreign documents you accept as proof of address. Frustrating for newcomers.",
                       "The fees page is confusing; I still don't know what the overdraft costs."],
               "neu": ["The website was fine, the usual account information.",
                       "Read the account details online, a lot of small print.",
                       "Looked through the account pages and the fees table before applying."],
               "pos": ["The website had a clear checklist of documents before I started, really useful.",
                       "Loved the side-by-side comparison of your accounts. Clear and honest.",
                       "Great website, it explained the overdraft fees in plain English."]}),
        tp("t5", "s2", "Asks questions in web chat", "chat", "Sales",
           "Asks the chat assistant about eligibility, documents and the switching bonus.",
           "Can I even apply without a utility bill?", 0, 2, 4000,
           em={P1: (0, "neutral", ""),
               P2: (-1, "frustrated", "The bot only links to FAQs and an agent takes 20 minutes.")},
           fb={"slots": {"q": ["proof of address", "the switching offer conditions",
                               "whether a residence permit counts as ID", "joint accounts"]},
               "neg": ["Asked the chatbot about {q} three different ways and got the same FAQ link. Useless.",
                       "A waste of time: I waited 25 minutes in chat for a person to tell me they couldn't advise on {q}."],
               "neu": ["Chat answered my question about {q} eventually.",
                       "Chat was okay, a bit robotic."],
               "pos": ["The chat agent explained {q} clearly and sent me the exact list. Great help.",
                       "Quick, helpful, human answer on chat about {q}."]}),
        tp("t6", "s2", "Books a branch appointment", "store", "Branch Network",
           "Books a 45-minute account-opening appointment at the nearest branch.",
           "I'd rather sit down with someone and do it properly.", 1, 2, 3000,
           em={P2: (0, "neutral", "The first available appointment is ten days away."),
               P3: (2, "trusting", "She can talk to a person.")},
           fb={"neg": ["The earliest branch appointment was two weeks away. Disappointing.",
                       "Booked an appointment online and the branch had no record of it."],
               "neu": ["Booked a branch appointment, a ten-day wait.",
                       "Booking the appointment was straightforward."],
               "pos": ["Easy to book a branch appointment, and they sent a reminder of what to bring.",
                       "Lovely to still be able to book a face-to-face appointment."]}),
        tp("t7", "s3", "Starts the application in the app", "app", "Digital",
           "Downloads the app and enters name, date of birth, address history and employment details.",
           "So far so good, only a few screens.", 1, 2, 21000, drop_off=0.2,
           em={P1: (2, "joyful", "Smooth and fast."),
               P2: (-1, "anxious", "It asks for three years of address history; he has lived here three weeks."),
               P3: (-1, "anxious", "Small screen and unfamiliar terms.")},
           fb={"neg": ["The app asks for three years of UK address history. I arrived last month, so I got stuck.",
                       "The app logged me out halfway and I had to start again. Annoying."],
               "neu": ["The application form was about ten screens. Fine.",
                       "Filled in the application on my phone, took a while."],
               "pos": ["Started the application on the bus and finished it in ten minutes. Slick and easy.",
                       "Great application flow, it even filled in my address from the postcode.",
                       "The application is really well designed, with clear questions and a progress bar."]}),
        tp("t8", "s3", "Opens the account in a branch", "store", "Branch Network",
           "Brings a passport and proof of address to the branch, where an adviser completes the application.",
           "Good, someone is checking it all with me.", 1, 3, 2500,
           em={P2: (1, "relieved", "The adviser accepts his employment contract as proof of address."),
               P3: (2, "trusting", "The adviser sets up the app with her.")},
           fb={"neg": ["The branch appointment ran 40 minutes late and then their system went down. Frustrating.",
                       "The adviser wasn't sure whether my residence permit counted as ID."],
               "neu": ["Opened the account in branch. Took about an hour.",
                       "The branch visit was fine, lots of forms."],
               "pos": ["The branch adviser was brilliant and set up the account and the app with me.",
                       "Opening in branch took 30 minutes and I left with my account number."]}),
        tp("t9", "s3", "Goes through the automated identity check", "app", "Compliance",
           "Waits while the bank checks their identity against credit reference and fraud databases.",
           "What are they checking, and what happens if it fails?", -1, 2, 22000,
           em={P1: (0, "neutral", "Passes instantly."),
               P2: (-2, "anxious", "He has no credit file, so the check fails."),
               P3: (-1, "anxious", "Worried about her credit score.")},
           fb={"neg": ["The automated check failed with 'we could not verify your identity' and nothing else.",
                       "Stressful. The check failed and asked for documents I had already given in the form.",
                       "No explanation of why my identity check failed. I have a passport and a job.",
                       "The check failed and the app just told me to try again later. Later when?"],
               "neu": ["The identity check took a couple of minutes.",
                       "The check asked me to confirm my previous address, then moved on.",
                       "It said it was checking my details, then asked for documents."],
               "pos": ["The identity check was instant, approved in under a minute.",
                       "Passed the checks straight away, didn't need to upload anything."]}),
        tp("t10", "s3", "Uploads ID and proof of address", "app", "Compliance",
           "Photographs a passport or driving licence and uploads a recent bill or bank statement.",
           "Why does it keep saying the photo is blurry?", -1, 4, 12000, drop_off=0.12,
           em={P1: (-1, "frustrated", "Photo rejected for glare three times."),
               P2: (-2, "frustrated", "He has no utility bill yet and his tenancy agreement is not accepted."),
               P3: (-1, "confused", "Struggles to photograph documents with her phone.")},
           fb={"slots": {"n": ["three", "four", "five"],
                         "doc": ["my tenancy agreement", "a council tax letter", "my employment contract",
                                 "a bank statement from home"]},
               "neg": ["The app rejected my passport photo {n} times for glare. I was standing by a window.",
                       "The upload refused {doc} as proof of address and doesn't say what else I can use. Hopeless.",
                       "The document upload kept timing out on the last step. Infuriating."],
               "neu": ["Uploaded my passport and a bank statement, took a couple of tries.",
                       "Uploaded my residence permit and payslip, it said they would be reviewed.",
                       "The document upload worked, the camera guide helps a bit."],
               "pos": ["The camera guide made the upload easy, passport accepted first time.",
                       "Uploaded my driving licence and a bill in two minutes, no problems."]}),
        tp("t11", "s3", "Has a video call to verify identity", "video", "Compliance",
           "Joins a video call queue, holds the passport up to the camera and answers security questions.",
           "Forty minutes in the queue and now the call has dropped.", -2, 5, 7000, drop_off=0.1, mot=True,
           em={P1: (-2, "angry", "A 40-minute queue, then the call dropped."),
               P2: (-2, "anxious", "His salary is due next week and the manual review is still pending."),
               P3: (-1, "anxious", "Unsure how to hold the passport to the camera, but the agent is patient.")},
           fb={"slots": {"wait": ["40 minutes", "over an hour", "55 minutes", "35 minutes"],
                         "days": ["five working days", "a week", "four days"]},
               "neg": ["Waited {wait} for the video call and it dropped just as the agent answered. Furious.",
                       "After the video call I was told it needs a further manual review of {days}. No updates since.",
                       "Video verification only runs 9 to 5 on weekdays, so I had to do it from a meeting room at work. Ridiculous."],
               "neu": ["The video call took about ten minutes once I got through.",
                       "Did the video verification, the agent asked a few security questions.",
                       "The video check was at 4pm, the agent looked at my passport and asked my date of birth."],
               "pos": ["The video call agent was patient and friendly, and verified me in five minutes.",
                       "Video verification was quick and easy, approved on the call."]}),
        tp("t12", "s3", "Receives the account approval", "email", "Operations",
           "Gets an email and a push notification with the account number and sort code.",
           "Finally, I can give my employer my bank details.", 1, 1, 17000,
           em={P1: (1, "relieved", ""),
               P2: (2, "relieved", "He can give his employer his bank details before payday."),
               P3: (1, "satisfied", "")},
           fb={"neg": ["The approval email came through but the app still showed 'pending' for two days. Confusing.",
                       "Worrying: the confirmation email named a different account type from the one I applied for."],
               "neu": ["Got the approval email with my account details.",
                       "The approval email came through in the afternoon with my sort code.",
                       "Account approved, email and notification at the same time."],
               "pos": ["Account approved and sort code in my inbox the same day. Great.",
                       "Happy to get my account details within a couple of hours of applying.",
                       "Such a relief to get the approval email, everything clearly laid out."]}),
        tp("t13", "s4", "Receives the debit card by post", "mail", "Operations",
           "Receives the debit card, with the PIN reminder in a separate letter.",
           "The card is here, but where's the PIN?", 0, 1, 15000,
           em={P1: (0, "neutral", "Already using the virtual card."),
               P2: (-1, "anxious", "The card went to his temporary address."),
               P3: (1, "satisfied", "Prefers a physical card.")},
           fb={"slots": {"days": ["five days", "a week", "ten days", "two weeks"]},
               "neg": ["The card took {days} to arrive and the PIN letter came a week after that. Slow and annoying.",
                       "The card came in an envelope that obviously held a bank card. Not great for security."],
               "neu": ["The card arrived after {days}.",
                       "The debit card came in the post, standard letter."],
               "pos": ["The card arrived in three days, well packaged with clear instructions.",
                       "Really nice card, and it arrived quickly.",
                       "Good, the card came with a simple leaflet on activating it in the app."]}),
        tp("t14", "s4", "Activates the card and sets a PIN", "app", "Digital",
           "Taps the card on the phone to activate it and views the PIN in the app.",
           "Oh, I can see the PIN in the app. Handy.", 1, 2, 15000,
           em={P1: (1, "satisfied", ""),
               P2: (1, "satisfied", ""),
               P3: (-1, "confused", "Expected to activate it at a cash machine.")},
           fb={"neg": ["Tapping the card to activate it didn't work on my phone, so I had to call. Annoying.",
                       "Confusing: the PIN wouldn't display until I updated the app, and nothing said so."],
               "neu": ["Activated the card in the app, took a couple of goes.",
                       "Card activation was fine."],
               "pos": ["Activated it by tapping the card on my phone, done in ten seconds. Clever.",
                       "Easy activation in the app, and I love seeing the PIN there.",
                       "Seeing the PIN in the app is so much better than waiting for a letter."]}),
        tp("t15", "s4", "Adds the card to the mobile wallet", "app", "Digital",
           "Adds the virtual card to the phone wallet and pays for a coffee the same day.",
           "Paid with my phone an hour after opening the account. Amazing.", 2, 1, 12000,
           em={P1: (2, "joyful", ""),
               P2: (2, "relieved", "He can buy groceries before the plastic card arrives."),
               P3: (0, "neutral", "Not interested in paying by phone.")},
           fb={"neg": ["Adding the card to Google Pay failed with a generic error.",
                       "Apple Pay needed a verification code that never arrived."],
               "neu": ["Added the card to my phone wallet, works fine.",
                       "The virtual card is useful until the real one comes."],
               "pos": ["Opened the account and was paying with my phone an hour later. Amazing.",
                       "Added to Apple Pay in one tap from the app. Brilliant.",
                       "Love that the virtual card was in Google Pay before the plastic card arrived.",
                       "Brilliant that I could pay for my shopping with my phone on day one."]}),
        tp("t16", "s4", "Makes the first transfer", "app", "Operations",
           "Adds a new payee, sees the name-check result and sends the first payment.",
           "Why does it say the name doesn't match my landlord's account?", -1, 3, 14000, mot=True,
           em={P1: (0, "neutral", "Sends money to a friend without issues."),
               P2: (-2, "anxious", "His rent payment is held for 24 hours by the new-account limit."),
               P3: (-1, "anxious", "The name-check warning scares her.")},
           fb={"slots": {"amt": ["£950", "£1,200", "£500", "£2,000"]},
               "neg": ["My first transfer of {amt} for rent was held for 24 hours because the account is new. Nobody told me about the limit. Stressful.",
                       "The name check said 'no match' for my landlord's account and scared me off paying.",
                       "A £1,000 limit for new payees that nobody warned me about meant I couldn't pay my deposit. Awful."],
               "neu": ["The first transfer went through after a name check.",
                       "Paid my flatmate {amt} for bills, it arrived about an hour later.",
                       "Sent {amt}, it arrived a bit later than I expected."],
               "pos": ["My first transfer of {amt} arrived instantly. Easy.",
                       "The name check confirmed the payee, really reassuring."]}),
        tp("t17", "s4", "Switches the salary and direct debits", "web", "Operations",
           "Starts the seven-day switching service, which moves direct debits and closes the old account.",
           "I hope none of my bills bounce.", 0, 2, 9000,
           em={P1: (1, "satisfied", ""),
               P3: (-1, "anxious", "Worried that a direct debit will be missed.")},
           fb={"neg": ["The switch missed my council tax direct debit and I got a reminder letter. Stressful.",
                       "The switch was supposed to take seven days and took twelve. Disappointing."],
               "neu": ["The switch completed in seven days as promised.",
                       "The switching service moved everything, one standing order had to be set up again."],
               "pos": ["The switch was seamless and easy: every direct debit moved across.",
                       "Brilliant switching process, I didn't have to do anything.",
                       "Great switching service, they even moved my standing order to the gym."]}),
        tp("t18", "s5", "Gets a fraud-check text about a payment", "sms", "Fraud Prevention",
           "Receives a text asking them to confirm a payment that was blocked as suspicious.",
           "Is this text even genuine, or is it a scam?", -1, 2, 2500,
           em={P1: (0, "neutral", "Confirms it in the app in seconds."),
               P2: (-1, "frustrated", "His rent payment is blocked twice."),
               P3: (-2, "anxious", "Worried the text is itself a scam.")},
           fb={"neg": ["My card was declined at the supermarket till and the fraud text arrived ten minutes later.",
                       "The fraud text looked exactly like a scam. I didn't know whether to reply.",
                       "You blocked my rent payment twice, even after I confirmed it."],
               "neu": ["Got a text asking me to confirm a payment, replied yes, and it went through.",
                       "The security text came through and I confirmed it in the app."],
               "pos": ["The security team texted straight away when something looked odd. Very reassuring and professional.",
                       "Glad the bank checks unusual payments, confirmed in one tap."]}),
        tp("t19", "s5", "Calls the support line", "phone", "Customer Care",
           "Calls the helpline, passes security and explains the issue to an agent.",
           "Please let me get through to someone who can actually unblock this.", -1, 4, 3200, mot=True,
           em={P1: (-1, "frustrated", "Hates phoning, and there is no callback option."),
               P2: (-1, "frustrated", ""),
               P3: (1, "understood", "The agent is patient and explains the fraud block.")},
           fb={"slots": {"wait": ["45 minutes", "30 minutes", "over an hour", "25 minutes"]},
               "neg": ["Useless: I waited {wait} on hold to unblock my card and the agent couldn't do it.",
                       "Failed the security questions because I'd only had the account a week. Infuriating.",
                       "Got passed between three departments about one blocked payment."],
               "neu": ["Called support, took {wait} to get through, sorted in the end.",
                       "The phone agent was polite, but it needed a callback."],
               "pos": ["The agent on the phone was brilliant, unblocked my payment and explained why it happened.",
                       "Called and got through in two minutes. Fixed in one call. Excellent."]}),
        tp("t20", "s5", "Chats with the in-app assistant", "chat", "Customer Care",
           "Asks the in-app assistant for help before being handed to a human agent.",
           "I'm going round in circles with this bot.", -1, 3, 2800,
           em={P1: (-1, "frustrated", ""),
               P2: (-1, "confused", "")},
           fb={"neg": ["The in-app bot doesn't understand anything that isn't an FAQ. Typed 'agent' ten times. Useless.",
                       "The chat said an agent would reply within two hours. It was two days. Poor."],
               "neu": ["The chat assistant passed me to a person after a few questions.",
                       "In-app chat got there in the end."],
               "pos": ["In-app chat is great, a real person answered in minutes and fixed it.",
                       "The chat agent sorted my change of address in five minutes. Great."]}),
        tp("t21", "s5", "Visits a branch for help", "store", "Branch Network",
           "Goes to the branch to resolve an issue face to face.",
           "Someone can look at it with me and sort it out.", 1, 3, 600,
           em={P2: (1, "understood", ""),
               P3: (2, "trusting", "")},
           fb={"neg": ["Went to the branch and they told me to call the helpline. A wasted trip.",
                       "The branch is only open three days a week and the queue was out of the door. Awful."],
               "neu": ["The branch staff helped, I had to wait a bit.",
                       "Went into the branch and they raised a ticket."],
               "pos": ["The branch staff sorted everything in ten minutes. Worth the trip.",
                       "So reassuring to speak to someone face to face."]}),
        tp("t22", "s6", "Receives the switching bonus", "email", "Marketing",
           "Gets an email confirming that the £175 switching bonus has been paid.",
           "Great, that's the holiday fund sorted.", 1, 1, 8000,
           em={P1: (2, "valued", ""),
               P3: (1, "valued", "")},
           fb={"neg": ["The bonus wasn't paid because one direct debit was set up a day late. Nobody warned me. Unfair.",
                       "Still waiting for the £175 switching payment 60 days later. Very disappointing."],
               "neu": ["The switching bonus arrived after about a month.",
                       "Got the bonus, as advertised."],
               "pos": ["The £175 switching bonus was paid on time, exactly as promised.",
                       "The bonus landed in my account early, very happy."]}),
        tp("t23", "s6", "Gets a savings account offer", "email", "Sales",
           "Receives an offer to open an easy-access savings account linked to the current account.",
           "Is the rate actually competitive, or just for new customers?", 0, 2, 6000,
           em={P1: (0, "curious", ""),
               P2: (0, "neutral", ""),
               P3: (1, "satisfied", "A fair rate for her savings.")},
           fb={"neg": ["The savings offer email quoted a lower rate than your own website.",
                       "I'm getting marketing emails every week now. Too many, and annoying."],
               "neu": ["Got the savings offer, I'll compare the rate.",
                       "A savings offer email with a reasonable rate."],
               "pos": ["Opened a savings pot from the email in one tap. Good rate too.",
                       "The savings offer came at the right time, and the rate is good."]}),
        tp("t24", "s6", "Recommends the bank to a friend", "social", "Marketing",
           "Shares a referral link with friends or posts about the app on social media.",
           "My friends keep asking which bank app I use.", 1, 1, 5000,
           em={P1: (2, "valued", "Earns £50 for each friend who joins."),
               P2: (1, "satisfied", "Recommends it on an expat forum."),
               P3: (1, "trusting", "Recommends it to her sister.")},
           fb={"neg": ["Recommended a friend and she got stuck at the same video check I did. Embarrassing and frustrating.",
                       "Disappointing: the referral payment never arrived."],
               "neu": ["Shared my referral link with a couple of friends.",
                       "I would recommend it, with reservations about the sign-up."],
               "pos": ["Recommended the app to all my friends, the best bank I've had.",
                       "Told my sister to switch: the app is brilliant and support has been great."]}),
    ]
    return {
        "file": "bank-account-opening.json",
        "seed": 20261103,
        "feedback_rows": 224,
        "general_rows": 6,
        "map": {"name": "Opening a bank account",
                "description": "How people choose a current account, open it in the app or a branch, prove who they are, get their card working and decide whether to recommend the bank.",
                "state": "current", "language": "en"},
        "personas": [
            persona(P1, "Digital-first graduate",
                    "A 23-year-old starting her first full-time job, who wants an account she can open and run entirely on her phone.",
                    "Open an account in under ten minutes, get her first salary paid in and pay by phone before the physical card arrives.",
                    "A fully digital application, an instant virtual card, spending notifications and savings pots.",
                    "The switching bonus, a slicker app than her student bank, and budgeting tools.",
                    "Compares banks on social media and comparison sites, applies on her phone in one sitting, and abandons anything that sends her to a branch.",
                    "Selfie and document checks that fail for no clear reason, waiting days for a manual review, and bots that can't answer real questions.",
                    0.4),
            persona(P2, "Newcomer to the country",
                    "A software engineer who relocated for a new job three weeks ago, with a foreign passport and no local credit history.",
                    "Open an account quickly so his employer can pay his salary and he can pay the rent.",
                    "A clear list of accepted documents, alternatives to a utility bill as proof of address, and help in plain English.",
                    "Getting paid on time and settling into the new country.",
                    "Reads the bank's FAQs carefully, uses chat, books a video call when the app asks, and follows expat forums.",
                    "Proof-of-address rules he cannot meet yet, rejected foreign documents, and long manual reviews with no status updates.",
                    0.25),
            persona(P3, "Cautious pre-retiree switching banks",
                    "A 61-year-old moving her current account after her local branch closed, with pension payments and a dozen direct debits.",
                    "Move everything across without missing a bill, and keep a bank she can walk into.",
                    "A guided switch, a branch or phone contact, reassurance about fraud protection, and large-print letters.",
                    "Her old bank closing its branch, and a fair interest rate on her savings.",
                    "Reads comparison sites, books a branch appointment, calls when unsure and keeps paper records.",
                    "Video verification on a phone, fraud blocks on genuine payments, and worry that direct debits will be missed.",
                    0.2),
        ],
        "stages": ["Awareness", "Comparison", "Account opening", "Activation and first use", "Support",
                   "Advocacy"],
        "touchpoints": touchpoints,
        "pain_points": [
            {"key": "pp1", "touchpoint": "t4", "description": "The document requirements on the website don't cover foreign passports, residence permits or alternatives to a utility bill.", "severity": 3, "frequency": 3},
            {"key": "pp2", "touchpoint": "t7", "description": "The application demands three years of UK address history, which newcomers cannot give, and offers no other route.", "severity": 4, "frequency": 2},
            {"key": "pp3", "touchpoint": "t9", "description": "A failed automated check shows a generic error with no reason and no next step.", "severity": 4, "frequency": 3},
            {"key": "pp4", "touchpoint": "t10", "description": "Document photos are rejected for glare or blur, and tenancy agreements and employment contracts are not accepted as proof of address.", "severity": 4, "frequency": 4},
            {"key": "pp5", "touchpoint": "t11", "description": "Video verification queues average 40 minutes, run only on weekdays from 9 to 5, and a dropped call sends the customer back to the end of the queue.", "severity": 5, "frequency": 4},
            {"key": "pp6", "touchpoint": "t11", "description": "Cases referred for manual review wait up to five working days with no status updates.", "severity": 5, "frequency": 2},
            {"key": "pp7", "touchpoint": "t16", "description": "New accounts have an undisclosed £1,000 limit on payments to new payees in the first week, so rent and deposits are held.", "severity": 4, "frequency": 3},
            {"key": "pp8", "touchpoint": "t18", "description": "Fraud-check texts arrive after the card has been declined and look like scam messages.", "severity": 3, "frequency": 3},
            {"key": "pp9", "touchpoint": "t19", "description": "New customers fail telephone security questions that rely on account history they don't have yet.", "severity": 2, "frequency": 2},
            {"key": "pp10", "touchpoint": "t20", "description": "The in-app assistant only hands over to a person after repeated attempts.", "severity": 3, "frequency": 5},
        ],
        "opportunities": [
            {"key": "o1", "touchpoint": "t11", "pain_point": "pp5", "title": "Bookable video verification slots, including evenings and Saturdays, instead of a queue", "customer_value": 85, "business_value": 60, "effort": 3, "status": "planned"},
            {"key": "o2", "touchpoint": "t10", "pain_point": "pp4", "title": "Real-time glare and blur detection in the document camera", "customer_value": 70, "business_value": 65, "effort": 3, "status": "done", "_improved_after": "2026-05-20"},
            {"key": "o3", "touchpoint": "t11", "pain_point": "pp6", "title": "Status tracker and text updates during a manual review", "customer_value": 75, "business_value": 50, "effort": 2, "status": "in progress"},
            {"key": "o4", "touchpoint": "t16", "pain_point": "pp7", "title": "Show the new-account payment limit before the first transfer, with a one-off increase request", "customer_value": 80, "business_value": 45, "effort": 2, "status": "idea"},
            {"key": "o5", "touchpoint": "t4", "pain_point": "pp1", "title": "Document checker for newcomers listing accepted alternatives to a utility bill", "customer_value": 65, "business_value": 55, "effort": 1, "status": "done", "_improved_after": "2026-04-10"},
            {"key": "o6", "touchpoint": "t18", "pain_point": "pp8", "title": "Confirm suspicious payments in the app before declining them, instead of by text afterwards", "customer_value": 70, "business_value": 70, "effort": 4, "status": "idea"},
            {"key": "o7", "touchpoint": "t20", "pain_point": "pp10", "title": "An always-visible 'talk to a person' button in the in-app assistant", "customer_value": 60, "business_value": 35, "effort": 1, "status": "planned"},
            {"key": "o8", "touchpoint": "t15", "pain_point": None, "title": "Offer the instant virtual card on the approval screen", "customer_value": 55, "business_value": 60, "effort": 1, "status": "in progress"},
            {"key": "o9", "touchpoint": "t24", "pain_point": None, "title": "Pay the referral reward to both friends once the new account is opened", "customer_value": 45, "business_value": 70, "effort": 2, "status": "idea"},
        ],
        "transitions": [
            ("t1", "t4", 0.8), ("t1", "t6", 0.2),
            ("t2", "t4", 0.9), ("t2", "t5", 0.1),
            ("t3", "t4", 0.85), ("t3", "t5", 0.15),
            ("t4", "t7", 0.7), ("t4", "t5", 0.2), ("t4", "t6", 0.1),
            ("t5", "t7", 0.8), ("t5", "t6", 0.2),
            ("t6", "t8", 1.0),
            ("t7", "t9", 1.0),
            ("t8", "t12", 0.85), ("t8", "t10", 0.15),
            ("t9", "t12", 0.5), ("t9", "t10", 0.5),
            ("t10", "t11", 0.6), ("t10", "t12", 0.4),
            ("t11", "t12", 0.75), ("t11", "t10", 0.25),
            ("t12", "t13", 0.65), ("t12", "t15", 0.35),
            ("t13", "t14", 1.0),
            ("t14", "t15", 0.5), ("t14", "t16", 0.5),
            ("t15", "t16", 1.0),
            ("t16", "t17", 0.6), ("t16", "t18", 0.2), ("t16", "t19", 0.1), ("t16", "t20", 0.1),
            ("t17", "t22", 0.8), ("t17", "t19", 0.1), ("t17", "t20", 0.1),
            ("t18", "t19", 0.6), ("t18", "t16", 0.4),
            ("t19", "t22", 0.7), ("t19", "t21", 0.3),
            ("t20", "t22", 0.6), ("t20", "t19", 0.4),
            ("t21", "t22", 1.0),
            ("t22", "t23", 0.6), ("t22", "t24", 0.4),
            ("t23", "t24", 1.0),
        ],
        "contexts": ["I moved here for work last month.",
                     "First proper bank account since university.",
                     "I'm 61 and my old branch has just closed.",
                     "I switched everything over, salary included.",
                     "I was with my old bank for 30 years.",
                     "My salary and rent both go through this account.",
                     "I mostly bank on my phone."],
        "closers": {"neg": [" Not the start I expected from a bank.", " Two stars."],
                    "neu": [" Early days."],
                    "pos": [" Best bank I've used.", " Five stars."]},
        "general": {"neg": ["Opening the account was a frustrating ordeal that took over a week.",
                            "Every time something goes wrong I end up on hold. Not what I expected from a digital bank."],
                    "neu": ["It's a bank account. Does what it needs to.",
                            "Mixed experience so far, the app is good but support is slow."],
                    "pos": ["Really happy I switched. The app is excellent and the bonus was paid on time.",
                            "Easily the best banking app I've used, and the branch staff are lovely too."]},
    }


if __name__ == "__main__":
    main()
