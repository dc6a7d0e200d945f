"""The probes a trial runs: small, objective, offline tasks, versioned with the package.

A probe's version changes whenever its tasks or its grading change, so results stored under
one version are never pooled with another's. See docs/trials.md for what each one checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ProbeName = Literal["tools", "json", "code", "speed"]
PROBE_NAMES: tuple[ProbeName, ...] = ("tools", "json", "code", "speed")


@dataclass(frozen=True, slots=True)
class Task:
    """One question of a probe and what a right answer is."""

    id: str
    prompt: str
    system: str = ""
    tools: tuple[Mapping[str, Any], ...] = ()
    """`/api/chat` tools (JSON schema per function), for the tools probe."""
    expect_function: str = ""
    expect_arguments: Mapping[str, Any] = field(default_factory=dict)
    """Arguments that must have these values (strings compare case-insensitively)."""
    format_schema: Mapping[str, Any] | None = None
    """`format` of the request and the schema the answer must satisfy (json probe)."""
    code_check: str = ""
    """Python asserts run after the answer's code (code probe)."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Options the task itself needs (they win over a variant's: the probe must stay the same)."""


@dataclass(frozen=True, slots=True)
class Probe:
    """A named, versioned set of tasks."""

    name: ProbeName
    version: int
    tasks: tuple[Task, ...]
    summary: str


def _function(
    name: str, description: str, properties: Mapping[str, Any], required: tuple[str, ...]
) -> Mapping[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": dict(properties),
                "required": list(required),
                "additionalProperties": False,
            },
        },
    }


WEATHER = _function(
    "get_weather",
    "Current weather in a city",
    {
        "city": {"type": "string", "description": "city name"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    ("city", "unit"),
)
READ_FILE = _function("read_file", "Read a text file", {"path": {"type": "string"}}, ("path",))
SEARCH_FILES = _function(
    "search_files",
    "Search files for a regular expression",
    {"pattern": {"type": "string"}, "path": {"type": "string"}},
    ("pattern",),
)
CONVERT = _function(
    "convert_currency",
    "Convert an amount between currencies",
    {
        "amount": {"type": "number"},
        "source": {"type": "string", "enum": ["USD", "EUR", "GBP", "JPY"]},
        "target": {"type": "string", "enum": ["USD", "EUR", "GBP", "JPY"]},
    },
    ("amount", "source", "target"),
)

TOOLS = Probe(
    "tools",
    1,
    (
        Task(
            "weather",
            "What is the weather in Lisbon right now, in celsius?",
            tools=(WEATHER,),
            expect_function="get_weather",
            expect_arguments={"city": "Lisbon", "unit": "celsius"},
        ),
        Task(
            "pick-the-tool",
            "Show me what is in the file src/main.py.",
            tools=(SEARCH_FILES, READ_FILE),
            expect_function="read_file",
            expect_arguments={"path": "src/main.py"},
        ),
        Task(
            "numbers-and-enums",
            "How much is 250 US dollars in euros?",
            tools=(CONVERT, WEATHER),
            expect_function="convert_currency",
            expect_arguments={"amount": 250, "source": "USD", "target": "EUR"},
        ),
    ),
    "calls the right function with arguments valid against its schema, no markup leaked",
)

JSON = Probe(
    "json",
    1,
    (
        Task(
            "book",
            "Describe the novel Dune by Frank Herbert as JSON: title, author and "
            "the year it was first published.",
            format_schema={
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "author": {"type": "string"},
                    "year": {"type": "integer"},
                },
                "required": ["title", "author", "year"],
                "additionalProperties": False,
            },
        ),
        Task(
            "colours",
            "List the three primary colours of paint as JSON.",
            format_schema={
                "type": "object",
                "properties": {
                    "colours": {
                        "type": "array",
                        "items": {"type": "string"},
                        "minItems": 3,
                        "maxItems": 3,
                    }
                },
                "required": ["colours"],
                "additionalProperties": False,
            },
        ),
    ),
    "answers with JSON that parses and satisfies the requested schema, not cut short",
)

CODE = Probe(
    "code",
    1,
    (
        Task(
            "fizzbuzz",
            "Write a Python function fizzbuzz(n) that returns a list of strings for the "
            "numbers 1 to n: 'Fizz' for multiples of 3, 'Buzz' for multiples of 5, 'FizzBuzz' "
            "for both, otherwise the number. Answer with the code only.",
            code_check=(
                "assert fizzbuzz(5) == ['1', '2', 'Fizz', '4', 'Buzz']\n"
                "assert fizzbuzz(15)[-1] == 'FizzBuzz'\n"
                "assert fizzbuzz(0) == []\n"
            ),
        ),
        Task(
            "palindrome",
            "Write a Python function is_palindrome(text) that says whether text reads the "
            "same backwards, ignoring case and anything that is not a letter or digit. "
            "Answer with the code only.",
            code_check=(
                "assert is_palindrome('A man, a plan, a canal: Panama')\n"
                "assert not is_palindrome('modelarium')\n"
                "assert is_palindrome('')\n"
            ),
        ),
        Task(
            "merge-intervals",
            "Write a Python function merge_intervals(intervals) that takes a list of [start, "
            "end] pairs and returns the overlapping ones merged, sorted by start. Answer with "
            "the code only.",
            code_check=(
                "assert merge_intervals([[1, 3], [2, 6], [8, 10]]) == [[1, 6], [8, 10]]\n"
                "assert merge_intervals([[5, 7], [1, 2]]) == [[1, 2], [5, 7]]\n"
                "assert merge_intervals([[1, 4], [4, 5]]) == [[1, 5]]\n"
                "assert merge_intervals([]) == []\n"
            ),
        ),
    ),
    "the answer's Python compiles and passes the task's asserts in a subprocess",
)

SPEED_PROMPT = (
    "Here are notes from a lighthouse keeper's log. Read them, then write a short story "
    "about the keeper.\n\n"
    + "\n".join(
        f"Day {day}: wind from the {direction}, lamp lit at {hour}:00, {event}."
        for day, direction, hour, event in (
            (1, "north", 18, "a fishing boat passed close to the rocks"),
            (2, "north-east", 18, "fog all evening, the horn sounded twice"),
            (3, "east", 19, "supplies arrived, the lens was polished"),
            (4, "south", 19, "a storm broke one window of the lamp room"),
            (5, "south-west", 19, "the window was mended, gulls nested on the gallery"),
            (6, "west", 20, "clear night, a ship's captain signalled thanks"),
            (7, "north-west", 20, "the keeper's daughter visited with letters"),
            (8, "north", 20, "ice on the stairs, the oil store was checked"),
        )
    )
)

SPEED = Probe(
    "speed",
    1,
    (Task("story", SPEED_PROMPT, options={"num_predict": 128}),),
    "tokens/s, prompt tokens/s, load time and time to first token; a truncated prompt "
    "makes the run invalid",
)

PROBES: Mapping[ProbeName, Probe] = {probe.name: probe for probe in (TOOLS, JSON, CODE, SPEED)}

SPEED_MIN_PROMPT_TOKENS = len(SPEED_PROMPT) // 12
"""Fewer prompt tokens than this (a third of ~4 characters a token) means the server cut the
prompt (a context smaller than the prompt): the run measures something else."""
