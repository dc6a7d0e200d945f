"""Built-in conversations to preview a TEMPLATE against: plain, system, multi-turn, tools and
thinking. Each is an `/api/chat` request body, as `render_prompt` takes it. Pure data."""

from __future__ import annotations

import copy
from typing import Any

_WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_current_weather",
        "description": "Get the current weather for a location",
        "parameters": {
            "type": "object",
            "required": ["location"],
            "properties": {
                "location": {"type": "string", "description": "The city, e.g. Paris"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
        },
    },
}

_SAMPLES: dict[str, tuple[str, dict[str, Any]]] = {
    "plain": (
        "one user message",
        {"messages": [{"role": "user", "content": "Why is the sky blue?"}]},
    ),
    "system": (
        "a system message, then a user message",
        {
            "messages": [
                {"role": "system", "content": "You are a concise assistant."},
                {"role": "user", "content": "Why is the sky blue?"},
            ]
        },
    ),
    "multi-turn": (
        "system, user, assistant, user",
        {
            "messages": [
                {"role": "system", "content": "You are a concise assistant."},
                {"role": "user", "content": "Hello!"},
                {"role": "assistant", "content": "Hi. How can I help?"},
                {"role": "user", "content": "Name three primary colours."},
            ]
        },
    ),
    "tools": (
        "a tool, a tool call, its result and a follow-up question",
        {
            "messages": [
                {"role": "user", "content": "What is the weather in Paris?"},
                {
                    "role": "assistant",
                    "content": "",
                    "tool_calls": [
                        {
                            "function": {
                                "name": "get_current_weather",
                                "arguments": {"location": "Paris", "unit": "celsius"},
                            }
                        }
                    ],
                },
                {
                    "role": "tool",
                    "content": '{"temperature": 18, "condition": "cloudy"}',
                    "tool_name": "get_current_weather",
                },
                {"role": "user", "content": "Should I take an umbrella?"},
            ],
            "tools": [_WEATHER_TOOL],
        },
    ),
    "thinking": (
        "thinking on, with an earlier answer's reasoning",
        {
            "messages": [
                {"role": "user", "content": "What is 17 * 23?"},
                {
                    "role": "assistant",
                    "content": "391",
                    "thinking": "17 * 20 = 340 and 17 * 3 = 51; 340 + 51 = 391.",
                },
                {"role": "user", "content": "And 391 / 17?"},
            ],
            "think": True,
        },
    ),
}

SAMPLE_NAMES: tuple[str, ...] = tuple(_SAMPLES)
"""The built-in conversations, in the order pickers list them."""

DEFAULT_SAMPLE = "multi-turn"


def sample_description(name: str) -> str:
    """One line saying what the conversation `name` holds."""
    return _SAMPLES[name][0]


def sample_request(name: str) -> dict[str, Any]:
    """A fresh copy of the `/api/chat` body of sample `name` (KeyError for an unknown name)."""
    return copy.deepcopy(_SAMPLES[name][1])
