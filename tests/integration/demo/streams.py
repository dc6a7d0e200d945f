"""Reading ndjson progress streams in the demo-host tests."""

from __future__ import annotations

import json
from typing import Any

import httpx


def ndjson(response: httpx.Response) -> list[dict[str, Any]]:
    """The JSON objects of an ndjson body, checking each line ends with a newline."""
    text = response.text
    assert text.endswith("\n"), text[-80:]
    return [json.loads(line) for line in text.splitlines()]


def statuses(response: httpx.Response) -> list[str]:
    """The `status` of each streamed line (the `error` text for an error line)."""
    return [line.get("status", "error: " + str(line.get("error"))) for line in ndjson(response)]
