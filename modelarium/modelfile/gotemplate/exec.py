"""Go `text/template` execution (`text/template/exec.go`) over the trees of `tree.py`.

Every action and pipeline, variables (`:=` and `=`), `if`/`else if`/`range` (`$i, $v`, maps in
sorted key order, `break`/`continue`)/`with`/`else with`, `define`/`template`/`block`, Go's
builtins with Go's truthiness and comparison rules, `missingkey=zero` (or Go's default), and
execution errors in Go's words: `template: :1:52: executing "" at <.Missing.Field>: nil pointer
evaluating interface {}.Field`. Pure.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from modelarium.modelfile.golang.strconv import quote
from modelarium.modelfile.gotemplate.tree import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    StringNode,
    TemplateNode,
    TextNode,
    Tree,
    VariableNode,
)
from modelarium.modelfile.gotemplate.values import (
    INVALID,
    GoMap,
    GoSlice,
    GoStruct,
    NilPointer,
    format_value,
    is_true,
    print_value,
    type_name,
)

MAX_EXEC_DEPTH = 100000
"""Go's `maxExecDepth`: nested `{{template}}` calls allowed."""


class ExecError(Exception):
    """Execution stopped; `str()` is Go's error text."""


class FuncError(Exception):
    """A template function's error (Go wraps it as `error calling <name>: <text>`)."""


class _Missing:
    """The type of `_MISSING`."""

    __slots__ = ()


_MISSING = _Missing()
"""Go's `missingVal`: no final argument from a previous pipeline stage."""

VALUE = "value"
"""A `reflect.Value` parameter: gets invalid and nil values as they are."""
ANY = "any"
"""An `interface{}` parameter: an invalid value arrives as nil."""
STRING = "string"
"""A `string` parameter."""


@dataclass(frozen=True, slots=True)
class Function:
    """A template function: Go parameter types (`VALUE`, `ANY`, `STRING`), the variadic
    element type if any, and the Python body (raising FuncError for Go's returned error)."""

    params: tuple[str, ...]
    variadic: str | None
    body: Callable[..., object]
    builtin: bool = False


class _Break(Exception):
    """`{{ break }}` unwinding to its range (Go panics with `walkBreak`)."""


class _Continue(Exception):
    """`{{ continue }}` unwinding to its range's next iteration."""


def _go_column(text: str, offset: int) -> tuple[int, int]:
    """Go's `ErrorContext` line and byte column of `offset`."""
    before = text[:offset]
    newline = before.rfind("\n")
    line = 1 + before.count("\n")
    column_text = before if newline < 0 else before[newline + 1 :]
    return line, len(column_text.encode("utf-8", errors="surrogatepass"))


