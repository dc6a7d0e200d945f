"""Modelfile linter: Ollama's own verdict plus the mistakes people make, with stable codes.

`lint(text)` never raises. It reads the text with the exact parser (`parser.scan`), explains a
parse error precisely (which line opened the unclosed quote, which word is not an instruction,
which `\"\"\"` closed a TEMPLATE early), then checks what create would do with each command,
typing parameter values through `create.build_create_request` itself so the verdict is
Ollama's. Every rule has a stable code (`MF001`…), a severity (`error`: Ollama refuses the
file or create fails; `warning`: accepted but almost certainly not what was meant; `info`:
worth knowing) and, where the correction is clear, a `Fix` replacing the diagnostic's span.
The rules are documented in docs/lint-rules.md.

Positions are 1-based lines and columns in code points of the text given (CRLF, CR and LF
each end one line); the end is exclusive.

Never raising covers the disk too: with a folder given, FROM paths are expanded and stat'ed
as create does, and any failure there (unknown `~user`, a name too long, no permission)
becomes MF036 in create's words. Every pattern run over a value is linear in its length, so
the editor can lint a 128 KB line after each pause in typing.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from modelarium.modelfile.commands import (
    INSTRUCTIONS,
    MESSAGE_ROLES,
    InvalidCommandError,
    InvalidRoleError,
    ModelfileError,
    NoFromLineError,
    UnexpectedEOFError,
)
from modelarium.modelfile.create import (
    CreateMarshalError,
    CreateRequestError,
    build_create_request,
    expand_path,
    stat_local_path,
)
from modelarium.modelfile.document import (
    INSTRUCTION_COMMANDS,
    quote_style,
    scan_cached,
    split_bom,
    value_offset,
)
from modelarium.modelfile.elements import KEYWORD_FOR_COMMAND
from modelarium.modelfile.params import DEPRECATED_PARAMETERS, PARAMETERS
from modelarium.modelfile.parser import ParsedCommand, ParseOutcome, decode, scan
from modelarium.modelfile.positions import NEWLINES, TextPositions
from modelarium.modelfile.prompt_lint import PROMPT_RULES, prompt_findings
from modelarium.modelfile.template import check_template

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Rule:
    """A lint rule: stable code, short name, usual severity and what it catches."""

    code: str
    name: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            "MF001",
            "unknown-instruction",
            "error",
            "a line starts with a word that is not one of the 11 instructions",
        ),
        Rule(
            "MF002",
            "parameter-without-keyword",
            "error",
            "a parameter line lacks the PARAMETER keyword",
        ),
        Rule(
            "MF003",
            "missing-value",
            "error",
            "an instruction, parameter name or role has no blank and value after it",
        ),
        Rule(
            "MF004",
            "bad-parameter-name",
            "error",
            "a PARAMETER name holds a character other than letters, digits and _",
        ),
        Rule(
            "MF005",
            "bad-message-role",
            "error",
            "a MESSAGE role is not exactly system, user or assistant",
        ),
        Rule(
            "MF006",
            "unclosed-quote",
            "error",
            "a quote is never closed and swallows the rest of the file",
        ),
        Rule(
            "MF007",
            "text-after-closing-quote",
            "error",
            "text after a closing quote keeps the value open across lines",
        ),
        Rule(
            "MF008",
            "triple-quote-closes-early",
            "error",
            'a line inside a """ block ends with """ and closes it early',
        ),
        Rule("MF009", "no-from", "error", "the Modelfile has no FROM line"),
        Rule("MF010", "parse-error", "error", "any other error Ollama's parser reports"),
        Rule(
            "MF011",
            "swallowed-instructions",
            "warning",
            "a quoted value runs over lines that look like instructions",
        ),
        Rule("MF020", "unknown-parameter", "error", "create rejects the parameter name"),
        Rule(
            "MF021",
            "bad-parameter-value",
            "error",
            "create cannot type the value for the parameter",
        ),
        Rule(
            "MF022",
            "comment-in-value",
            "error",
            "a # after a value is part of the value, not a comment",
        ),
        Rule(
            "MF023",
            "placeholder",
            "error",
            "a placeholder was left in (<add the context size>, eg 0.9)",
        ),
        Rule(
            "MF024", "out-of-range", "warning", "a value outside the parameter's meaningful range"
        ),
        Rule(
            "MF025",
            "deprecated-parameter",
            "warning",
            "create warns about the parameter and drops it",
        ),
        Rule(
            "MF026",
            "repeated-parameter",
            "warning",
            "a parameter other than stop is set twice; the last wins",
        ),
        Rule(
            "MF027",
            "non-finite-number",
            "error",
            "inf or NaN passes typing but cannot be sent as JSON",
        ),
        Rule(
            "MF028",
            "empty-parameter-name",
            "error",
            "two blanks after PARAMETER make the name empty",
        ),
        Rule(
            "MF030",
            "duplicate-instruction",
            "warning",
            "TEMPLATE, SYSTEM, … given twice; the last wins",
        ),
        Rule(
            "MF031",
            "stop-not-in-template",
            "info",
            "a stop string never appears in the TEMPLATE",
        ),
        Rule("MF032", "template-syntax", "error", "the TEMPLATE is not a valid Go template"),
        Rule(
            "MF033", "gguf-without-template", "warning", "FROM a local .gguf file with no TEMPLATE"
        ),
        Rule("MF034", "requires-not-semver", "error", "REQUIRES is not a semantic version"),
        Rule("MF035", "empty-from", "error", "FROM has an empty model name"),
        Rule(
            "MF036",
            "unusable-from-path",
            "error",
            "create cannot look at the FROM path (unknown ~user, name too long, no permission)",
        ),
        Rule("MF040", "crlf", "info", "CRLF line endings (warning when a value keeps the CR)"),
        Rule("MF041", "bom", "info", "the file starts with a byte-order mark"),
        *(Rule(*spec) for spec in PROMPT_RULES),
    )
}
"""Every rule, by code."""


@dataclass(frozen=True, slots=True)
class Fix:
    """A suggested correction: replace the diagnostic's span with `replacement`."""

    description: str
    replacement: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: code, severity, span (1-based, end exclusive), message and optional fix."""

    code: str
    severity: Severity
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    fix: Fix | None = None

    def to_json(self) -> dict[str, object]:
        """The diagnostic as JSON data (the CLI's `--json` objects, without `file`)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "fix": (
                None
                if self.fix is None
                else {"description": self.fix.description, "replacement": self.fix.replacement}
            ),
        }


