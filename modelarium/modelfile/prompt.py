"""The prompt a model receives: a TEMPLATE rendered against a request exactly as Ollama does.

`render_prompt(template, request)` takes the JSON body of an `/api/chat` request (`messages`,
`tools`, `think`) or of an `/api/generate` request (`prompt` and `suffix` for fill-in-the-middle,
or `prompt`/`system`) and returns what Ollama's `template.Parse` + `(*Template).Execute` write.
Errors are `TemplateParseError` or `TemplateExecError` (both `TemplateError`) whose `str()` is
Go's exact text; a request Ollama would not decode is a `TemplateRequestError`.

Ollama's three data shapes: the messages path (the template mentions `messages`: System,
Messages, Tools, Response "", Think, ThinkLevel, IsThinkSet), fill-in-the-middle (prompt and
suffix both set: Prompt, Suffix, Response, Think…), and the legacy path (System, Prompt,
Response, Think…) run once per completed turn, the last one cut after `{{ .Response }}`.
`collate` joins every system message into `.System` and merges consecutive messages of one role
(tool messages excepted). Pure: no I/O (today's date is an argument with a default).
"""

from __future__ import annotations

import base64
import binascii
import functools
import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from modelarium.modelfile.gotemplate.exec import ExecError, Function, execute
from modelarium.modelfile.gotemplate.funcs import BUILTINS
from modelarium.modelfile.gotemplate.ollama import (
    AnySlice,
    Arguments,
    CallFunction,
    Images,
    Message,
    Messages,
    NestedProperties,
    Parameters,
    PropertySlice,
    PropertyType,
    StringSlice,
    TemplateProperties,
    Tool,
    ToolCall,
    ToolCalls,
    ToolFunction,
    ToolProperty,
    Tools,
    ollama_functions,
)
from modelarium.modelfile.gotemplate.parse import forget_checked_templates
from modelarium.modelfile.gotemplate.tree import (
    ActionNode,
    BranchNode,
    CommandNode,
    FieldNode,
    ListNode,
    Node,
    PipeNode,
    TemplateNode,
    TemplateSyntaxError,
    Tree,
    build,
)


class TemplateError(Exception):
    """A TEMPLATE Ollama cannot render for this request; `str()` is Ollama's text."""


class TemplateParseError(TemplateError):
    """Go's `template.Parse` refused the template (`template: :1: unclosed action`)."""


class TemplateExecError(TemplateError):
    """Go's `Execute` failed (`template: :1:10: executing "" at <…>: …`); output discarded."""


class TemplateRequestError(TemplateError):
    """The request is not one Ollama would decode (a field of the wrong type, bad base64)."""


THINK_LEVELS = ("high", "medium", "low")
"""The string values Ollama accepts for `think`."""


# ---------------------------------------------------------------------------------------------
# Parsing, once per template text


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A parsed template as Ollama holds it after `template.Parse`."""

    tree: Tree
    root: ListNode
    """The top level as Ollama runs it (`{{ .Response }}` appended when the template uses
    neither `.Messages` nor `.Response`)."""
    variables: frozenset[str]
    """Ollama's `Vars()`: every field name mentioned, lower-cased."""


_RESPONSE_ACTION_POS = 0
"""Where Ollama's appended `{{ .Response }}` claims to be (its node has no place in the text)."""
_TOO_DEEP = (
    "template: nested hundreds of levels deep: too deep for this preview (Ollama accepts it)"
)


def _identifiers(node: Node | None, names: set[str]) -> None:
    """Ollama's `Identifiers`: field names in actions, branch pipelines and template calls
    (not inside variables' or chains' field lists)."""
    if node is None:
        return
    kind = type(node)
    if kind is ListNode:
        for child in node.nodes:  # type: ignore[attr-defined]
            _identifiers(child, names)
    elif kind is ActionNode or kind is TemplateNode:
        _identifiers(node.pipe, names)  # type: ignore[attr-defined]
    elif kind is BranchNode:
        _identifiers(node.pipe, names)  # type: ignore[attr-defined]
        _identifiers(node.list, names)  # type: ignore[attr-defined]
        _identifiers(node.else_list, names)  # type: ignore[attr-defined]
    elif kind is PipeNode:
        for cmd in node.cmds:  # type: ignore[attr-defined]
            for arg in cmd.args:
                _identifiers(arg, names)
    elif kind is FieldNode:
        names.update(part.lower() for part in node.ident)  # type: ignore[attr-defined]


