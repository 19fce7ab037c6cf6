"""Allow ``python -m hearth`` (``python -m tui`` in a source checkout)."""

from .cli import main

raise SystemExit(main())