class _State:
    """One execution: output, the variable stack (`[name, value]`, innermost last), the node
    being evaluated (for Go's error position) and the template name running."""

    def __init__(
        self,
        tree: Tree,
        root: ListNode,
        functions: Mapping[str, Function],
        *,
        missing_zero: bool,
        definitions: Mapping[str, ListNode] | None,
    ) -> None:
        self.tree = tree
        self.root = root
        self.functions = functions
        self.missing_zero = missing_zero
        self.definitions = tree.definitions if definitions is None else definitions
        self.out: list[str] = []
        self.vars: list[list[object]] = []
        self.node: Node | None = None
        self.name = ""
        self.depth = 0

    # errors
    def error(self, message: str) -> ExecError:
        node = self.node
        if node is None:
            return ExecError(f"template: {self.name}: {message}")
        line, column = _go_column(self.tree.text, node.pos)
        context = str(node)
        return ExecError(
            f'template: :{line}:{column}: executing "{self.name}" at <{context}>: {message}'
        )

    # variables
    def push(self, name: str, value: object) -> None:
        self.vars.append([name, value])

    def set_var(self, name: str, value: object) -> None:
        for entry in reversed(self.vars):
            if entry[0] == name:
                entry[1] = value
                return
        raise self.error(f"undefined variable: {name}")

    def set_top_var(self, depth: int, value: object) -> None:
        self.vars[len(self.vars) - depth][1] = value

    def var_value(self, name: str) -> object:
        for entry in reversed(self.vars):
            if entry[0] == name:
                return entry[1]
        raise self.error(f"undefined variable: {name}")

    # walking
    def walk(self, dot: object, node: Node) -> None:
        self.node = node
        kind = type(node)
        if kind is TextNode:
            self.out.append(node.text)  # type: ignore[attr-defined]
        elif kind is ActionNode:
            pipe = node.pipe  # type: ignore[attr-defined]
            value = self.eval_pipeline(dot, pipe)
            if not pipe.decl:
                self.node = node
                self.out.append(print_value(value))
        elif kind is ListNode:
            for child in node.nodes:  # type: ignore[attr-defined]
                self.walk(dot, child)
        elif kind is BranchNode:
            self.walk_branch(dot, node)  # type: ignore[arg-type]
        elif kind is TemplateNode:
            self.walk_template(dot, node)  # type: ignore[arg-type]
        elif kind is BreakNode:
            raise _Break()
        elif kind is ContinueNode:
            raise _Continue()

    def walk_branch(self, dot: object, node: BranchNode) -> None:
        if node.keyword == "range":
            self.walk_range(dot, node)
            return
        mark = len(self.vars)
        value = self.eval_pipeline(dot, node.pipe)
        if is_true(value):
            self.walk(value if node.keyword == "with" else dot, node.list)
        elif node.else_list is not None:
            self.walk(dot, node.else_list)
        del self.vars[mark:]

    def walk_range(self, dot: object, node: BranchNode) -> None:
        self.node = node
        outer = len(self.vars)
        value = self.eval_pipeline(dot, node.pipe)
        pipe = node.pipe
        mark = len(self.vars)
        items: Sequence[tuple[object, object]] | None = None
        if isinstance(value, list):
            items = list(enumerate(value)) if value else None
        elif isinstance(value, dict):
            items = [(key, value[key]) for key in sorted(value)] if value else None
        elif isinstance(value, bytes):
            items = list(enumerate(value)) if value else None
        elif type(value) is int:
            if len(pipe.decl) > 1:
                self.node = node
                raise self.error(f"can't use {value} to iterate over more than one variable")
            items = [(index, index) for index in range(value)] if value > 0 else None
        elif value is INVALID or value is None:
            items = None
        else:
            self.node = node
            raise self.error(f"range can't iterate over {format_value(value)}")
        try:
            for index, element in items or ():
                if pipe.decl:
                    if pipe.is_assign:
                        if len(pipe.decl) > 1:
                            self.set_var(pipe.decl[0], index)
                        else:
                            self.set_var(pipe.decl[0], element)
                    else:
                        self.set_top_var(1, element)
                if len(pipe.decl) > 1:
                    if pipe.is_assign:
                        self.set_var(pipe.decl[1], element)
                    else:
                        self.set_top_var(2, index)
                with contextlib.suppress(_Continue):
                    self.walk(element, node.list)
                del self.vars[mark:]
        except _Break:
            del self.vars[outer:]
            return
        if not items and node.else_list is not None:
            self.walk(dot, node.else_list)
        del self.vars[outer:]

    def walk_template(self, dot: object, node: TemplateNode) -> None:
        self.node = node
        if node.name == "" and "" not in self.definitions:
            body: ListNode | None = self.root
        else:
            body = self.definitions.get(node.name)
        if body is None:
            raise self.error(f"template {quote(node.name)} not defined")
        if self.depth >= MAX_EXEC_DEPTH:
            raise self.error(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
        new_dot = self.eval_pipeline(dot, node.pipe) if node.pipe is not None else INVALID
        saved = (self.vars, self.name)
        self.vars = [["$", new_dot]]
        self.name = node.name
        self.depth += 1
        try:
            self.walk(new_dot, body)
        finally:
            self.depth -= 1
            self.vars, self.name = saved

    # evaluation
    def eval_pipeline(self, dot: object, pipe: PipeNode) -> object:
        self.node = pipe
        value: object = _MISSING
        for cmd in pipe.cmds:
            value = self.eval_command(dot, cmd, value)
            if value is None:
                value = INVALID  # a nil interface{} result: Go digs down to nothing
        for name in pipe.decl:
            if pipe.is_assign:
                self.set_var(name, value)
            else:
                self.push(name, value)
        return value

    def eval_command(self, dot: object, cmd: CommandNode, final: object) -> object:
        first = cmd.args[0]
        kind = type(first)
        if kind is FieldNode:
            self.node = first
            return self.eval_field_chain(dot, dot, first, first.ident, cmd.args, final)  # type: ignore[attr-defined]
        if kind is VariableNode:
            return self.eval_variable(dot, first, cmd.args, final)  # type: ignore[arg-type]
        if kind is IdentifierNode:
            return self.eval_function(dot, first, cmd, cmd.args, final)  # type: ignore[arg-type]
        if kind is ChainNode:
            return self.eval_chain(dot, first, cmd.args, final)  # type: ignore[arg-type]
        if kind is PipeNode:
            self.not_a_function(cmd.args, final)
            return self.eval_pipeline(dot, first)  # type: ignore[arg-type]
        self.node = first
        self.not_a_function(cmd.args, final)
        if kind is BoolNode:
            return first.value  # type: ignore[attr-defined]
        if kind is DotNode:
            return dot
        if kind is NilNode:
            raise self.error("nil is not a command")
        if kind is NumberNode:
            return self.ideal_constant(first)  # type: ignore[arg-type]
        if kind is StringNode:
            return first.text  # type: ignore[attr-defined]
        raise self.error(f"can't evaluate command {first}")

    def not_a_function(self, args: list[Node], final: object) -> None:
        if len(args) > 1 or final is not _MISSING:
            raise self.error(f"can't give argument to non-function {args[0]}")

    def ideal_constant(self, node: NumberNode) -> object:
        self.node = node
        if node.value is None:
            raise self.error(f"{node.text} overflows int")
        return node.value

    def eval_variable(
        self, dot: object, node: VariableNode, args: list[Node] | None, final: object
    ) -> object:
        self.node = node
        value = self.var_value(node.ident[0])
        if len(node.ident) == 1:
            self.not_a_function(args or [node], final)
            return value
        return self.eval_field_chain(dot, value, node, node.ident[1:], args, final)

    def eval_chain(
        self, dot: object, node: ChainNode, args: list[Node] | None, final: object
    ) -> object:
        self.node = node
        if isinstance(node.node, NilNode):
            raise self.error(f"indirection through explicit nil in {node}")
        receiver = self.eval_arg(dot, ANY, node.node)
        return self.eval_field_chain(dot, receiver, node, node.fields, args, final)

    def eval_field_chain(
        self,
        dot: object,
        receiver: object,
        node: Node,
        ident: Sequence[str],
        args: list[Node] | None,
        final: object,
    ) -> object:
        last = len(ident) - 1
        for index in range(last):
            receiver = self.eval_field(ident[index], node, None, _MISSING, receiver)
        return self.eval_field(ident[last], node, args, final, receiver)

    def eval_field(
        self, name: str, node: Node, args: list[Node] | None, final: object, receiver: object
    ) -> object:
        if receiver is INVALID:
            return INVALID
        has_args = (args is not None and len(args) > 1) or final is not _MISSING
        if isinstance(receiver, GoStruct):
            if name in receiver.FIELD_SET:
                if has_args:
                    raise self.error(f"{name} has arguments but cannot be invoked as function")
                return getattr(receiver, name)
            if name == "String":
                text = receiver.go_string()
                if text is not None:
                    return self._method_result(text, args, final, name)
            raise self.error(f"can't evaluate field {name} in type {receiver.GO_TYPE}")
        if isinstance(receiver, dict):
            if name == "String" and isinstance(receiver, GoMap):
                text = receiver.go_string()
                if text is not None:
                    return self._method_result(text, args, final, name)
            if has_args:
                raise self.error(f"{name} is not a method but has arguments")
            found = receiver.get(name, _MISSING)
            if found is _MISSING:
                if not self.missing_zero:
                    return INVALID
                return receiver.zero() if isinstance(receiver, GoMap) else None
            return found
        if receiver is None:
            raise self.error(f"nil pointer evaluating interface {{}}.{name}")
        if isinstance(receiver, NilPointer):
            raise self.error(f"nil pointer evaluating {receiver.go_type}.{name}")
        if name == "String" and isinstance(receiver, GoSlice):
            text = receiver.go_string()
            if text is not None:
                return self._method_result(text, args, final, name)
        raise self.error(f"can't evaluate field {name} in type {type_name(receiver)}")

    def _method_result(self, text: str, args: list[Node] | None, final: object, name: str) -> str:
        given = (len(args) - 1 if args else 0) + (0 if final is _MISSING else 1)
        if given:
            raise self.error(f"wrong number of args for {name}: want 0 got {given}")
        return text

    def eval_function(
        self,
        dot: object,
        node: IdentifierNode,
        cmd: Node,
        args: list[Node] | None,
        final: object,
    ) -> object:
        self.node = node
        name = node.name
        function = self.functions.get(name)
        if function is None:
            raise self.error(f'"{name}" is not a defined function')
        return self.eval_call(dot, function, cmd, name, args, final)

    def eval_call(
        self,
        dot: object,
        function: Function,
        node: Node,
        name: str,
        args: list[Node] | None,
        final: object,
    ) -> object:
        arguments = args[1:] if args is not None else []
        given = len(arguments) + (0 if final is _MISSING else 1)
        fixed = len(function.params)
        if function.variadic is not None:
            if given < fixed:
                raise self.error(
                    f"wrong number of args for {name}: want at least {fixed} got {len(arguments)}"
                )
        elif given != fixed:
            raise self.error(f"wrong number of args for {name}: want {fixed} got {given}")
        if function.builtin and name in ("and", "or"):
            result: object = INVALID
            for arg in arguments:
                result = self.eval_arg(dot, VALUE, arg)
                if is_true(result) == (name == "or"):
                    return result
            if final is not _MISSING:
                result = final
            return result
        values: list[object] = []
        for index, arg in enumerate(arguments):
            kind = function.params[index] if index < fixed else function.variadic
            values.append(self.eval_arg(dot, kind or ANY, arg))
        if final is not _MISSING:
            kind = function.params[given - 1] if given - 1 < fixed else function.variadic
            values.append(self.validate(final, kind or ANY))
        try:
            result = function.body(*values)
        except FuncError as error:
            self.node = node
            raise self.error(f"error calling {name}: {error}") from None
        return result

    def validate(self, value: object, kind: str) -> object:
        if kind == VALUE:
            return value
        if kind == ANY:
            return None if value is INVALID else value
        if value is INVALID:
            raise self.error("invalid value; expected string")
        if type(value) is not str:
            got = "interface {}" if value is None else type_name(value)
            raise self.error(f"wrong type for value; expected string; got {got}")
        return value

    def eval_arg(self, dot: object, kind: str, node: Node) -> object:
        self.node = node
        node_kind = type(node)
        if node_kind is DotNode:
            return self.validate(dot, kind)
        if node_kind is NilNode:
            if kind == STRING:
                raise self.error("cannot assign nil to string")
            return INVALID if kind == VALUE else None
        if node_kind is FieldNode:
            value = self.eval_field_chain(dot, dot, node, node.ident, [node], _MISSING)  # type: ignore[attr-defined]
            return self.validate(value, kind)
        if node_kind is VariableNode:
            return self.validate(self.eval_variable(dot, node, None, _MISSING), kind)  # type: ignore[arg-type]
        if node_kind is PipeNode:
            return self.validate(self.eval_pipeline(dot, node), kind)  # type: ignore[arg-type]
        if node_kind is IdentifierNode:
            value = self.eval_function(dot, node, node, None, _MISSING)  # type: ignore[arg-type]
            return self.validate(value, kind)
        if node_kind is ChainNode:
            return self.validate(self.eval_chain(dot, node, None, _MISSING), kind)  # type: ignore[arg-type]
        if kind == STRING:
            if node_kind is StringNode:
                return node.text  # type: ignore[attr-defined]
            raise self.error(f"expected string; found {node}")
        if node_kind is BoolNode:
            return node.value  # type: ignore[attr-defined]
        if node_kind is NumberNode:
            return self.ideal_constant(node)  # type: ignore[arg-type]
        if node_kind is StringNode:
            return node.text  # type: ignore[attr-defined]
        raise self.error(f"can't handle assignment of {node} to empty interface argument")


def execute(
    tree: Tree,
    data: object,
    functions: Mapping[str, Function],
    *,
    missing_zero: bool = True,
    root: ListNode | None = None,
    definitions: Mapping[str, ListNode] | None = None,
) -> str:
    """Run `tree` (or `root`, a rewritten copy of its top level) with `data` as dot and `$`.

    `missing_zero` is Go's `missingkey=zero`; `definitions` replaces the tree's own named
    templates (Go's `AddParseTree` onto a fresh template has none). Raises ExecError."""
    body = tree.root if root is None else root
    state = _State(tree, body, functions, missing_zero=missing_zero, definitions=definitions)
    state.vars = [["$", data]]
    try:
        state.walk(data, body)
    except RecursionError:
        raise state.error(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})") from None
    except (_Break, _Continue):
        raise state.error("break or continue outside range") from None
    return "".join(state.out)
