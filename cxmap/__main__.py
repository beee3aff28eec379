"""``python -m cxmap``: the command line (:mod:`cxmap.cli`)."""

from cxmap.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