REMOVED_PARAMETERS: dict[str, str] = {
    "numa": "NUMA is configured on the server now",
    "num_gqa": "it was removed when GGUF started carrying it",
    "tfs_z": "tail-free sampling was removed",
    "rope_frequency_base": "RoPE settings now come from the model file",
    "rope_frequency_scale": "RoPE settings now come from the model file",
    "num_gpu_layers": "use num_gpu",
    "gpu_layers": "use num_gpu",
    "context_length": "use num_ctx",
    "max_tokens": "use num_predict",
    "n_ctx": "use num_ctx",
    "n_predict": "use num_predict",
}
"""Names people still write that create rejects, with a hint for each."""

_WORD = re.compile(r"[ \t]*([^ \t\r\n]*)")
_NAME_RUN = re.compile(r"[A-Za-z0-9_.\-]+")
_ANGLE_RUN = re.compile(r"<([^<>|\r\n]*)>")
"""`<…>` with no `<`, `>`, `|` or line break inside: each match starts at a `<` and stops at the
next stop character, so a search is linear (`<` followed by a long run of words is not the
quadratic backtracking it was as one pattern requiring a blank in the middle)."""
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)^(?:e\.?g\.?|i\.?e\.?|ex\.?|example:?|like|such as|todo|tbd|fixme|xxx|\.\.\.|…)"
    r"(?:[ \t:,]|$)"
)
_INLINE_COMMENT = re.compile(r"(?<![ \t])[ \t]+#(?!#)")
"""Blanks then `#`: the look-behind starts a match only at the first blank of a run, so a long
run of blanks is scanned once, not once per blank (which made the search quadratic)."""
_SPACED_COMMENT = re.compile(r"(?<![ \t])[ \t]+#[ \t]+\S")
_INSTRUCTION_LINE = re.compile(
    r"^[ \t]*(?:(?:LICENSE|TEMPLATE|SYSTEM|ADAPTER|DRAFT|RENDERER|PARSER|PARAMETER|MESSAGE|"
    r"REQUIRES)[ \t]+\S|(?i:parameter)[ \t]+(?:"
    + "|".join(sorted(PARAMETERS, key=len, reverse=True))
    + r")[ \t]+\S|(?i:message)[ \t]+"
    r"(?:system|user|assistant)[ \t]|(?i:from)[ \t]+[^ \t\r\n]+[ \t]*$)"
)
"""A line that reads like a Modelfile instruction rather than prose: an upper-case keyword, or
a lower-case one in an instruction's exact shape (so "From now on…" in a prompt is not one)."""
_SINGLE_VALUE = ("template", "system", "adapter", "draft", "renderer", "parser", "requires")