_PREPARE_LOCK = threading.Lock()
"""Held while a template is parsed: the editor's lint and preview workers render the same
TEMPLATE at about the same time, and the second then reuses the first's tree."""


def _prepare(template: str) -> _Prepared | TemplateParseError:
    """Ollama's `template.Parse`: the tree, or the parse error (cached either way)."""
    with _PREPARE_LOCK:
        return _parse_template(template)


@functools.lru_cache(maxsize=256)
def _parse_template(template: str) -> _Prepared | TemplateParseError:
    names: set[str] = set()
    try:
        tree = build(template)
        _identifiers(tree.root, names)
        for body in tree.definitions.values():
            _identifiers(body, names)
    except TemplateSyntaxError as error:
        return TemplateParseError(str(error))
    except RecursionError:
        return TemplateParseError(_TOO_DEEP)
    root = tree.root
    if "messages" not in names and "response" not in names:
        response = ActionNode(
            _RESPONSE_ACTION_POS,
            PipeNode(
                _RESPONSE_ACTION_POS,
                [],
                False,
                [
                    CommandNode(
                        _RESPONSE_ACTION_POS, [FieldNode(_RESPONSE_ACTION_POS, ("Response",))]
                    )
                ],
            ),
        )
        root = ListNode(root.pos, [*root.nodes, response])
        names.add("response")
    return _Prepared(tree, root, frozenset(names))


class _Cut:
    """Ollama's `deleteNode` with its predicate: keep nodes up to the first `.Response` field,
    drop every node visited after it (copying, never changing the parsed tree)."""

    def __init__(self) -> None:
        self.cut = False

    def _drop(self, node: Node) -> bool:
        if self.cut:
            return True
        if type(node) is FieldNode and "Response" in node.ident:
            self.cut = True
        return False

    def walk(self, node: Node) -> Node | None:
        if self._drop(node):
            return None
        kind = type(node)
        if kind is ListNode:
            kept = [child for child in map(self.walk, node.nodes) if child is not None]  # type: ignore[attr-defined]
            return ListNode(node.pos, kept)
        if kind is BranchNode:
            branch: BranchNode = node  # type: ignore[assignment]
            # A list that comes back nil is Go's failed type assertion (a panic in Ollama):
            # the `.Response` was inside this branch's body and the else-list follows it.
            body = self.walk(branch.list)
            if body is None:
                raise TemplateExecError(
                    "interface conversion: parse.Node is nil, not *parse.ListNode"
                )
            else_list: Node | None = None
            if branch.else_list is not None:
                else_list = self.walk(branch.else_list)
                if else_list is None:
                    raise TemplateExecError(
                        "interface conversion: parse.Node is nil, not *parse.ListNode"
                    )
            return BranchNode(
                branch.pos,
                branch.keyword,
                branch.pipe,
                body,  # type: ignore[arg-type]
                else_list,  # type: ignore[arg-type]
            )
        if kind is ActionNode:
            pipe = self.walk(node.pipe)  # type: ignore[attr-defined]
            if pipe is None:
                return None
            return ActionNode(node.pos, pipe)  # type: ignore[arg-type]
        if kind is PipeNode:
            source: PipeNode = node  # type: ignore[assignment]
            commands: list[CommandNode] = []
            for cmd in source.cmds:
                args = [arg for arg in map(self.walk, cmd.args) if arg is not None]
                if not args:
                    return None
                commands.append(CommandNode(cmd.pos, args))
            if not commands:
                return None
            return PipeNode(source.pos, source.decl, source.is_assign, commands)
        return node


