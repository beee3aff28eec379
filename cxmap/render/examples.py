"""The demo map with its analysis: what the examples in the render docstrings draw.

>>> chain, analysis = demo_map()
>>> [t.name for t in analysis.ranked()][:1]
['Touchpoint 2']
"""

from __future__ import annotations

from cxmap.analysis.scoring import JourneyAnalysis, analyze
from cxmap.core.examples import demo_chain
from cxmap.core.records import JourneyAggregate


def demo_map() -> tuple[JourneyAggregate, JourneyAnalysis]:
    """:func:`cxmap.core.examples.demo_chain` (three stages, one touchpoint each) and its
    analysis with the default scoring settings."""
    chain = demo_chain()
    return chain, analyze(chain)
