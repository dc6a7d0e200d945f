"""The oracle's `values` (Ollama's `template.Values`) as the request bodies they stand for."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path
from typing import Any

TEMPLATE_CASES = Path(__file__).parents[2] / "fixtures" / "template_cases.json"


def load_cases() -> list[dict[str, Any]]:
    """Every case of tests/fixtures/template_cases.json."""
    cases: list[dict[str, Any]] = json.loads(TEMPLATE_CASES.read_text(encoding="utf-8"))
    return cases


def request_for(values: dict[str, Any]) -> dict[str, Any]:
    """The `/api/chat` (or fill-in-the-middle `/api/generate`) body for oracle `values`:
    image i of a message is the bytes `img<i>`; `think` from think/think_level/is_think_set."""
    request: dict[str, Any] = {}
    if "messages" in values:
        messages = []
        for message in values["messages"]:
            message = dict(message)
            if "images" in message:
                message["images"] = [
                    base64.b64encode(f"img{index}".encode()).decode()
                    for index in range(message["images"])
                ]
            messages.append(message)
        request["messages"] = messages
    if values.get("tools"):
        request["tools"] = values["tools"]
    if values.get("is_think_set"):
        if not values.get("think"):
            request["think"] = False
        elif values.get("think_level") in ("", "medium"):
            request["think"] = True
        else:
            request["think"] = values["think_level"]
    for key in ("prompt", "suffix"):
        if key in values:
            request[key] = values[key]
    return request


def oracle_date(expect: dict[str, Any]) -> date | None:
    """The date in force when the oracle ran a `date_dependent` case."""
    dates = expect.get("date_dependent")
    return date.fromisoformat(dates["currentDate"]) if dates else None
