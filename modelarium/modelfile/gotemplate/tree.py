"""Go `text/template` parse trees (`text/template/parse`'s nodes) built from the lexer's items.

`build(text)` runs only on a template the checker in `parse.py` accepted, so it reads the items
without re-checking Go's grammar. Nodes keep Go's positions (offsets of the item Go records)
and print as Go's `Node.String()`, which execution errors quote. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from modelarium.modelfile.golang.strconv import quote
from modelarium.modelfile.gotemplate.parse import Item, check_and_lex

_SPACE = " \t\r\n"
_BLANKS = frozenset(_SPACE)


class Node:
    """A parse node; `pos` is the offset (in characters) Go records for it."""

    __slots__ = ("pos",)

    def __init__(self, pos: int) -> None:
        self.pos = pos


class TextNode(Node):
    """Literal text between actions (trim markers already applied)."""

    __slots__ = ("text",)

    def __init__(self, pos: int, text: str) -> None:
        super().__init__(pos)
        self.text = text

    def __str__(self) -> str:
        return quote(self.text)


class ListNode(Node):
    """A sequence of nodes: a template body, a branch or an else-list."""

    __slots__ = ("nodes",)

    def __init__(self, pos: int, nodes: list[Node] | None = None) -> None:
        super().__init__(pos)
        self.nodes: list[Node] = nodes if nodes is not None else []

    def __str__(self) -> str:
        return "".join(str(node) for node in self.nodes)


class DotNode(Node):
    """`.`: the current value."""

    __slots__ = ()

    def __str__(self) -> str:
        return "."


class NilNode(Node):
    """The `nil` constant."""

    __slots__ = ()

    def __str__(self) -> str:
        return "nil"


class BoolNode(Node):
    """`true` or `false`."""

    __slots__ = ("value",)

    def __init__(self, pos: int, value: bool) -> None:
        super().__init__(pos)
        self.value = value

    def __str__(self) -> str:
        return "true" if self.value else "false"


class NumberNode(Node):
    """A number constant: `value` is an int, float or complex as Go's `idealConstant` gives it
    (None when it overflows Go's int)."""

    __slots__ = ("text", "value")

    def __init__(self, pos: int, text: str, value: int | float | complex | None) -> None:
        super().__init__(pos)
        self.text = text
        self.value = value

    def __str__(self) -> str:
        return self.text


class StringNode(Node):
    """A quoted or raw string: `quoted` as written, `text` unquoted."""

    __slots__ = ("quoted", "text")

    def __init__(self, pos: int, quoted: str, text: str) -> None:
        super().__init__(pos)
        self.quoted = quoted
        self.text = text

    def __str__(self) -> str:
        return self.quoted


class FieldNode(Node):
    """`.Field.Other`: a field chain read from dot."""

    __slots__ = ("ident",)

    def __init__(self, pos: int, ident: tuple[str, ...]) -> None:
        super().__init__(pos)
        self.ident = ident

    def __str__(self) -> str:
        return "".join("." + part for part in self.ident)


class VariableNode(Node):
    """`$x` or `$x.Field.Other`: `ident[0]` is the variable."""

    __slots__ = ("ident",)

    def __init__(self, pos: int, ident: tuple[str, ...]) -> None:
        super().__init__(pos)
        self.ident = ident

    def __str__(self) -> str:
        return ".".join(self.ident)


class IdentifierNode(Node):
    """A function name."""

    __slots__ = ("name",)

    def __init__(self, pos: int, name: str) -> None:
        super().__init__(pos)
        self.name = name

    def __str__(self) -> str:
        return self.name


class ChainNode(Node):
    """`(pipeline).Field` or `fn.Field`: fields read from another term's value."""

    __slots__ = ("fields", "node")

    def __init__(self, pos: int, node: Node, fields: tuple[str, ...]) -> None:
        super().__init__(pos)
        self.node = node
        self.fields = fields

    def __str__(self) -> str:
        base = f"({self.node})" if isinstance(self.node, PipeNode) else str(self.node)
        return base + "".join("." + part for part in self.fields)


class CommandNode(Node):
    """One pipeline stage: a function, field or operand and its arguments."""

    __slots__ = ("args",)

    def __init__(self, pos: int, args: list[Node]) -> None:
        super().__init__(pos)
        self.args = args

    def __str__(self) -> str:
        return " ".join(f"({arg})" if isinstance(arg, PipeNode) else str(arg) for arg in self.args)


class PipeNode(Node):
    """Declarations (`$x :=`, `$i, $v :=` or `$x =` when `is_assign`) then `|`-joined commands."""

    __slots__ = ("cmds", "decl", "is_assign")

    def __init__(self, pos: int, decl: list[str], is_assign: bool, cmds: list[CommandNode]) -> None:
        super().__init__(pos)
        self.decl = decl
        self.is_assign = is_assign
        self.cmds = cmds

    def __str__(self) -> str:
        text = ""
        if self.decl:
            text = ", ".join(self.decl) + (" = " if self.is_assign else " := ")
        return text + " | ".join(str(cmd) for cmd in self.cmds)


class ActionNode(Node):
    """`{{ pipeline }}`: prints the result unless the pipeline declares variables."""

    __slots__ = ("pipe",)

    def __init__(self, pos: int, pipe: PipeNode) -> None:
        super().__init__(pos)
        self.pipe = pipe

    def __str__(self) -> str:
        return f"{{{{{self.pipe}}}}}"


class BranchNode(Node):
    """`if`, `range` and `with` (`keyword`); `{{else if}}` is an IfNode alone in `else_list`."""

    __slots__ = ("else_list", "keyword", "list", "pipe")

    def __init__(
        self,
        pos: int,
        keyword: str,
        pipe: PipeNode,
        body: ListNode,
        else_list: ListNode | None,
    ) -> None:
        super().__init__(pos)
        self.keyword = keyword
        self.pipe = pipe
        self.list = body
        self.else_list = else_list

    def __str__(self) -> str:
        text = f"{{{{{self.keyword} {self.pipe}}}}}{self.list}"
        if self.else_list is not None:
            text += f"{{{{else}}}}{self.else_list}"
        return text + "{{end}}"


class BreakNode(Node):
    """`{{ break }}`."""

    __slots__ = ()

    def __str__(self) -> str:
        return "{{break}}"


class ContinueNode(Node):
    """`{{ continue }}`."""

    __slots__ = ()

    def __str__(self) -> str:
        return "{{continue}}"


class TemplateNode(Node):
    """`{{ template "name" pipeline }}` (and the call a `{{ block }}` makes)."""

    __slots__ = ("name", "pipe")

    def __init__(self, pos: int, name: str, pipe: PipeNode | None) -> None:
        super().__init__(pos)
        self.name = name
        self.pipe = pipe

    def __str__(self) -> str:
        if self.pipe is None:
            return f"{{{{template {quote(self.name)}}}}}"
        return f"{{{{template {quote(self.name)} {self.pipe}}}}}"


@dataclass(slots=True)
class Tree:
    """A parsed template: the top-level list and every `{{define}}`/`{{block}}` by name."""

    text: str
    root: ListNode
    definitions: dict[str, ListNode] = field(default_factory=dict)


class TemplateSyntaxError(Exception):
    """The template does not parse; `str()` is Go's `template: :<line>: <reason>`."""


_ESCAPES: dict[str, str] = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
}