class _Linter:
    def __init__(
        self,
        text: str,
        directory: Path | None,
        raw: bytes | None = None,
        outcome: ParseOutcome | None = None,
    ) -> None:
        self.raw = raw
        self.source = TextPositions(text)
        self.bom, body = split_bom(text)
        self.shift = len(self.bom)
        self.directory = directory
        if outcome is None or outcome.text != body:
            outcome = scan_cached(body)
        self.error = outcome.error
        self.parsed = tuple(
            ParsedCommand(p.command, p.start + self.shift, p.end + self.shift)
            for p in outcome.commands
        )
        self.found: list[Diagnostic] = []

    # --- helpers ------------------------------------------------------------------------

    def add(
        self,
        code: str,
        start: int,
        end: int,
        message: str,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> None:
        line, column = self.source.position(start)
        end_line, end_column = self.source.position(max(end, start))
        self.found.append(
            Diagnostic(
                code,
                severity or RULES[code].severity,
                line,
                column,
                end_line,
                end_column,
                message,
                fix,
            )
        )

    def value_span(self, parsed: ParsedCommand) -> tuple[int, int]:
        """The value region without surrounding blanks (the quotes included)."""
        text = self.source.text
        start = value_offset(text, parsed)
        end = parsed.end
        while start < end and text[start] in " \t":
            start += 1
        while end > start and text[end - 1] in " \t":
            end -= 1
        return start, end

    def name_span(self, parsed: ParsedCommand) -> tuple[int, int]:
        """The PARAMETER name's span (or the keyword for other instructions)."""
        text = self.source.text
        match = re.compile(r".[A-Za-z]*[ \t]", re.S).match(text, parsed.start)
        if match is None:
            return parsed.start, parsed.end
        name = re.compile(r"[A-Za-z0-9_]*").match(text, match.end())
        if name is None:
            return parsed.start, parsed.end
        return name.start(), name.end()

    def keyword_span(self, parsed: ParsedCommand) -> tuple[int, int]:
        match = re.compile(r".[A-Za-z]*", re.S).match(self.source.text, parsed.start)
        end = match.end() if match is not None else parsed.end
        return parsed.start, end

    def line_of(self, offset: int) -> int:
        return self.source.position(offset)[0]

    # --- parse errors ---------------------------------------------------------------------

    def parse_errors(self) -> None:
        """Explain the parse error, then look for more: restart Ollama's parser on the line
        after an error that is confined to its line (not an open quote, which swallows the
        rest) and report what it finds there too, up to `_MAX_RECOVERED` more errors."""
        error, shift = self.error, self.shift
        recovered = 0
        while error is not None:
            first_found = len(self.found)
            self.parse_error(error, shift)
            if recovered:
                for index in range(first_found, len(self.found)):
                    self.found[index] = _without_ollama_text(self.found[index])
            if error.offset is None or recovered >= _MAX_RECOVERED:
                break
            codes = {d.code for d in self.found[first_found:]}
            if codes & {"MF006", "MF007", "MF008"} or any(
                "continues here" in d.message or "the file looks like" in d.message
                for d in self.found[first_found:]
            ):
                break
            restart = self.next_line_start(error.offset + shift)
            if restart is None:
                break
            outcome = scan(self.source.text[restart:])
            self.parsed += tuple(
                ParsedCommand(p.command, p.start + restart, p.end + restart)
                for p in outcome.commands
            )
            error = None if isinstance(outcome.error, NoFromLineError) else outcome.error
            shift = restart
            recovered += 1
        if (
            recovered
            and self.error is not None
            and not any(p.command.name == "model" for p in self.parsed)
        ):
            self.found.append(_without_ollama_text(self.no_from_diagnostic()))

    def next_line_start(self, offset: int) -> int | None:
        """Offset of the line after the one holding `offset` (None at the last line)."""
        _, line_end = self.source.line_range(offset)
        found = NEWLINES.match(self.source.text, line_end)
        if found is None or found.end() >= len(self.source.text):
            return None
        return found.end()

    def parse_error(self, error: ModelfileError, shift: int) -> None:
        if isinstance(error, NoFromLineError):
            self.found.append(self.no_from_diagnostic())
            return
        offset = error.offset + shift if error.offset is not None else None
        if offset is None:
            self.add("MF010", 0, 0, f"Ollama rejects this Modelfile: {error}")
            return
        if self.triple_closed_early(offset):
            return
        if isinstance(error, InvalidCommandError):
            self.invalid_command(error, offset)
        elif isinstance(error, InvalidRoleError):
            self.invalid_role(offset)
        elif isinstance(error, UnexpectedEOFError):
            self.unexpected_eof(error, offset)
        else:
            self.generic(error, offset)

    def generic(self, error: ModelfileError, offset: int) -> None:
        _, end = self.source.line_range(offset)
        self.add("MF010", offset, max(end, offset), f"Ollama rejects this Modelfile: {error}")

    def no_from_diagnostic(self) -> Diagnostic:
        text = self.source.text
        hint = ""
        if any(p.command.name == "from" for p in self.parsed):
            hint = " (PARAMETER from does not set the base model; write FROM <model>)"
        elif re.search(r"(?im)^[ \t]*#[ \t]*FROM[ \t]+\S", text):
            hint = " (the FROM line is commented out)"
        line, column = self.source.position(self.shift)
        return Diagnostic(
            "MF009",
            "error",
            line,
            column,
            line,
            column,
            f"no FROM line: every Modelfile needs FROM <model or path>{hint}",
        )

    def previous_command(self, offset: int) -> ParsedCommand | None:
        before = [p for p in self.parsed if p.end <= offset]
        return before[-1] if before else None

    def triple_closed_early(self, offset: int) -> bool:
        """MF008: the error follows a `\"\"\"` value that closed on a line ending in `\"\"\"`
        while a later line also ends with `\"\"\"` (so the block was meant to go on)."""
        previous = self.previous_command(offset)
        if previous is None:
            return False
        text = self.source.text
        value_start, _ = self.value_span(previous)
        if not text.startswith('"""', value_start):
            return False
        close_line_start, close_line_end = self.source.line_range(previous.end - 1)
        if self.line_of(value_start) == self.line_of(previous.end - 1):
            return False
        closing_line = text[close_line_start : previous.end]
        if closing_line.strip(" \t") == '"""':
            return False
        rest = text[previous.end :]
        if not any(line.rstrip(" \t").endswith('"""') for line in NEWLINES.split(rest)):
            return False
        keyword = KEYWORD_FOR_COMMAND.get(previous.command.name, previous.command.name.upper())
        error_line = self.line_of(offset)
        self.add(
            "MF008",
            close_line_start,
            close_line_end,
            f'this line ends with """, which closes the {keyword} opened on line '
            f"{self.line_of(value_start)} early; Ollama then reads line {error_line} as an "
            'instruction. A line inside a """ block cannot end with """: change that line '
            '(for example end it with a space and a character) or use "…" quotes',
        )
        return True

    def invalid_command(self, error: ModelfileError, offset: int) -> None:
        text = self.source.text
        line_start, line_end = self.source.line_range(offset)
        line = text[line_start:line_end]
        word_match = _WORD.match(line)
        assert word_match is not None
        word_start = line_start + word_match.start(1)
        word = word_match.group(1)
        name_match = re.match(r"[A-Za-z]*", word)
        letters = name_match.group() if name_match is not None else ""
        if letters.lower() in INSTRUCTIONS and offset > word_start:
            after = text[offset] if offset < len(text) else ""
            keyword = letters.upper()
            if after in ("\r", "\n", ""):
                self.add(
                    "MF003",
                    word_start,
                    word_start + len(letters),
                    f"{keyword} needs a blank and a value after it (Ollama: {error})",
                )
            else:
                following = text[offset + 1 : offset + 2]
                colon_fix = (
                    Fix(f"remove the {after!r}", "")
                    if after in ":=" and following in (" ", "\t")
                    else Fix(f"insert a space after {keyword}", " " + after)
                )
                self.add(
                    "MF010",
                    offset,
                    offset + 1,
                    f"{keyword} must be followed by a space or tab, not {after!r} "
                    f"(Ollama: {error})",
                    colon_fix,
                )
            return
        run = _NAME_RUN.match(word)
        name = run.group() if run is not None else ""
        if name in PARAMETERS or name in DEPRECATED_PARAMETERS:
            stripped = line.strip(" \t")
            self.add(
                "MF002",
                word_start,
                line_end,
                f"{name} is a parameter: write PARAMETER {name} … (Ollama: {error})",
                Fix("add the PARAMETER keyword", f"PARAMETER {stripped}"),
            )
            return
        keyword_length = _run_together(letters)
        if keyword_length:
            keyword, rest = letters[:keyword_length], letters[keyword_length:]
            self.add(
                "MF001",
                word_start,
                word_start + len(letters),
                f"{word[:40]!r} is not an instruction; did you mean {keyword} "
                f"{word[keyword_length:40]}? (a space is missing) (Ollama: {error})",
                Fix(f"add a space after {keyword}", f"{keyword} {rest}"),
            )
            return
        suggestion = _closest_instruction(letters) if letters else None
        message = f"{word[:40]!r} is not an instruction"
        fix: Fix | None = None
        if suggestion is not None:
            keyword = (
                suggestion.upper() if letters.isupper() or not letters.islower() else suggestion
            )
            message += f"; did you mean {suggestion.upper()}?"
            fix = Fix(f"replace with {keyword}", keyword)
        elif "\x00" in word:
            message += "; " + (
                encoding_problem(self.raw if self.raw is not None else text)
                or "it holds a NUL character, which no Modelfile contains"
            )
        else:
            hint = "" if re.fullmatch(r"[A-Z]{2,}", word) else self.continuation_hint(offset)
            message += hint or (
                "; a line must start with FROM, PARAMETER, TEMPLATE, SYSTEM, MESSAGE, ADAPTER, "
                "LICENSE, REQUIRES, RENDERER, PARSER or DRAFT, or # for a comment"
            )
        end = word_start + len(letters) if fix is not None else word_start + max(len(word), 1)
        self.add("MF001", word_start, end, f"{message} (Ollama: {error})", fix)

    def continuation_hint(self, offset: int) -> str:
        previous = self.previous_command(offset)
        if previous is None:
            return ""
        if self.line_of(previous.end) + 1 != self.line_of(offset):
            return ""
        keyword = KEYWORD_FOR_COMMAND.get(previous.command.name, "PARAMETER")
        if keyword in ("FROM", "PARAMETER", "REQUIRES", "ADAPTER", "DRAFT"):
            return ""
        if (
            quote_style(self.source.text[value_offset(self.source.text, previous) : previous.end])
            != "plain"
        ):
            return ""
        return (
            f"; it looks like the {keyword} value on line {self.line_of(previous.start)} "
            'continues here, but an unquoted value ends at its line: wrap it in """…"""'
        )

    def invalid_role(self, offset: int) -> None:
        text = self.source.text
        match = re.compile(r"[A-Za-z]*").match(text, offset)
        role = match.group() if match is not None else ""
        end = offset + len(role)
        if not role:
            self.add(
                "MF005",
                offset,
                offset + 1,
                "the MESSAGE role is empty: write exactly one blank between MESSAGE and the role",
            )
            return
        if role.lower() in MESSAGE_ROLES:
            self.add(
                "MF005",
                offset,
                end,
                f"MESSAGE roles are case-sensitive: write {role.lower()!r}, not {role!r}",
                Fix(f"use {role.lower()}", role.lower()),
            )
            return
        hint = ""
        if role.lower() == "tool":
            hint = " (tool results cannot be given as MESSAGE in a Modelfile)"
        self.add(
            "MF005",
            offset,
            end,
            f"MESSAGE role {role!r} is not accepted: use system, user or assistant{hint}",
        )

    def unexpected_eof(self, error: ModelfileError, offset: int) -> None:
        text = self.source.text
        message = str(error)
        if message.startswith("unexpected EOF: ") or message == "unexpected EOF: ":
            self.bad_name_or_role(error, offset)
            return
        if offset < len(text) and text[offset] == '"':
            if not self.text_after_quote(offset):
                self.unclosed_quote(offset)
            return
        line_start, _ = self.source.line_range(max(offset - 1, 0))
        word = text[line_start:offset].strip(" \t")
        self.add(
            "MF003",
            line_start
            + (len(text[line_start:offset]) - len(text[line_start:offset].lstrip(" \t"))),
            offset,
            f"{word[:40]!r} at the end of the file has no value (Ollama: unexpected EOF)",
        )

    def bad_name_or_role(self, error: ModelfileError, offset: int) -> None:
        text = self.source.text
        line_start, _ = self.source.line_range(offset)
        keyword = text[line_start:offset].strip(" \t").split()
        is_message = bool(keyword) and keyword[0].lower() == "message"
        partial = str(error)[len("unexpected EOF: ") :]
        after = text[offset] if offset < len(text) else ""
        if after in ("\r", "\n", ""):
            what = "MESSAGE role" if is_message else "parameter"
            self.add(
                "MF003",
                offset - len(partial),
                offset,
                f"{what} {partial!r} has no value after it (Ollama: {error})",
            )
            return
        if is_message:
            role_match = re.compile(r"\"?([A-Za-z]+)\"?:?").match(text, offset - len(partial))
            fix = None
            if role_match is not None and role_match.group(1) in MESSAGE_ROLES:
                fix = Fix(f"write the role as {role_match.group(1)}", role_match.group(1))
            end = role_match.end() if role_match is not None else offset + 1
            self.add(
                "MF005",
                offset - len(partial),
                end,
                f"a MESSAGE role is a bare word followed by a blank; {after!r} is not allowed "
                f"here (Ollama: {error})",
                fix,
            )
            return
        name_match = _NAME_RUN.match(text, offset - len(partial))
        written = name_match.group() if name_match is not None else partial
        end = offset - len(partial) + len(written)
        candidate = re.sub(r"[^A-Za-z0-9_]", "_", written)
        fix = None
        suggestion = ""
        if candidate in PARAMETERS:
            fix = Fix(f"use {candidate}", candidate)
            suggestion = f"; did you mean {candidate}?"
        elif after == '"':
            suggestion = "; parameter names are not quoted"
        self.add(
            "MF004",
            offset - len(partial),
            max(end, offset + 1),
            f"parameter name {written!r} may only hold letters, digits and _{suggestion} "
            f"(Ollama: {error})",
            fix,
        )

    def text_after_quote(self, quote: int) -> bool:
        """MF007 when the opening line closes its quote and goes on; True if reported."""
        text = self.source.text
        _, line_end = self.source.line_range(quote)
        line = text[quote:line_end].rstrip(" \t")
        closing = '"""' if line.startswith('"""') else '"'
        body_from = len(closing)
        found = line.find(closing, body_from)
        if found < 0 or found + len(closing) >= len(line):
            return False
        after_start = quote + found + len(closing)
        trailing = text[after_start : quote + len(line)]
        if not trailing.strip(" \t"):
            return False
        stripped = trailing.strip(" \t")
        fix_text = ""
        description = "remove the text after the closing quote"
        if stripped.startswith("#"):
            description = "remove the comment (a # after a value is not a comment)"
        self.add(
            "MF007",
            after_start,
            quote + len(line),
            f"{stripped[:40]!r} after the closing quote keeps the value open, so it swallows "
            "the following lines until the end of the file (Ollama: unexpected EOF)",
            Fix(description, fix_text),
        )
        return True

    def unclosed_quote(self, quote: int) -> None:
        text = self.source.text
        triple = text.startswith('"""', quote)
        closing = '"""' if triple else '"'
        self.add(
            "MF006",
            quote,
            quote + len(closing),
            f"the {closing} opened on line {self.line_of(quote)} is never closed, so it swallows "
            f"everything to the end of the file (Ollama: unexpected EOF); end the value with a "
            f"line whose text ends with {closing}",
        )

    # --- commands -------------------------------------------------------------------------

    def commands(self) -> None:
        parameters: dict[str, list[ParsedCommand]] = {}
        for parsed in self.parsed:
            name = parsed.command.name
            if name == "model":
                self.check_from(parsed)
            elif name == "requires":
                self.check_requires(parsed)
            elif name == "message" or name in INSTRUCTION_COMMANDS:
                pass
            else:
                parameters.setdefault(name, []).append(parsed)
                self.check_parameter(parsed)
            self.check_swallowed(parsed)
        self.check_repeats(parameters)
        self.check_duplicates()
        self.check_template(parameters.get("stop", []))
        self.check_local_paths()
        self.check_line_endings()

    def check_from(self, parsed: ParsedCommand) -> None:
        value = parsed.command.args
        start, end = self.value_span(parsed)
        if value.strip() == "":
            self.add(
                "MF035",
                parsed.start,
                parsed.end,
                "FROM has no model name or path: the server refuses the create with "
                "\"neither 'from' or 'files' was specified\"",
            )
            return
        if _is_placeholder(value, strict=True):
            self.add("MF023", start, end, f"FROM {value!r} looks like a placeholder left in")
            return
        comment = _INLINE_COMMENT.search(value)
        if comment is not None and quote_style(self.source.text[start:end]) == "plain":
            before = value[: comment.start()]
            self.add(
                "MF022",
                start,
                end,
                f"{value[comment.start() :].strip()!r} is part of the model name: a # only starts "
                "a comment at the start of a line",
                Fix("drop the comment (put it on its own line above)", before.rstrip(" \t")),
            )

    def check_requires(self, parsed: ParsedCommand) -> None:
        try:
            build_create_request([parsed.command], None)
        except CreateRequestError as error:
            start, end = self.value_span(parsed)
            self.add("MF034", start, end, f"REQUIRES {parsed.command.args!r}: {error}")

    def check_parameter(self, parsed: ParsedCommand) -> None:
        name, value = parsed.command.name, parsed.command.args
        name_start, name_end = self.name_span(parsed)
        value_start, value_end = self.value_span(parsed)
        if name == "":
            first, _, rest = value.partition(" ")
            fix = None
            if first in PARAMETERS:
                fix = Fix(f"write PARAMETER {first} {rest}", f"PARAMETER {first} {rest}".rstrip())
            self.add(
                "MF028",
                parsed.start,
                parsed.end,
                "two blanks after PARAMETER make the parameter name empty "
                f"(the whole {value[:30]!r} becomes the value)",
                fix,
            )
            return
        if name in DEPRECATED_PARAMETERS:
            line_start, line_end = self.source.full_line_range(parsed.start, parsed.end)
            self.add(
                "MF025",
                line_start,
                line_end,
                f"{name} is deprecated: create prints 'warning: parameter {name} is deprecated' "
                "and drops it",
                Fix("remove the line", ""),
            )
            return
        spec = PARAMETERS.get(name)
        if spec is None:
            self.unknown_parameter(parsed, name, name_start, name_end)
            return
        if spec.kind != "string_list" and _is_placeholder(value, strict=True):
            self.add(
                "MF023",
                value_start,
                value_end,
                f"{value!r} looks like a placeholder: give {name} a {spec.kind} value",
            )
            return
        if spec.kind == "string_list":
            if _is_placeholder(value, strict=False):
                self.add(
                    "MF023", value_start, value_end, f"stop {value!r} looks like a placeholder"
                )
            comment = _INLINE_COMMENT.search(value)
            raw = self.source.text[value_start:value_end]
            if (
                comment is not None
                and quote_style(raw) == "plain"
                and _SPACED_COMMENT.search(value)
            ):
                before = value[: comment.start()]
                self.add(
                    "MF022",
                    value_start,
                    value_end,
                    f"the stop string is {value!r}: the {value[comment.start() :].strip()!r} after "
                    "it looks like a comment but is part of the value",
                    Fix("drop the comment", before.rstrip(" \t")),
                    severity="warning",
                )
            return
        try:
            request = build_create_request([parsed.command], None)
        except CreateMarshalError as error:
            self.add(
                "MF027",
                value_start,
                value_end,
                f"{name} {value}: typing accepts it, but the request cannot be sent as JSON, so "
                f"create fails ({error})",
            )
            return
        except CreateRequestError as error:
            comment = _INLINE_COMMENT.search(value)
            if comment is not None:
                before = value[: comment.start()].rstrip(" \t")
                self.add(
                    "MF022",
                    value_start,
                    value_end,
                    f"{value[comment.start() :].strip()!r} is part of the {name} value (a # only "
                    f"starts a comment at the start of a line), so create fails: {error}",
                    Fix("drop the comment (put it on its own line above)", before),
                )
            else:
                self.add("MF021", value_start, value_end, f"{name}: {error}")
            return
        params = request.body.get("parameters")
        typed = params.get(name) if isinstance(params, dict) else None
        if isinstance(typed, bool) or not isinstance(typed, (int, float)):
            return
        number = float(typed)
        low, high = spec.minimum, spec.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = (
                f"between {_number(low)} and {_number(high)}"
                if low is not None and high is not None
                else f"at least {_number(low)}"
                if low is not None
                else f"at most {_number(high)}"
            )
            self.add(
                "MF024",
                value_start,
                value_end,
                f"{name} {value} is out of range: it should be {bounds} ({spec.description})",
            )

    def unknown_parameter(self, parsed: ParsedCommand, name: str, start: int, end: int) -> None:
        known = list(PARAMETERS)
        fix = None
        if name.lower() in PARAMETERS:
            message = (
                f"unknown parameter {name!r}: parameter names are case-sensitive, "
                f"write {name.lower()}"
            )
            fix = Fix(f"use {name.lower()}", name.lower())
        elif name in REMOVED_PARAMETERS or name.lower() in REMOVED_PARAMETERS:
            message = (
                f"Ollama no longer accepts {name!r} (create fails with unknown parameter): "
                f"{REMOVED_PARAMETERS.get(name, REMOVED_PARAMETERS.get(name.lower(), ''))}"
            )
            fix = Fix("remove the line", "")
        elif name in ("from", "model"):
            message = f"PARAMETER {name} is not how the base model is set: write FROM <model>"
        else:
            close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.7)
            message = f"unknown parameter {name!r}: create fails"
            if close:
                message += f"; did you mean {close[0]}?"
                fix = Fix(f"use {close[0]}", close[0])
        if fix is not None and fix.replacement == "":
            # Removing the whole line: report on the full line so the fix replaces it.
            line_start, line_end = self.source.full_line_range(parsed.start, parsed.end)
            self.add("MF020", line_start, line_end, message, fix)
            return
        self.add("MF020", start, end, message, fix)

    def check_swallowed(self, parsed: ParsedCommand) -> None:
        args = parsed.command.args
        if "\n" not in args and "\r" not in args:
            return  # a value that spans lines keeps the line breaks between them
        text = self.source.text
        start, end = self.value_span(parsed)
        style = quote_style(text[start:end])
        if style == "plain" or self.line_of(start) == self.line_of(parsed.end):
            return
        _, first_line_end = self.source.line_range(start)
        first_line = text[start:first_line_end].rstrip(" \t")
        closing = '"""' if style == "triple" else '"'
        inner_close = first_line.find(closing, len(closing))
        if inner_close >= 0 and inner_close + len(closing) < len(first_line):
            trailing = first_line[inner_close + len(closing) :].strip(" \t")
            self.add(
                "MF007",
                start + inner_close + len(closing),
                first_line_end,
                f"{trailing[:40]!r} after the closing quote keeps the value open until line "
                f"{self.line_of(parsed.end)}, swallowing the lines in between",
                Fix("remove the text after the closing quote", ""),
            )
            return
        body = text[first_line_end : parsed.end]
        for line_match in re.finditer(r"[^\r\n]+", body):
            if _INSTRUCTION_LINE.match(line_match.group()):
                keyword = KEYWORD_FOR_COMMAND.get(parsed.command.name, "PARAMETER")
                offset = first_line_end + line_match.start()
                self.add(
                    "MF011",
                    start,
                    start + len(closing),
                    f"the {keyword} value quoted on line {self.line_of(start)} runs to line "
                    f"{self.line_of(parsed.end)} and swallows line {self.line_of(offset)} "
                    f"({line_match.group().strip()[:40]!r}), which looks like an instruction; "
                    "is a closing quote missing?",
                )
                return

    def check_repeats(self, parameters: dict[str, list[ParsedCommand]]) -> None:
        for name, occurrences in parameters.items():
            if name in ("stop", "") or name in DEPRECATED_PARAMETERS or len(occurrences) < 2:
                continue
            last = occurrences[-1]
            for earlier in occurrences[:-1]:
                line_start, line_end = self.source.full_line_range(earlier.start, earlier.end)
                self.add(
                    "MF026",
                    line_start,
                    line_end,
                    f"{name} is set again on line {self.line_of(last.start)}; only the last "
                    f"value ({last.command.args!r}) is used",
                    Fix("remove this earlier line", ""),
                )

    def check_duplicates(self) -> None:
        by_name: dict[str, list[ParsedCommand]] = {}
        for parsed in self.parsed:
            if parsed.command.name in _SINGLE_VALUE:
                by_name.setdefault(parsed.command.name, []).append(parsed)
        for name, occurrences in by_name.items():
            if len(occurrences) < 2:
                continue
            keyword = KEYWORD_FOR_COMMAND[name]
            last = occurrences[-1]
            for earlier in occurrences[:-1]:
                start, end = self.keyword_span(earlier)
                self.add(
                    "MF030",
                    start,
                    end,
                    f"{keyword} is given again on line {self.line_of(last.start)}; only the last "
                    "one is used",
                )

    def check_template(self, stops: list[ParsedCommand]) -> None:
        templates = [p for p in self.parsed if p.command.name == "template"]
        for parsed in templates:
            value = parsed.command.args
            check = check_template(value)
            base = self.value_base(parsed)
            for problem in check.problems:
                if base is None:
                    start, end = self.keyword_span(parsed)
                else:
                    start, end = base + problem.offset, base + problem.end_offset
                # Create sends only the last TEMPLATE; that one gets the server's exact refusal.
                refusal = (
                    f" (Ollama's create refuses it: {problem.create_error})"
                    if parsed is templates[-1]
                    else ""
                )
                self.add("MF032", start, end, f"TEMPLATE: {problem.message}{refusal}")
        if not templates or not stops:
            return
        template = templates[-1].command.args
        for parsed in stops:
            stop = parsed.command.args
            if stop.strip() == "" or stop in template:
                continue
            start, end = self.value_span(parsed)
            self.add(
                "MF031",
                start,
                end,
                f"stop {stop!r} never appears in the TEMPLATE (line "
                f"{self.line_of(templates[-1].start)}); check it is a token this model emits",
            )

    def value_base(self, parsed: ParsedCommand) -> int | None:
        """Offset in the text where the unquoted value starts, when it can be mapped exactly."""
        text = self.source.text
        start, _ = self.value_span(parsed)
        style = quote_style(text[start : parsed.end])
        base = start + {"triple": 3, "double": 1, "plain": 0}[style]
        value = parsed.command.args
        if text.startswith(value, base):
            return base
        return None

    def check_local_paths(self) -> None:
        """MF036 for each FROM path create could not look at, MF033 for the first local
        file when there is no TEMPLATE. The folder is consulted only when `directory` is
        given; `~user` is expanded always, as create does whatever the folder."""
        gguf_reported = any(p.command.name == "template" for p in self.parsed)
        for parsed in self.parsed:
            if parsed.command.name != "model" or not parsed.command.args:
                continue
            value = parsed.command.args
            try:
                local = self.local_file(value)
            except CreateRequestError as error:
                start, end = self.value_span(parsed)
                reason = str(error)
                if len(reason) > _MAX_REASON:  # keep the start of the path and the OS reason
                    half = _MAX_REASON // 2
                    reason = reason[:half] + "…" + reason[-half:]
                self.add(
                    "MF036",
                    start,
                    end,
                    f"FROM {value[:40]!r} cannot be looked at, so Ollama's create fails: {reason}",
                )
                continue
            if local and not gguf_reported:
                gguf_reported = True
                start, end = self.value_span(parsed)
                self.add(
                    "MF033",
                    start,
                    end,
                    "FROM a local GGUF file without TEMPLATE: Ollama guesses the chat template "
                    "from the file's metadata and falls back to sending the bare prompt; add "
                    "the TEMPLATE (and stop parameters) of the model's family",
                )

    def local_file(self, value: str) -> bool:
        """Whether FROM `value` is a local weights file (a `.gguf` name, or a regular file
        in the Modelfile's folder); raises CreateRequestError as create would."""
        if self.directory is None:
            if value.startswith("~") and not value.startswith("~/") and value != "~":
                expand_path(value, "")  # an unknown user fails before any file is read
            return value.lower().endswith(".gguf")
        status = stat_local_path(expand_path(value, str(self.directory)))
        if value.lower().endswith(".gguf"):
            return True
        return status is not None and stat.S_ISREG(status.st_mode)

    def check_line_endings(self) -> None:
        text = self.source.text
        if self.bom:
            self.add(
                "MF041",
                0,
                1,
                "the file starts with a byte-order mark; Ollama skips it, but other tools may not",
            )
        if "\r\n" not in text:
            return
        carrying = [p for p in self.parsed if "\r" in p.command.args]
        if carrying:
            parsed = carrying[0]
            keyword = KEYWORD_FOR_COMMAND.get(
                parsed.command.name, "PARAMETER " + parsed.command.name
            )
            start, end = self.keyword_span(parsed)
            self.add(
                "MF040",
                start,
                end,
                f"CRLF line endings: the {keyword} value keeps a \\r before each line break, and "
                "that text is sent to the server; save the file with LF endings",
                severity="warning",
            )
            return
        self.add(
            "MF040",
            0,
            0,
            "CRLF line endings: Ollama reads CR and LF as two line breaks (error line numbers "
            "double) and keeps \\r inside multi-line quoted values",
        )

    def run(self) -> list[Diagnostic]:
        self.parse_errors()
        self.commands()
        for code, parsed, message in prompt_findings(self.parsed if self.error is None else ()):
            self.add(code, *self.value_span(parsed), message)
        self.found.sort(key=lambda d: (d.line, d.column, d.code))
        return self.found


