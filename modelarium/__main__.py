"""`python -m modelarium` runs the same entry point as the `modelarium` command."""

from modelarium.cli import main

raise SystemExit(main())