@functools.lru_cache(maxsize=256)
def _cut_root(template: str) -> ListNode:
    """The legacy path's last-turn tree: everything after the first `.Response` removed."""
    prepared = _prepare(template)
    assert isinstance(prepared, _Prepared)
    try:
        result = _Cut().walk(prepared.root)
    except RecursionError:
        raise TemplateExecError(_TOO_DEEP) from None
    assert isinstance(result, ListNode)
    return result


# ---------------------------------------------------------------------------------------------
# The request, decoded as Ollama's api types


def _fail(where: str, expected: str, value: object) -> TemplateRequestError:
    got = type(value).__name__
    names = {
        "str": "string",
        "int": "number",
        "float": "number",
        "bool": "bool",
        "list": "array",
        "dict": "object",
        "NoneType": "null",
    }
    return TemplateRequestError(f"{where}: expected {expected}, got {names.get(got, got)}")


def _string(value: object, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _fail(where, "a string", value)
    return value


def _list(value: object, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(where, "an array", value)
    return value


def _object(value: object, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _fail(where, "an object", value)
    return value


def _json_value(value: object, where: str) -> object:
    """A JSON-decoded value as Go's `any` holds it (numbers are float64)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise TemplateRequestError(f"{where}: {value} is not a JSON number")
        return value
    if isinstance(value, Mapping):
        return {str(key): _json_value(item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item, where) for item in value]
    raise _fail(where, "a JSON value", value)


def _image(value: object, where: str) -> bytes:
    text = _string(value, where)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise TemplateRequestError(f"{where}: illegal base64 data") from None


def _tool_call(value: object, where: str) -> ToolCall:
    call = _object(value, where)
    function = _object(call.get("function"), f"{where}.function")
    raw_arguments = _object(function.get("arguments"), f"{where}.function.arguments")
    arguments = Arguments(
        (
            (str(key), _json_value(item, f"{where}.function.arguments.{key}"))
            for key, item in raw_arguments.items()
        ),
        nil=not raw_arguments,
    )
    index = function.get("index", 0)
    if isinstance(index, bool) or not isinstance(index, int | float) or index != int(index):
        raise _fail(f"{where}.function.index", "an integer", index)
    return ToolCall(
        _string(call.get("id"), f"{where}.id"),
        CallFunction(
            int(index), _string(function.get("name"), f"{where}.function.name"), arguments
        ),
    )


def _message(value: object, where: str) -> Message:
    data = _object(value, where)
    images = [_image(item, f"{where}.images") for item in _list(data.get("images"), where)]
    calls = [
        _tool_call(item, f"{where}.tool_calls[{index}]")
        for index, item in enumerate(_list(data.get("tool_calls"), f"{where}.tool_calls"))
    ]
    return Message(
        _string(data.get("role"), f"{where}.role"),
        _string(data.get("content"), f"{where}.content"),
        _string(data.get("thinking"), f"{where}.thinking"),
        Images(images, nil=not images),
        ToolCalls(calls, nil=not calls),
        _string(data.get("tool_name"), f"{where}.tool_name"),
        _string(data.get("tool_call_id"), f"{where}.tool_call_id"),
    )


def _property_type(value: object, where: str) -> PropertyType:
    if value is None:
        return PropertyType(nil=True)
    if isinstance(value, str):
        return PropertyType([value])
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return PropertyType(value)
    raise _fail(where, "a string or an array of strings", value)


def _strings(value: object, where: str) -> StringSlice:
    items = _list(value, where)
    for item in items:
        if not isinstance(item, str):
            raise _fail(where, "an array of strings", item)
    return StringSlice(items, nil=value is None)


def _property(value: object, where: str) -> ToolProperty:
    data = _object(value, where)
    any_of = [_property(item, f"{where}.anyOf") for item in _list(data.get("anyOf"), where)]
    enum = data.get("enum")
    nested = data.get("properties")
    properties: object = None
    if nested is not None:
        properties = NestedProperties(
            (str(key), _property(item, f"{where}.properties.{key}"))
            for key, item in _object(nested, f"{where}.properties").items()
        )
    return ToolProperty(
        PropertySlice(any_of, nil=not any_of),
        _property_type(data.get("type"), f"{where}.type"),
        _json_value(data.get("items"), f"{where}.items"),
        _string(data.get("description"), f"{where}.description"),
        AnySlice(
            [_json_value(item, f"{where}.enum") for item in _list(enum, f"{where}.enum")],
            nil=enum is None,
        ),
        properties,
        _strings(data.get("required"), f"{where}.required"),
    )


def _tool(value: object, where: str) -> Tool:
    data = _object(value, where)
    function = _object(data.get("function"), f"{where}.function")
    parameters = _object(function.get("parameters"), f"{where}.function.parameters")
    properties = TemplateProperties(
        (str(key), _property(item, f"{where}.function.parameters.properties.{key}"))
        for key, item in _object(
            parameters.get("properties"), f"{where}.function.parameters.properties"
        ).items()
    )
    return Tool(
        _string(data.get("type"), f"{where}.type"),
        _json_value(data.get("items"), f"{where}.items"),
        ToolFunction(
            _string(function.get("name"), f"{where}.function.name"),
            _string(function.get("description"), f"{where}.function.description"),
            Parameters(
                _string(parameters.get("type"), f"{where}.function.parameters.type"),
                _json_value(parameters.get("$defs"), f"{where}.function.parameters.$defs"),
                _json_value(parameters.get("items"), f"{where}.function.parameters.items"),
                _strings(parameters.get("required"), f"{where}.function.parameters.required"),
                properties,
            ),
        ),
    )


def _think(value: object) -> tuple[bool, str, bool]:
    """Think, ThinkLevel and IsThinkSet from the request's `think`."""
    if value is None:
        return False, "", False
    if isinstance(value, bool):
        return value, "medium" if value else "", True
    if isinstance(value, str) and value in THINK_LEVELS:
        return True, value, True
    raise TemplateRequestError(
        f'think: invalid value {value!r} (use true, false, "high", "medium" or "low")'
    )


def _collate(messages: list[Message]) -> tuple[str, list[Message]]:
    """Ollama's `collate`: all system contents joined by a blank line, and consecutive
    messages of one role (tool excepted) merged into the first of them."""
    system: list[str] = []
    collated: list[Message] = []
    for message in messages:
        if message.Role == "system":
            system.append(message.Content)
        if collated and collated[-1].Role == message.Role and message.Role != "tool":
            collated[-1].Content += "\n\n" + message.Content
        else:
            collated.append(message)
    return "\n\n".join(system), collated


# ---------------------------------------------------------------------------------------------
# Rendering


@functools.lru_cache(maxsize=8)
def _functions(today: date) -> dict[str, Function]:
    return ollama_functions(today)


def _run(
    prepared: _Prepared,
    data: dict[str, object],
    functions: Mapping[str, Function],
    **options: Any,
) -> str:
    try:
        return execute(prepared.tree, data, functions, **options)
    except ExecError as error:
        raise TemplateExecError(str(error)) from None


def render_prompt(
    template: str,
    request: Mapping[str, Any],
    *,
    today: date | None = None,
    system: str = "",
    history: Sequence[Mapping[str, Any]] = (),
) -> str:
    """The prompt Ollama builds from TEMPLATE `template` for `request` (an `/api/chat` or
    `/api/generate` body).

    `system` and `history` are the model's own SYSTEM and MESSAGEs, applied as Ollama's chat
    and generate handlers do (history first; SYSTEM as a first system message unless the
    conversation starts with one). `today` stands in for the clock of `currentDate`."""
    prepared = _prepare(template)
    if isinstance(prepared, TemplateParseError):
        raise TemplateParseError(str(prepared))
    if not isinstance(request, Mapping):
        raise TemplateRequestError("request: expected a JSON object")
    functions = _functions(today or date.today())
    think, think_level, think_set = _think(request.get("think"))
    prompt = _string(request.get("prompt"), "prompt")
    suffix = _string(request.get("suffix"), "suffix")
    if prompt and suffix:
        return _run(
            prepared,
            {
                "Prompt": prompt,
                "Suffix": suffix,
                "Response": "",
                "Think": think,
                "ThinkLevel": think_level,
                "IsThinkSet": think_set,
            },
            functions,
            root=prepared.root,
        )
    messages = _conversation(request, system, history)
    tools = [
        _tool(item, f"tools[{index}]")
        for index, item in enumerate(_list(request.get("tools"), "tools"))
    ]
    joined_system, collated = _collate(messages)
    if "messages" in prepared.variables:
        return _run(
            prepared,
            {
                "System": joined_system,
                "Messages": Messages(collated, nil=not collated),
                "Tools": Tools(tools, nil=not tools),
                "Response": "",
                "Think": think,
                "ThinkLevel": think_level,
                "IsThinkSet": think_set,
            },
            functions,
            root=prepared.root,
        )
    return _legacy(template, prepared, collated, functions, think, think_level, think_set)


def _conversation(
    request: Mapping[str, Any], system: str, history: Sequence[Mapping[str, Any]]
) -> list[Message]:
    """The messages Ollama hands the template for a chat or a plain generate request."""
    if "messages" in request or "prompt" not in request:
        own = [
            _message(item, f"messages[{index}]")
            for index, item in enumerate(_list(request.get("messages"), "messages"))
        ]
        messages = [_message(item, f"MESSAGE {index + 1}") for index, item in enumerate(history)]
        messages.extend(own)
        # Ollama's chat handler looks at the request's own first message, not the MESSAGEs.
        if own and own[0].Role != "system" and system:
            messages.insert(0, Message("system", system))
        return messages
    messages = []
    own_system = _string(request.get("system"), "system") or system
    if own_system:
        messages.append(Message("system", own_system))
    messages.extend(_message(item, f"messages[{index}]") for index, item in enumerate(history))
    images = [_image(item, "images") for item in _list(request.get("images"), "images")]
    messages.append(
        Message(
            "user", _string(request.get("prompt"), "prompt"), "", Images(images, nil=not images)
        )
    )
    return messages


def _legacy(
    template: str,
    prepared: _Prepared,
    messages: list[Message],
    functions: Mapping[str, Function],
    think: bool,
    think_level: str,
    think_set: bool,
) -> str:
    """The legacy path: one run per completed turn, the last one cut after `.Response`."""
    out: list[str] = []
    system = prompt = response = ""

    def values() -> dict[str, object]:
        return {
            "System": system,
            "Prompt": prompt,
            "Response": response,
            "Think": think,
            "ThinkLevel": think_level,
            "IsThinkSet": think_set,
        }

    for message in messages:
        if message.Role == "system":
            if prompt or response:
                out.append(_run(prepared, values(), functions, root=prepared.root))
                system = prompt = response = ""
            system = message.Content
        elif message.Role == "user":
            if response:
                out.append(_run(prepared, values(), functions, root=prepared.root))
                system = prompt = response = ""
            prompt = message.Content
        elif message.Role == "assistant":
            response = message.Content
    cut = _cut_root(template)
    # Ollama runs the cut tree as a new template: Go's builtins only, no named templates,
    # Go's default for missing keys.
    out.append(_run(prepared, values(), BUILTINS, root=cut, missing_zero=False, definitions={}))
    return "".join(out)


def forget_parsed_templates() -> None:
    """Forget every remembered parse (trees, cut trees, checks): the next render of any
    template parses it from scratch, as after a keystroke in it (benchmarks' cold path)."""
    with _PREPARE_LOCK:
        _parse_template.cache_clear()
        _cut_root.cache_clear()
    forget_checked_templates()


def template_variables(template: str) -> frozenset[str]:
    """The lower-cased field names Ollama's `Vars()` finds (empty when it does not parse)."""
    prepared = _prepare(template)
    return prepared.variables if isinstance(prepared, _Prepared) else frozenset()


def uses_messages(template: str) -> bool:
    """Whether Ollama renders `template` on the messages path (it mentions `.Messages`)."""
    return "messages" in template_variables(template)


__all__ = [
    "THINK_LEVELS",
    "TemplateError",
    "TemplateExecError",
    "TemplateParseError",
    "TemplateRequestError",
    "forget_parsed_templates",
    "render_prompt",
    "template_variables",
    "uses_messages",
]
