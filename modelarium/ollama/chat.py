"""One `/api/chat` answer as the trials read it: text, thinking, tool calls and Ollama's counters.

`reply_from_chunks` folds the streamed lines (or the single non-streamed object) into a
`ChatReply`; the client measures the time to the first token itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

NANOSECONDS = 1_000_000_000


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One call the model asked for: function name and its arguments (JSON object)."""

    name: str
    arguments: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChatReply:
    """The assistant's whole answer and the final chunk's counters (nanoseconds)."""

    content: str = ""
    thinking: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    done_reason: str = ""
    eval_count: int | None = None
    eval_duration: int | None = None
    prompt_eval_count: int | None = None
    prompt_eval_duration: int | None = None
    load_duration: int | None = None
    total_duration: int | None = None
    first_token_seconds: float | None = None
    """Measured by the client: request sent -> first content or thinking text."""

    @property
    def tokens_per_second(self) -> float | None:
        """Generation speed, `eval_count / eval_duration`; None without counters."""
        if not self.eval_count or not self.eval_duration:
            return None
        return self.eval_count / (self.eval_duration / NANOSECONDS)

    @property
    def prompt_tokens_per_second(self) -> float | None:
        """Prompt processing speed; None without counters."""
        if not self.prompt_eval_count or not self.prompt_eval_duration:
            return None
        return self.prompt_eval_count / (self.prompt_eval_duration / NANOSECONDS)

    def to_json(self) -> dict[str, object]:
        """The reply as stored with a trial run."""
        return {
            "content": self.content,
            "thinking": self.thinking,
            "tool_calls": [
                {"name": c.name, "arguments": dict(c.arguments)} for c in self.tool_calls
            ],
            "done_reason": self.done_reason,
            "eval_count": self.eval_count,
            "eval_duration": self.eval_duration,
            "prompt_eval_count": self.prompt_eval_count,
            "prompt_eval_duration": self.prompt_eval_duration,
            "load_duration": self.load_duration,
            "total_duration": self.total_duration,
            "first_token_seconds": self.first_token_seconds,
        }


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _tool_call(raw: object) -> ToolCall | None:
    if not isinstance(raw, Mapping):
        return None
    function = raw.get("function")
    if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
        return None
    arguments = function.get("arguments")
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            arguments = {"__unparsed__": arguments}
    if not isinstance(arguments, Mapping):
        arguments = {}
    return ToolCall(function["name"], dict(arguments))


def reply_from_chunks(
    chunks: Iterable[Mapping[str, Any]], *, first_token_seconds: float | None = None
) -> ChatReply:
    """Fold `/api/chat` (or `/api/generate`) lines into one reply; the last `done` line
    carries the counters."""
    content: list[str] = []
    thinking: list[str] = []
    calls: list[ToolCall] = []
    final: Mapping[str, Any] = {}
    for chunk in chunks:
        message = chunk.get("message")
        if isinstance(message, Mapping):
            content.append(str(message.get("content") or ""))
            thinking.append(str(message.get("thinking") or ""))
            for raw in message.get("tool_calls") or ():
                call = _tool_call(raw)
                if call is not None:
                    calls.append(call)
        else:
            content.append(str(chunk.get("response") or ""))
            thinking.append(str(chunk.get("thinking") or ""))
        if chunk.get("done"):
            final = chunk
    return ChatReply(
        content="".join(content),
        thinking="".join(thinking),
        tool_calls=tuple(calls),
        done_reason=str(final.get("done_reason") or ""),
        eval_count=_count(final.get("eval_count")),
        eval_duration=_count(final.get("eval_duration")),
        prompt_eval_count=_count(final.get("prompt_eval_count")),
        prompt_eval_duration=_count(final.get("prompt_eval_duration")),
        load_duration=_count(final.get("load_duration")),
        total_duration=_count(final.get("total_duration")),
        first_token_seconds=first_token_seconds,
    )