def unquote(literal: str) -> str:
    """Go's `strconv.Unquote` of a string literal the lexer accepted (raw or interpreted)."""
    if literal.startswith("`"):
        return literal[1:-1].replace("\r", "")
    body = literal[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    pending = bytearray()
    index = 0

    def flush() -> None:
        if pending:
            out.append(pending.decode("utf-8", errors="replace"))
            pending.clear()

    while index < len(body):
        char = body[index]
        if char != "\\":
            flush()
            out.append(char)
            index += 1
            continue
        kind = body[index + 1]
        if kind in "xX":
            pending.append(int(body[index + 2 : index + 4], 16))
            index += 4
        elif kind in "01234567":
            pending.append(int(body[index + 1 : index + 4], 8) & 0xFF)
            index += 4
        elif kind in "uU":
            size = 4 if kind == "u" else 8
            code = int(body[index + 2 : index + 2 + size], 16)
            flush()
            out.append(chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd")
            index += 2 + size
        else:
            flush()
            out.append(_ESCAPES.get(kind, kind))
            index += 2
    flush()
    return "".join(out)


def _number(text: str) -> int | float | complex | None:
    """Go's `idealConstant` value of a number literal (char constants are runes)."""
    if text.startswith("'"):
        inner = unquote('"' + text[1:-1].replace('"', '\\"') + '"') if text != "'\"'" else '"'
        return ord(inner[0]) if inner else 0
    clean = text.replace("_", "")
    if clean.endswith("i"):
        return _complex(clean)
    lowered = clean.lower()
    is_hex = lowered.lstrip("+-").startswith("0x")
    if ("." in clean or "e" in lowered or "p" in lowered) and not (
        is_hex and "." not in clean and "p" not in lowered
    ):
        return _float(clean)
    value = _integer(clean)
    if value is None:
        return None
    if not -(2**63) <= value < 2**63:
        return None
    return value


def _integer(text: str) -> int | None:
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    lowered = body.lower()
    try:
        if lowered.startswith("0x"):
            return sign * int(body[2:], 16)
        if lowered.startswith("0o"):
            return sign * int(body[2:], 8)
        if lowered.startswith("0b"):
            return sign * int(body[2:], 2)
        if len(body) > 1 and body.startswith("0"):
            return sign * int(body[1:], 8)
        return sign * int(body, 10)
    except ValueError:
        # Go falls back to ParseFloat (`08`): an integral float is an int constant too.
        number = _float(text)
        if number is None or number != number or number in (float("inf"), float("-inf")):
            return None
        return int(number) if number == int(number) else None


def _float(text: str) -> float | None:
    lowered = text.lower()
    try:
        if "0x" in lowered:
            return float.fromhex(text)
        return float(text)
    except (ValueError, OverflowError):
        return None


def _complex(text: str) -> complex | None:
    body = text[:-1]
    for index in range(len(body) - 1, 0, -1):
        if body[index] in "+-" and body[index - 1].lower() not in "ep":
            real = _float(body[:index])
            imaginary = _float(body[index:])
            if real is None or imaginary is None:
                return None
            return complex(real, imaginary)
    imaginary = _float(body)
    return None if imaginary is None else complex(0, imaginary)


class _Builder:
    """Go's parser over items it already knows to be well formed."""

    def __init__(self, text: str, items: Sequence[Item]) -> None:
        self.text = text
        self.items = items
        self.index = 0
        self.definitions: dict[str, ListNode] = {}

    def _next(self) -> Item:
        item = self.items[self.index]
        self.index += 1
        return item

    def _peek(self) -> Item:
        return self.items[self.index]

    def build(self) -> Tree:
        root = ListNode(0)
        while self._peek().kind != "eof":
            item = self._peek()
            if item.kind == "left_delim" and self.items[self.index + 1].kind == "define":
                self.index += 2
                self._definition()
                continue
            node = self._text_or_action()
            if node is not None:
                root.nodes.append(node)
        return Tree(self.text, root, self.definitions)

    def _definition(self) -> None:
        name = unquote(self._next().value)
        self._next()  # }}
        body, _ = self._item_list()
        self._add(name, body)

    def _add(self, name: str, body: ListNode) -> None:
        existing = self.definitions.get(name)
        if existing is None or _is_empty(existing) or not _is_empty(body):
            self.definitions[name] = body

    def _item_list(self) -> tuple[ListNode, str]:
        """Nodes up to `{{end}}` or `{{else}}`: the list and which one ended it."""
        body = ListNode(self._peek().start)
        while True:
            item = self._peek()
            if item.kind == "left_delim":
                keyword = self.items[self.index + 1].kind
                if keyword == "end":
                    self.index += 3
                    return body, "end"
                if keyword == "else":
                    self.index += 2
                    return body, "else"
            node = self._text_or_action()
            if node is not None:
                body.nodes.append(node)

    def _text_or_action(self) -> Node | None:
        item = self._next()
        if item.kind == "text":
            return self._text(item)
        return self._action(item)

    def _text(self, item: Item) -> Node | None:
        """A text item with the neighbouring actions' trim markers applied."""
        text = item.value
        end = item.end
        source = self.text
        if source.startswith("{{-", end) and source[end + 3 : end + 4] in _BLANKS:
            text = text.rstrip(_SPACE)
        start = item.start
        if (
            start >= 3
            and source[start - 3] == "-"
            and source[start - 4 : start - 3] in _BLANKS
            and source.startswith("}}", start - 2)
        ):
            text = text.lstrip(_SPACE)
        if not text:
            return None
        return TextNode(item.start, text)

    def _action(self, delimiter: Item) -> Node:
        item = self._next()
        kind = item.kind
        if kind in ("if", "range", "with"):
            return self._control(kind, item)
        if kind == "block":
            name_item = self._next()
            name = unquote(name_item.value)
            block_pipe = self._pipeline("block clause", "right_delim")
            body, _ = self._item_list()
            self._add(name, body)
            return TemplateNode(name_item.start, name, block_pipe)
        if kind == "template":
            name_item = self._next()
            name = unquote(name_item.value)
            pipe: PipeNode | None = None
            if self._peek().kind == "right_delim":
                self._next()
            else:
                pipe = self._pipeline("template clause", "right_delim")
            return TemplateNode(name_item.start, name, pipe)
        if kind == "break":
            self._next()
            return BreakNode(item.start)
        if kind == "continue":
            self._next()
            return ContinueNode(item.start)
        self.index -= 1
        pipe = self._pipeline("command", "right_delim")
        return ActionNode(item.start, pipe)

    def _control(self, keyword: str, item: Item) -> BranchNode:
        pipe = self._pipeline(keyword, "right_delim")
        body, ended = self._item_list()
        else_list: ListNode | None = None
        if ended == "else":
            following = self._peek()
            if keyword in ("if", "with") and following.kind == keyword:
                # `{{else if …}}`: a nested branch that shares this one's {{end}}.
                self._next()
                nested = self._control(keyword, following)
                else_list = ListNode(following.start, [nested])
            else:
                self._next()  # }}
                else_list, _ = self._item_list()
        return BranchNode(pipe.pos, keyword, pipe, body, else_list)

    def _pipeline(self, context: str, end: str) -> PipeNode:
        pos = self._peek().start
        decl: list[str] = []
        is_assign = False
        while self._peek().kind == "variable":
            following = self.items[self.index + 1]
            if following.kind in ("assign", "declare"):
                decl.append(self._next().value)
                is_assign = self._next().kind == "assign"
                break
            if following.kind == "char" and following.value == ",":
                decl.append(self._next().value)
                self._next()
                continue
            break
        cmds: list[CommandNode] = []
        while True:
            item = self._peek()
            if item.kind == end:
                self._next()
                return PipeNode(pos, decl, is_assign, cmds)
            cmds.append(self._command())

    def _command(self) -> CommandNode:
        pos = self._peek().start
        args: list[Node] = []
        while True:
            args.append(self._operand())
            item = self._peek()
            if item.kind in ("right_delim", "right_paren"):
                break
            if item.kind == "pipe":
                self._next()
                break
        return CommandNode(pos, args)

    def _operand(self) -> Node:
        node = self._term()
        following = self._peek()
        if following.kind == "field" and not following.spaced:
            chain_pos = following.start
            fields: list[str] = []
            while self._peek().kind == "field" and not self._peek().spaced:
                fields.append(self._next().value[1:])
            if isinstance(node, FieldNode):
                return FieldNode(chain_pos, node.ident + tuple(fields))
            if isinstance(node, VariableNode):
                return VariableNode(chain_pos, node.ident + tuple(fields))
            return ChainNode(chain_pos, node, tuple(fields))
        return node

    def _term(self) -> Node:
        item = self._next()
        kind = item.kind
        if kind == "field":
            return FieldNode(item.start, (item.value[1:],))
        if kind == "variable":
            return VariableNode(item.start, (item.value,))
        if kind == "identifier":
            return IdentifierNode(item.start, item.value)
        if kind == "dot":
            return DotNode(item.start)
        if kind == "nil":
            return NilNode(item.start)
        if kind == "bool":
            return BoolNode(item.start, item.value == "true")
        if kind in ("number", "char_constant"):
            return NumberNode(item.start, item.value, _number(item.value))
        if kind in ("string", "raw_string"):
            return StringNode(item.start, item.value, unquote(item.value))
        # left_paren: a parenthesized pipeline
        pipe = self._pipeline("parenthesized pipeline", "right_paren")
        return pipe


def _is_empty(body: ListNode) -> bool:
    """Go's `IsEmptyTree`: only blank text (and nothing else) in the list."""
    for node in body.nodes:
        if isinstance(node, TextNode):
            if node.text.strip(_SPACE):
                return False
        else:
            return False
    return True


def build(text: str) -> Tree:
    """Parse `text` as Go's `template.Parse` does; TemplateSyntaxError with Go's text when it
    does not parse."""
    check, items = check_and_lex(text)
    problem = check.error
    if problem is not None:
        raise TemplateSyntaxError(problem.server_error)
    return _Builder(text, items).build()
