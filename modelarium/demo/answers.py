"""How the demo's seeded models answer: deterministic scripts that are right or wrong in the
ways real models are, so trials have something true to measure.

The demo does not run models. It recognises the trial probes' questions by their words and
answers each as that model family typically does: Qwen2.5-Coder leaks `<tool_call>` markup
into its text, Mistral 7B forgets a required JSON field and writes FizzBuzz off by one,
Granite's palindrome check minds case, Qwen3 leaves `<think>` text in its answer when thinking
is turned off. Options are honoured: `num_predict` cuts the answer (`done_reason` "length"),
`num_ctx` below the prompt's size truncates the prompt as Ollama does, and a temperature of
1.5 or more breaks the code answers. Timing counters follow the model's size and `num_ctx`.
Anything else gets the fixed demo reply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DEMO_REPLY = (
    "This is the Modelarium demo host. It manages models like Ollama but does not run them, "
    "so this answer is always the same."
)


@dataclass(frozen=True, slots=True)
class Answer:
    """One whole answer and its counters (nanoseconds, as Ollama reports them)."""

    content: str
    thinking: str = ""
    tool_calls: tuple[Mapping[str, Any], ...] = ()
    done_reason: str = "stop"
    prompt_eval_count: int = 0
    prompt_eval_duration: int = 0
    eval_count: int = 0
    eval_duration: int = 0
    load_duration: int = 0
    chunks: tuple[str, ...] = field(default=())
    """The content as streamed, piece by piece."""

    def counters(self) -> dict[str, int]:
        """The final chunk's timing fields."""
        total = self.load_duration + self.prompt_eval_duration + self.eval_duration
        return {
            "total_duration": total,
            "load_duration": self.load_duration,
            "prompt_eval_count": self.prompt_eval_count,
            "prompt_eval_duration": self.prompt_eval_duration,
            "eval_count": self.eval_count,
            "eval_duration": self.eval_duration,
        }


def _call(name: str, **arguments: object) -> Mapping[str, Any]:
    return {"function": {"name": name, "arguments": arguments}}


GOOD_FIZZBUZZ = (
    "```python\ndef fizzbuzz(n):\n    result = []\n    for i in range(1, n + 1):\n"
    "        word = ('Fizz' if i % 3 == 0 else '') + ('Buzz' if i % 5 == 0 else '')\n"
    "        result.append(word or str(i))\n    return result\n```"
)
OFF_BY_ONE_FIZZBUZZ = GOOD_FIZZBUZZ.replace("n + 1", "n")
GOOD_PALINDROME = (
    "```python\ndef is_palindrome(text):\n"
    "    kept = [c.lower() for c in text if c.isalnum()]\n    return kept == kept[::-1]\n```"
)
CASE_PALINDROME = GOOD_PALINDROME.replace("c.lower()", "c")
GOOD_MERGE = (
    "```python\ndef merge_intervals(intervals):\n    merged = []\n"
    "    for start, end in sorted(intervals):\n"
    "        if merged and start <= merged[-1][1]:\n"
    "            merged[-1][1] = max(merged[-1][1], end)\n"
    "        else:\n            merged.append([start, end])\n    return merged\n```"
)
BROKEN_CODE = "```python\ndef answer(:\n    return\n```"
BOOK = {"title": "Dune", "author": "Frank Herbert", "year": 1965}
STORY = (
    "The keeper climbed the hundred steps each evening with a can of oil and a quiet song. "
    "Ships he never met trusted the light he kept, and on the night the storm broke the "
    "window he mended it by lantern, because somewhere out there a captain was counting on "
    "the beam. When his daughter came with letters he read them aloud to the gulls."
)

# How each family answers each task: "right", or the name of the mistake it makes.
HABITS: Mapping[str, Mapping[str, str]] = {
    "llama": {"merge-intervals": "right"},
    "qwen-coder": {"tools": "leak-markup"},
    "qwen": {},
    "mistral": {"book": "missing-field", "fizzbuzz": "off-by-one", "tools": "mistral-leak"},
    "granite": {"palindrome": "mind-case"},
}


def habits_of(model: str) -> Mapping[str, str]:
    """The scripted mistakes of a model, by its name's family."""
    lowered = model.lower()
    if "coder" in lowered and "qwen" in lowered:
        return HABITS["qwen-coder"]
    for family in ("llama", "qwen", "mistral", "granite"):
        if family in lowered:
            return HABITS[family]
    return {}


