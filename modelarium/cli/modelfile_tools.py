"""`modelarium modelfile ...` subcommands (registered on the `modelfile` group)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add this module's actions to the `modelfile` group."""