_MAX_REASON = 300
"""Longest error text quoted in MF036 whole (a path can be as long as the file; a longer
one keeps its start and its end, where the OS reason is)."""

_MAX_RECOVERED = 20
"""How many further parse errors lint looks for after the first one."""

_OLLAMA_SUFFIX = re.compile(r" \(Ollama: .*\)$", re.S)


def _without_ollama_text(diagnostic: Diagnostic) -> Diagnostic:
    """A diagnostic found after an earlier parse error: Ollama's own text would only appear
    once the earlier errors are fixed, and its line number would be off, so it is dropped."""
    message = _OLLAMA_SUFFIX.sub("", diagnostic.message)
    return dataclasses.replace(diagnostic, message=message)


def _run_together(letters: str) -> int:
    """The length of the instruction `letters` starts with when the next word was typed right
    against it (`SYSTEMYou`, `FROMllama`, `systemyou`), else 0. A rest of one letter, or an
    upper-case rest after an upper-case instruction, is a misspelling (`SYSTEMS`, `messages`),
    not a missing space."""
    lowered = letters.lower()
    for name in sorted(INSTRUCTIONS, key=len, reverse=True):
        rest = letters[len(name) :]
        if not lowered.startswith(name) or len(rest) < 2:
            continue
        if letters[: len(name)].isupper() and rest.isupper():
            continue
        return len(name)
    return 0


