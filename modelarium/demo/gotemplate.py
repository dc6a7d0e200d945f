"""A syntax check for Go `text/template` source, as Ollama runs it on a create's template.

It reproduces the parse errors a template author actually meets, with Go's wording and line
numbers: `unclosed action`, `unexpected EOF` (a block without `{{end}}`), `unexpected {{end}}`,
`unexpected {{else}}`, `function "x" not defined`, `undefined variable "$x"`,
`unterminated quoted string`, `unclosed comment`, `missing value for if`, and friends. Errors
read `template: :<line>: <reason>` (the template has no name).
"""

from __future__ import annotations

from dataclasses import dataclass

BUILTIN_FUNCTIONS = frozenset(
    {
        "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
        "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
    }
)  # fmt: skip
"""Go's predefined template functions."""

OLLAMA_FUNCTIONS = frozenset({"json", "currentDate", "yesterdayDate", "toTypeScriptType"})
"""Functions Ollama adds to its templates."""

_KEYWORDS = frozenset(
    {"if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"}
)


class TemplateSyntaxError(ValueError):
    """A template Go's parser rejects; `str()` is `template: :<line>: <reason>`."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"template: :{line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    value: str
    line: int


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.line = 1
        self.tokens: list[_Token] = []

    def run(self) -> list[_Token]:
        while self.position < len(self.text):
            start = self.text.find("{{", self.position)
            if start < 0:
                self._advance_to(len(self.text))
                break
            self._advance_to(start)
            if not self._action():
                return self.tokens
        self.tokens.append(_Token("eof", "", self.line))
        return self.tokens

    def _advance_to(self, end: int) -> None:
        self.line += self.text.count("\n", self.position, end)
        self.position = end

    def _error(self, reason: str, line: int | None = None) -> bool:
        self.tokens.append(_Token("error", reason, self.line if line is None else line))
        return False

    def _action(self) -> bool:
        """Lex one action starting at `{{`; False after an error token."""
        text = self.text
        self.position += 2
        if text[self.position : self.position + 1] == "-" and text[
            self.position + 1 : self.position + 2
        ] in (" ", "\t", "\n", "\r"):
            self.position += 1
        after_space = self.position
        while after_space < len(text) and text[after_space] in " \t\r\n":
            after_space += 1
        if text.startswith("/*", after_space):
            return self._comment(after_space)
        self.tokens.append(_Token("left", "{{", self.line))
        while True:
            if self.position >= len(text):
                return self._error("unclosed action")
            character = text[self.position]
            if character in " \t\r\n":
                space_end = self.position
                while space_end < len(text) and text[space_end] in " \t\r\n":
                    space_end += 1
                if text.startswith("-}}", space_end) and space_end > self.position:
                    self._advance_to(space_end + 3)
                    self.tokens.append(_Token("right", "}}", self.line))
                    return True
                self._advance_to(space_end)
                self.tokens.append(_Token("space", " ", self.line))
                continue
            if text.startswith("}}", self.position):
                self.position += 2
                self.tokens.append(_Token("right", "}}", self.line))
                return True
            if not self._inside_token(character):
                return False

    def _comment(self, start: int) -> bool:
        end = self.text.find("*/", start + 2)
        if end < 0:
            return self._error("unclosed comment")
        self._advance_to(end + 2)
        rest = self.text[self.position :]
        stripped = rest.lstrip(" \t\r\n")
        if stripped.startswith("-}}") and len(stripped) < len(rest):
            self._advance_to(self.position + len(rest) - len(stripped) + 3)
            return True
        if rest.startswith("}}"):
            self.position += 2
            return True
        return self._error("comment ends before closing delimiter")

    def _inside_token(self, character: str) -> bool:
        text = self.text
        line = self.line
        start = self.position
        if character == '"':
            index = start + 1
            while index < len(text):
                if text[index] == "\\" and index + 1 < len(text) and text[index + 1] != "\n":
                    index += 2
                    continue
                if text[index] in '"\n':
                    break
                index += 1
            if index >= len(text) or text[index] == "\n":
                return self._error("unterminated quoted string")
            self.position = index + 1
            self.tokens.append(_Token("string", text[start : self.position], line))
            return True
        if character == "`":
            end = text.find("`", start + 1)
            if end < 0:
                return self._error("unterminated raw quoted string")
            self._advance_to(end + 1)
            self.tokens.append(_Token("string", text[start : end + 1], line))
            return True
        if character == "'":
            end = text.find("'", start + 1)
            if end < 0 or "\n" in text[start:end]:
                return self._error("unterminated character constant")
            self.position = end + 1
            self.tokens.append(_Token("char", text[start : end + 1], line))
            return True
        if text.startswith(":=", start):
            self.position += 2
            self.tokens.append(_Token("declare", ":=", line))
            return True
        single = {"|": "pipe", "(": "lparen", ")": "rparen", "=": "assign", ",": "comma"}
        if character in single:
            self.position += 1
            self.tokens.append(_Token(single[character], character, line))
            return True
        if character == "$" or character == "." or character.isalpha() or character == "_":
            index = start + 1
            while index < len(text) and (text[index].isalnum() or text[index] in "_."):
                if text[index] == "." and character != "." and character != "$":
                    break
                index += 1
            word = text[start:index]
            self.position = index
            if character == "$":
                variable, _, fields = word.partition(".")
                self.tokens.append(_Token("variable", variable, line))
                if fields:
                    self.tokens.append(_Token("field", "." + fields, line))
            elif character == ".":
                if len(word) > 1 and word[1].isdigit():
                    self.tokens.append(_Token("number", word, line))
                else:
                    self.tokens.append(_Token("field" if len(word) > 1 else "dot", word, line))
            elif word in _KEYWORDS:
                self.tokens.append(_Token("keyword", word, line))
            elif word in ("true", "false"):
                self.tokens.append(_Token("bool", word, line))
            elif word == "nil":
                self.tokens.append(_Token("nil", word, line))
            else:
                self.tokens.append(_Token("identifier", word, line))
            return True
        if character.isdigit() or (
            character in "+-" and start + 1 < len(text) and text[start + 1].isdigit()
        ):
            index = start + 1
            while index < len(text) and (text[index].isalnum() or text[index] in "._+-"):
                index += 1
            self.position = index
            self.tokens.append(_Token("number", text[start:index], line))
            return True
        if character.isascii() and character.isprintable():
            # Go lexes it as a lone character, which no operand accepts.
            return self._error(f'unexpected "{character}" in operand')
        return self._error(f"unrecognized character in action: {_describe_rune(character)}")


def _describe_rune(character: str) -> str:
    code = ord(character)
    return f"U+{code:04X} '{character}'" if character.isprintable() else f"U+{code:04X}"


class _Parser:
    def __init__(self, tokens: list[_Token], functions: frozenset[str]) -> None:
        self.tokens = tokens
        self.index = 0
        self.functions = functions
        self.scopes: list[list[str]] = [["$"]]
        # Each open block: (keyword, line) -- `if`, `range`, `with`, `define`, `block`.
        self.blocks: list[str] = []
        self.range_depth = 0

    def _next(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _action_tokens(self) -> list[_Token]:
        tokens: list[_Token] = []
        while True:
            token = self._next()
            if token.kind == "error":
                raise TemplateSyntaxError(token.line, token.value)
            if token.kind == "right":
                return tokens
            if token.kind != "space":
                tokens.append(token)

    def run(self) -> None:
        while True:
            token = self._next()
            if token.kind == "error":
                raise TemplateSyntaxError(token.line, token.value)
            if token.kind == "eof":
                if self.blocks:
                    raise TemplateSyntaxError(token.line, "unexpected EOF")
                return
            if token.kind == "left":
                self._action(token.line, self._action_tokens())

    def _declared(self, name: str) -> bool:
        return any(name in scope for scope in self.scopes)

    def _action(self, line: int, tokens: list[_Token]) -> None:
        if not tokens:
            raise TemplateSyntaxError(line, "missing value for command")
        head = tokens[0]
        if head.kind != "keyword":
            self._pipeline(tokens, "command", head.line, declare_scope=self.scopes[-1])
            return
        keyword, rest = head.value, tokens[1:]
        if keyword in ("if", "range", "with"):
            self.scopes.append([])
            self.blocks.append(keyword)
            if keyword == "range":
                self.range_depth += 1
            self._pipeline(rest, keyword, head.line, declare_scope=self.scopes[-1])
        elif keyword == "else":
            if not self.blocks or self.blocks[-1] not in ("if", "range", "with"):
                raise TemplateSyntaxError(head.line, "unexpected {{else}}")
            if rest and rest[0].kind == "keyword" and rest[0].value in ("if", "with"):
                self._pipeline(rest[1:], rest[0].value, head.line, declare_scope=self.scopes[-1])
            elif rest:
                raise TemplateSyntaxError(head.line, f"unexpected {_quote(rest[0])} in else")
        elif keyword == "end":
            if not self.blocks:
                raise TemplateSyntaxError(head.line, "unexpected {{end}}")
            if rest:
                raise TemplateSyntaxError(head.line, f"unexpected {_quote(rest[0])} in end")
            closed = self.blocks.pop()
            if closed == "range":
                self.range_depth -= 1
            self.scopes.pop()
        elif keyword in ("define", "block", "template"):
            if not rest or rest[0].kind != "string":
                raise TemplateSyntaxError(
                    head.line, f"unexpected {_describe(rest)} in {keyword} clause"
                )
            if keyword == "template":
                if len(rest) > 1:
                    self._pipeline(rest[1:], keyword, head.line, declare_scope=self.scopes[-1])
                return
            self.scopes.append(["$"] if keyword == "define" else [])
            self.blocks.append(keyword)
            if keyword == "block" and len(rest) > 1:
                self._pipeline(rest[1:], keyword, head.line, declare_scope=self.scopes[-1])
        elif keyword in ("break", "continue") and self.range_depth == 0:
            raise TemplateSyntaxError(head.line, f"{{{{{keyword}}}}} outside {{{{range}}}}")

    def _pipeline(
        self, tokens: list[_Token], context: str, line: int, *, declare_scope: list[str]
    ) -> None:
        if not tokens:
            raise TemplateSyntaxError(line, f"missing value for {context}")
        position = 0
        declared: list[str] = []
        # Declarations: `$x :=`, `$i, $v :=` (range), or an assignment `$x =`.
        if tokens[0].kind == "variable" and len(tokens) > 1:
            if tokens[1].kind in ("declare", "assign"):
                declared.append(tokens[0].value)
                if tokens[1].kind == "assign" and not self._declared(tokens[0].value):
                    raise TemplateSyntaxError(
                        tokens[0].line, f'undefined variable "{tokens[0].value}"'
                    )
                position = 2
            elif (
                tokens[1].kind == "comma"
                and len(tokens) > 3
                and tokens[2].kind == "variable"
                and tokens[3].kind in ("declare", "assign")
            ):
                declared.extend([tokens[0].value, tokens[2].value])
                position = 4
        remaining = tokens[position:]
        if not remaining:
            raise TemplateSyntaxError(line, f"missing value for {context}")
        self._commands(remaining, line)
        declare_scope.extend(declared)

    def _commands(self, tokens: list[_Token], line: int) -> None:
        depth = 0
        operands = 0
        for token in tokens:
            if token.kind == "pipe":
                if operands == 0:
                    raise TemplateSyntaxError(token.line, "missing value for command")
                operands = 0
                continue
            if token.kind == "lparen":
                depth += 1
                operands += 1
                continue
            if token.kind == "rparen":
                depth -= 1
                if depth < 0:
                    raise TemplateSyntaxError(token.line, "unexpected right paren")
                continue
            if token.kind == "identifier" and token.value not in self.functions:
                raise TemplateSyntaxError(token.line, f'function "{token.value}" not defined')
            if token.kind == "variable" and not self._declared(token.value):
                raise TemplateSyntaxError(token.line, f'undefined variable "{token.value}"')
            if token.kind == "keyword":
                raise TemplateSyntaxError(token.line, f"unexpected <{token.value}> in command")
            if token.kind in ("declare", "assign", "comma"):
                raise TemplateSyntaxError(token.line, f"unexpected {_quote(token)} in command")
            operands += 1
        if depth > 0:
            raise TemplateSyntaxError(tokens[-1].line, "unclosed left paren")
        if operands == 0:
            raise TemplateSyntaxError(line, "missing value for command")


def _quote(token: _Token) -> str:
    return f'"{token.value}"'


def _describe(tokens: list[_Token]) -> str:
    return _quote(tokens[0]) if tokens else '"}}"'


def check_template(
    text: str, *, functions: frozenset[str] = BUILTIN_FUNCTIONS | OLLAMA_FUNCTIONS
) -> None:
    """Raise `TemplateSyntaxError` when Go's `template.Parse` would reject `text`."""
    tokens = _Lexer(text).run()
    _Parser(tokens, functions).run()
