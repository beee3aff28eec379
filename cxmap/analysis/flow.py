"""How customers flow through a journey: the graph, where they enter, reach, loops, paths.

Pure functions over plain records (DOMAIN.md; worked example in docs/scoring.md):

* The journey is a directed graph: nodes are touchpoints, edges the map's transitions or, when
  it has none, every touchpoint of stage k → every touchpoint of stage k+1 (weights by the target's
  volume when every target has one, else even). Customers enter at the first stage's touchpoints
  (split by volume, else evenly). At touchpoint t a share ``drop_off(t)`` leaves the journey; the
  rest moves on in proportion to the edge weights. A touchpoint with no way on is an end.
* **reach(t)**: the probability that a customer entering the journey passes through t at least
  once (an absorbing Markov chain; loops are solved exactly per strongly connected component).

Examples
--------
>>> from cxmap.core.examples import demo_chain
>>> graph = journey_graph(demo_chain())
>>> reach, _ = reach_and_visits(graph, entry_distribution(demo_chain()))
>>> [round(reach[k], 2) for k in ('t1', 't2', 't3')]
[1.0, 0.8, 0.8]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

import networkx as nx
import numpy as np

from cxmap.core.messages import Message
from cxmap.core.records import JourneyAggregate, TouchpointRecord

# ---------------------------------------------------------------- the graph


def journey_graph(aggregate: JourneyAggregate) -> nx.DiGraph:
    """The journey as a graph; edges carry ``probability`` (drop-off already taken out).

    >>> from cxmap.core.examples import demo_chain
    >>> g = journey_graph(demo_chain())
    >>> round(g.edges["t1", "t2"]["probability"], 2)
    0.8
    """
    graph = nx.DiGraph()
    for t in aggregate.touchpoints:
        graph.add_node(t.key, drop_off=t.drop_off)
    for source, target, weight in _edges(aggregate):
        if weight > 0:  # weight 0: no flow (the module docstring)
            graph.add_edge(source, target, weight=weight)
    for node in graph:
        out = graph.out_edges(node, data="weight")
        total = sum(w for _, _, w in out)
        stay = 1.0 - graph.nodes[node]["drop_off"]
        for _, target, weight in list(out):
            graph.edges[node, target]["probability"] = stay * weight / total
    return graph


def transition_shares(aggregate: JourneyAggregate) -> dict[int, float]:
    """Per transition id: its share of its source's onward flow (what the builder's grid shows
    as Share %), by the same rule as the graph: weight ÷ the source's total, 0 for weight 0 and
    for every transition of a source whose weights are all 0.

    >>> from dataclasses import replace
    >>> from cxmap.core.examples import demo_chain
    >>> chain = demo_chain()
    >>> transition_shares(replace(chain, transitions=[replace(chain.transitions[0], weight=0)]))
    {1: 0.0}
    """
    total: dict[int, float] = defaultdict(float)
    for t in aggregate.transitions:
        total[t.source_id] += max(0.0, t.weight)
    return {
        t.id: (t.weight / total[t.source_id] if total[t.source_id] > 0 and t.weight > 0 else 0.0)
        for t in aggregate.transitions
    }


def no_way_on(aggregate: JourneyAggregate) -> list[str]:
    """Touchpoints (keys, in map order) that have transitions out, all of weight 0: nobody
    moves on from there, so the model treats each as an end of the journey.

    >>> from dataclasses import replace
    >>> from cxmap.core.examples import demo_chain
    >>> chain = demo_chain()
    >>> no_way_on(replace(chain, transitions=[replace(chain.transitions[1], weight=0)]))
    ['t2']
    """
    weights: dict[int, list[float]] = defaultdict(list)
    for t in aggregate.transitions:
        weights[t.source_id].append(t.weight)
    return [
        t.key
        for t in aggregate.touchpoints
        if weights.get(t.id) and all(w <= 0 for w in weights[t.id])
    ]


def flow_warnings(aggregate: JourneyAggregate, graph: nx.DiGraph | None = None) -> list[Message]:
    """What is wrong with how customers flow, as messages: touchpoints with no way on because
    all their transitions weigh 0, loops with no way out. The friction page, the builder and
    ``analyze`` show these same messages.

    >>> from dataclasses import replace
    >>> from cxmap.core.examples import demo_chain
    >>> chain = demo_chain()
    >>> [m.code for m in flow_warnings(replace(chain, transitions=[
    ...     replace(chain.transitions[1], weight=0)]))]
    ['journey.no_way_on']
    """
    graph = journey_graph(aggregate) if graph is None else graph
    names = {t.key: t.name for t in aggregate.touchpoints}
    found = [
        Message("journey.no_way_on", {"touchpoint": names[key]}) for key in no_way_on(aggregate)
    ]
    found += [
        Message("journey.closed_loop", {"loop": [names[k] for k in loop]})
        for loop in closed_loops(graph)
    ]
    return found


def _edges(aggregate: JourneyAggregate) -> list[tuple[str, str, float]]:
    if aggregate.transitions:
        key = {t.id: t.key for t in aggregate.touchpoints}
        return [(key[t.source_id], key[t.target_id], t.weight) for t in aggregate.transitions]
    stages = [aggregate.touchpoints_in_stage(s.id) for s in aggregate.stages]
    stages = [tps for tps in stages if tps]
    edges: list[tuple[str, str, float]] = []
    for here, after in zip(stages, stages[1:], strict=False):
        weights = _volume_weights(after)
        for source in here:
            edges.extend(
                (source.key, target.key, w) for target, w in zip(after, weights, strict=True)
            )
    return edges


def _volume_weights(touchpoints: Sequence[TouchpointRecord]) -> list[float]:
    volumes = [t.volume for t in touchpoints]
    if all(v is not None for v in volumes) and sum(volumes) > 0:  # type: ignore[arg-type]
        return [float(v) for v in volumes]  # type: ignore[arg-type]
    return [1.0] * len(touchpoints)


def entry_distribution(aggregate: JourneyAggregate) -> dict[str, float]:
    """Where customers enter: the first stage that has touchpoints, split by volume or evenly."""
    for stage in aggregate.stages:
        entries = aggregate.touchpoints_in_stage(stage.id)
        if entries:
            weights = _volume_weights(entries)
            total = sum(weights)
            return {t.key: w / total for t, w in zip(entries, weights, strict=True)}
    return {}


def closed_loops(graph: nx.DiGraph) -> list[list[str]]:
    """Loops customers cannot leave (no transition out, no drop-off): a modelling mistake.

    >>> g = nx.DiGraph([("a", "b"), ("b", "a")])
    >>> nx.set_node_attributes(g, 0.0, "drop_off")
    >>> closed_loops(g)
    [['a', 'b']]
    """
    loops = []
    for members in nx.strongly_connected_components(graph):
        node = next(iter(members))
        if len(members) == 1 and not graph.has_edge(node, node):
            continue
        leaves = any(
            graph.nodes[m]["drop_off"] > 0 or any(t not in members for t in graph.successors(m))
            for m in members
        )
        if not leaves:
            loops.append(sorted(members))
    return sorted(loops)


def reach_and_visits(
    graph: nx.DiGraph, entries: Mapping[str, float]
) -> tuple[dict[str, float], dict[str, float]]:
    """Per node: the probability of passing through it at least once, and expected visits.

    Flow is pushed through the graph's strongly connected components in topological order;
    inside a component with loops the visits solve ``v = b (I − Q)⁻¹`` exactly, and the chance
    of ever arriving is visits divided by the expected visits of someone who starts there.

    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", probability=1.0); g.add_edge("b", "a", probability=0.5)
    >>> reach, visits = reach_and_visits(g, {"a": 1.0})
    >>> round(reach["a"], 3), round(visits["a"], 3)
    (1.0, 2.0)
    """
    inflow: dict[str, float] = defaultdict(float)
    for node, share in entries.items():
        inflow[node] += share
    reach: dict[str, float] = {}
    visits: dict[str, float] = {}
    # Components and their members in the graph's own (journey) order, not in set order: set
    # order follows string hashes, which differ between processes, and so would the last bits
    # of the sums, and with them which of two equally felt touchpoints is a moment of truth.
    position = {node: i for i, node in enumerate(graph)}
    condensed = nx.condensation(graph)

    def first_position(component: int) -> int:
        return min(position[m] for m in condensed.nodes[component]["members"])

    for component in nx.lexicographical_topological_sort(condensed, key=first_position):
        members = sorted(condensed.nodes[component]["members"], key=position.__getitem__)
        if len(members) == 1 and not graph.has_edge(members[0], members[0]):
            node = members[0]
            visits[node] = inflow[node]
            reach[node] = min(1.0, inflow[node])
        else:
            index = {node: i for i, node in enumerate(members)}
            q = np.zeros((len(members), len(members)))
            for node in members:
                for _, target, p in graph.out_edges(node, data="probability"):
                    if target in index:
                        q[index[node], index[target]] += p
            arriving = np.array([inflow[node] for node in members])
            if np.all(q.sum(axis=1) >= 1 - 1e-12):
                # A loop with no way out and no drop-off: whoever gets in visits every member
                # forever. Reach is the share that gets in; visits are unbounded.
                for node in members:
                    visits[node] = math.inf if arriving.sum() > 0 else 0.0
                    reach[node] = float(min(1.0, arriving.sum()))
                continue
            fundamental = np.linalg.inv(np.eye(len(members)) - q)
            expected = arriving @ fundamental
            for node, i in index.items():
                visits[node] = float(expected[i])
                reach[node] = float(min(1.0, expected[i] / fundamental[i, i]))
        for node in members:
            for _, target, p in graph.out_edges(node, data="probability"):
                if condensed.graph["mapping"][target] != component:
                    inflow[target] += visits[node] * p
    return reach, visits


# ---------------------------------------------------------------- paths


def with_start_and_end(graph: nx.DiGraph, entries: Mapping[str, float]) -> nx.DiGraph:
    """The graph plus a START feeding the entries and an END after every touchpoint with no way on;
    edge ``cost`` is −log(probability), so the cheapest path is the most likely one."""
    g = nx.DiGraph()
    for u, v, p in graph.edges(data="probability"):
        if p > 0:
            g.add_edge(u, v, cost=-math.log(p), probability=p)
    for node, share in entries.items():
        if share > 0:
            g.add_edge(_START, node, cost=-math.log(share), probability=share)
    for node in graph:
        stay = 1 - graph.nodes[node]["drop_off"]
        if graph.out_degree(node) == 0 and stay > 0:
            g.add_edge(node, _END, cost=-math.log(stay), probability=stay)
    return g


_START, _END = "\x00start", "\x00end"


def bottlenecks(
    graph: nx.DiGraph, entries: Mapping[str, float], reach: Mapping[str, float], least: float
) -> dict[str, int]:
    """Touchpoints every complete journey passes through although the map offers alternatives
    before them: at least two ways in that customers use (paths meet there) and on every path
    from the entry to an end (it dominates the end), reached by at least ``least`` of customers.
    Value: the number of ways in. On a single path nothing is a bottleneck: there is no
    alternative route to close.

    >>> g = nx.DiGraph()
    >>> for u, v in [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")]:
    ...     g.add_edge(u, v, probability=1.0 if u != "a" else 0.5)
    >>> nx.set_node_attributes(g, 0.0, "drop_off")
    >>> bottlenecks(g, {"a": 1.0}, dict.fromkeys("abcde", 1.0) | {"b": .5, "c": .5}, 0.8)
    {'d': 2}
    >>> line = nx.DiGraph()
    >>> nx.add_path(line, "abc", probability=1.0)
    >>> nx.set_node_attributes(line, 0.0, "drop_off")
    >>> bottlenecks(line, {"a": 1.0}, dict.fromkeys("abc", 1.0), 0.8)
    {}
    """
    with_ends = with_start_and_end(graph, entries)
    if _START not in with_ends or _END not in with_ends:
        return {}
    dominators = nx.immediate_dominators(with_ends, _START)
    if _END not in dominators:
        return {}
    on_every_path = set()
    node = dominators[_END]
    while node != _START:
        on_every_path.add(node)
        node = dominators[node]
    found = {}
    for node in graph:
        ways_in = sum(
            1 for u, _, p in graph.in_edges(node, data="probability") if p > 0 and reach[u] > 0
        ) + (1 if entries.get(node, 0) > 0 and len(entries) > 1 else 0)
        if node in on_every_path and ways_in >= 2 and reach[node] >= least:
            found[node] = ways_in
    return found


def most_likely_path(
    graph: nx.DiGraph, entries: Mapping[str, float], with_ends: nx.DiGraph | None = None
) -> tuple[list[str], float]:
    """The single most likely complete journey and its probability (empty if none completes)."""
    g = with_ends if with_ends is not None else with_start_and_end(graph, entries)
    if _START not in g or _END not in g:
        return [], 0.0
    try:
        cost, path = nx.single_source_dijkstra(g, _START, _END, weight="cost")
    except nx.NetworkXNoPath:
        return [], 0.0
    return path[1:-1], math.exp(-cost)


def worst_path(
    graph: nx.DiGraph,
    entries: Mapping[str, float],
    friction: Mapping[str, float],
    likely: float,
    order: Mapping[str, int],
    with_ends: nx.DiGraph | None = None,
) -> tuple[list[str], float]:
    """The complete journey with the highest total friction among likely ones.

    Only transitions with probability ≥ ``likely`` are used, and a loop is never taken: inside
    a strongly connected component only edges that go forward in map ``order`` are kept.
    """
    g = with_ends if with_ends is not None else with_start_and_end(graph, entries)
    if _START not in g or _END not in g:
        return [], 0.0
    # START and END lie on no loop, so the touchpoints' components are those of the journey.
    component = {node: i for i, members in enumerate(nx.strongly_connected_components(g))
                 for node in members}  # fmt: skip
    dag = nx.DiGraph()
    for u, v, p in g.edges(data="probability"):
        goes_back = component[u] == component[v] and order.get(v, 0) <= order.get(u, 0)
        unlikely = u != _START and v != _END and p < likely
        if not goes_back and not unlikely:
            dag.add_edge(u, v, gain=friction.get(v, 0.0))
    best: dict[str, tuple[float, list[str]]] = {_START: (0.0, [])}
    for node in nx.topological_sort(dag):
        if node not in best:
            continue
        total, path = best[node]
        for _, target, gain in dag.out_edges(node, data="gain"):
            if target not in best or total + gain > best[target][0]:
                best[target] = (total + gain, [*path, target])
    if _END not in best:
        return [], 0.0
    total, path = best[_END]
    return path[:-1], round(total, 2)