def _task_of(prompt: str) -> str | None:
    lowered = prompt.lower()
    for needle, task in (
        ("weather in lisbon", "weather"),
        ("src/main.py", "pick-the-tool"),
        ("us dollars in euros", "numbers-and-enums"),
        ("novel dune", "book"),
        ("primary colours", "colours"),
        ("fizzbuzz(n)", "fizzbuzz"),
        ("is_palindrome(text)", "palindrome"),
        ("merge_intervals(intervals)", "merge-intervals"),
        ("lighthouse keeper", "story"),
    ):
        if needle in lowered:
            return task
    return None


def _content_and_calls(
    task: str, habits: Mapping[str, str], temperature: float
) -> tuple[str, tuple[Mapping[str, Any], ...]]:
    tools_habit = habits.get("tools", "right")
    calls = {
        "weather": _call("get_weather", city="Lisbon", unit="celsius"),
        "pick-the-tool": _call("read_file", path="src/main.py"),
        "numbers-and-enums": _call("convert_currency", amount=250, source="USD", target="EUR"),
    }
    if task in calls:
        call = calls[task]
        if tools_habit == "leak-markup":
            return "<tool_call>\n" + json.dumps(call["function"]) + "\n</tool_call>", ()
        if tools_habit == "mistral-leak" and task == "numbers-and-enums":
            return "[TOOL_CALLS]" + json.dumps([call["function"]]), ()
        return "", (call,)
    if task == "book":
        book = dict(BOOK)
        if habits.get("book") == "missing-field":
            del book["year"]
        return json.dumps(book), ()
    if task == "colours":
        return json.dumps({"colours": ["red", "yellow", "blue"]}), ()
    code = {
        "fizzbuzz": OFF_BY_ONE_FIZZBUZZ if habits.get("fizzbuzz") else GOOD_FIZZBUZZ,
        "palindrome": CASE_PALINDROME if habits.get("palindrome") else GOOD_PALINDROME,
        "merge-intervals": GOOD_MERGE,
    }
    if task in code:
        return (BROKEN_CODE if temperature >= 1.5 else code[task]), ()
    return STORY, ()


def _number(value: object, default: float) -> float:
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default
    )


def scripted_answer(
    model: str,
    *,
    parameter_count: int,
    capabilities: Sequence[str],
    prompt: str,
    options: Mapping[str, Any],
    think: object,
    loaded: bool,
) -> Answer:
    """The demo model's answer to `prompt` with the request's options and think setting."""
    task = _task_of(prompt)
    temperature = _number(options.get("temperature"), 0.8)
    calls: tuple[Mapping[str, Any], ...]
    if task is None:
        content, calls = DEMO_REPLY, ()
    else:
        content, calls = _content_and_calls(task, habits_of(model), temperature)
    thinking = ""
    if "thinking" in capabilities and task is not None:
        reasoning = "The user wants a direct answer; I will give it."
        if think is False:
            content = f"<think>\n{reasoning}\n</think>\n\n{content}"
        else:
            thinking = reasoning
    pieces = [word + " " for word in content.split(" ")]
    if pieces:
        pieces[-1] = pieces[-1][:-1]
    done_reason = "stop"
    limit = options.get("num_predict")
    if isinstance(limit, int) and not isinstance(limit, bool) and 0 <= limit < len(pieces):
        pieces = pieces[:limit]
        content = "".join(pieces)
        calls = ()
        done_reason = "length"
    billions = max(parameter_count / 1e9, 0.1)
    num_ctx = int(_number(options.get("num_ctx"), 4096))
    prompt_tokens = max(1, len(prompt) // 4)
    if prompt_tokens > num_ctx:
        prompt_tokens = num_ctx
    eval_count = max(1, len(pieces)) + sum(8 for _ in calls) + len(thinking.split())
    tokens_per_second = 320.0 / billions / (1 + num_ctx / 131072)
    prompt_per_second = tokens_per_second * 12
    return Answer(
        content=content,
        thinking=thinking,
        tool_calls=calls,
        done_reason=done_reason,
        prompt_eval_count=prompt_tokens,
        prompt_eval_duration=int(prompt_tokens / prompt_per_second * 1e9),
        eval_count=eval_count,
        eval_duration=int(eval_count / tokens_per_second * 1e9),
        load_duration=0 if loaded else int(billions * 180_000_000),
        chunks=tuple(pieces),
    )