def _closest_instruction(word: str) -> str | None:
    lowered = word.lower()
    if lowered in ("model", "base"):
        return "from"
    if lowered in ("param", "params", "parameters", "set"):
        return "parameter"
    if lowered in ("prompt", "sys"):
        return "system"
    if lowered in ("messages", "msg"):
        return "message"
    close = difflib.get_close_matches(lowered, INSTRUCTIONS, n=1, cutoff=0.7)
    return close[0] if close else None


def _is_placeholder(value: str, *, strict: bool) -> bool:
    """Whether `value` reads like template text someone forgot to fill in."""
    stripped = value.strip()
    if any(_has_blank(match.group(1)) for match in _ANGLE_RUN.finditer(stripped)):
        return True
    if strict and re.fullmatch(r"<[^<>|]+>", stripped) is not None:
        return True
    return strict and _PLACEHOLDER_WORDS.match(stripped) is not None


def _has_blank(text: str) -> bool:
    return " " in text or "\t" in text


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def lint(
    text: str | bytes, *, directory: Path | None = None, outcome: ParseOutcome | None = None
) -> list[Diagnostic]:
    """All diagnostics for a Modelfile, sorted by position; never raises.

    `bytes` are decoded as Ollama decodes them (a UTF-8 or UTF-16 BOM is kept as U+FEFF at the
    start of the text so it can be reported). `directory` is the Modelfile's folder, used to
    tell whether FROM names a local file. `outcome` is the caller's `scan()` of the text after
    its BOM (`analysis.analyse` passes it so the text is scanned once); another text's outcome
    is ignored.
    """
    raw = None
    if isinstance(text, bytes):
        raw = text
        bom = text.startswith(_BOMS)
        text = ("\ufeff" if bom else "") + decode(text)
    return _Linter(text, directory, raw, outcome).run()


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_UTF16_WITHOUT_BOM = "the file looks like UTF-16 without a byte order mark; save it as UTF-8"
BINARY_INPUT = "the file looks like binary data, not a Modelfile"


def encoding_problem(data: str | bytes) -> str:
    """Why an input that holds NUL characters is not Modelfile text: UTF-16 without a byte
    order mark (NULs in every other position) or binary data; "" for text without NULs or
    with a BOM. One wording for `modelfile parse`, `modelfile lint` and the editor; `str`
    input is judged by code points, as the editor holds it."""
    if isinstance(data, bytes):
        if data.startswith(_BOMS) or b"\x00" not in data:
            return ""
        sample = data[:4096]
        odd_nuls, even_nuls, size = sample[1::2].count(0), sample[0::2].count(0), len(sample)
    else:
        if data.startswith("\ufeff") or "\x00" not in data:
            return ""
        text = data[:4096]
        odd_nuls, even_nuls, size = text[1::2].count("\x00"), text[0::2].count("\x00"), len(text)
    pairs = max(size // 2, 1)
    if max(odd_nuls, even_nuls) >= pairs * 0.3 and min(odd_nuls, even_nuls) <= pairs * 0.05:
        return _UTF16_WITHOUT_BOM
    return BINARY_INPUT


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Whether any diagnostic is an error."""
    return any(diagnostic.severity == "error" for diagnostic in diagnostics)
