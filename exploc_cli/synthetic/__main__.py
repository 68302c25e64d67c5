"""``python -m exploc_cli.synthetic``."""

from .cli import main

raise SystemExit(main())
