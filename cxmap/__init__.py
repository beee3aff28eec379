"""cxmap: customer journey maps with friction scores and moments of truth."""

__version__ = "0.1.0"
