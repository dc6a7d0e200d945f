"""Ollama's template layer (`template/template.go`): its functions, the Go types a TEMPLATE sees
(messages, tool calls, tools, tool properties) and how they print and encode.

What the oracle showed: tool-call arguments print as JSON with keys sorted at every level (a
call without arguments prints `{}`, while `json` of it gives `null`); `.Tools` prints as JSON
(`null` without tools); tool parameter properties are a sorted map at the top level and keep
insertion order below; `json .Messages` uses Go field names and base64 image bytes. Pure.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from modelarium.modelfile.gotemplate.exec import ANY, STRING, Function
from modelarium.modelfile.gotemplate.funcs import BUILTINS
from modelarium.modelfile.gotemplate.values import (
    GoMap,
    GoSlice,
    GoStruct,
    JSONError,
    NilPointer,
    to_json,
)


class PropertyType(GoSlice):
    """`api.PropertyType`: one JSON type name or several (`["string", "null"]`)."""

    __slots__ = ()
    GO_TYPE = "api.PropertyType"

    def go_string(self) -> str | None:
        if len(self) == 1:
            return str(self[0])
        return "[" + " ".join(str(item) for item in self) + "]"

    def go_json(self) -> str | None:
        if len(self) == 1:
            return to_json(self[0])
        return None


class AnySlice(GoSlice):
    """`[]any` that may be nil (`Enum`)."""

    __slots__ = ()
    GO_TYPE = "[]interface {}"


class StringSlice(GoSlice):
    """`[]string` that may be nil (`Required`)."""

    __slots__ = ()
    GO_TYPE = "[]string"


class PropertySlice(GoSlice):
    """`[]api.ToolProperty` (`AnyOf`)."""

    __slots__ = ()
    GO_TYPE = "[]api.ToolProperty"


class ToolProperty(GoStruct):
    """`api.ToolProperty`."""

    __slots__ = ("AnyOf", "Description", "Enum", "Items", "Properties", "Required", "Type")
    GO_TYPE = "api.ToolProperty"
    GO_FIELDS = ("AnyOf", "Type", "Items", "Description", "Enum", "Properties", "Required")
    JSON = (
        ("AnyOf", "anyOf", True),
        ("Type", "type", True),
        ("Items", "items", True),
        ("Description", "description", True),
        ("Enum", "enum", True),
        ("Properties", "properties", True),
        ("Required", "required", True),
    )

    def __init__(
        self,
        any_of: PropertySlice | None = None,
        kind: PropertyType | None = None,
        items: object = None,
        description: str = "",
        enum: AnySlice | None = None,
        properties: object = None,
        required: StringSlice | None = None,
    ) -> None:
        self.AnyOf = any_of if any_of is not None else PropertySlice(nil=True)
        self.Type = kind if kind is not None else PropertyType(nil=True)
        self.Items = items
        self.Description = description
        self.Enum = enum if enum is not None else AnySlice(nil=True)
        self.Properties = properties if properties is not None else _nil_properties()
        self.Required = required if required is not None else StringSlice(nil=True)

    def typescript_type(self) -> str:
        """`ToolProperty.ToTypeScriptType()`."""
        if self.AnyOf:
            return " | ".join(
                item.typescript_type() for item in self.AnyOf if isinstance(item, ToolProperty)
            )
        if not self.Type:
            return "any"
        return " | ".join(_TYPESCRIPT.get(str(kind), "any") for kind in self.Type)


_TYPESCRIPT = {
    "string": "string",
    "number": "number",
    "integer": "number",
    "boolean": "boolean",
    "array": "any[]",
    "object": "Record<string, any>",
    "null": "null",
}


class NestedProperties(GoMap):
    """`*api.ToolPropertiesMap`: nested properties, encoded in the order they were given."""

    __slots__ = ()
    GO_TYPE = "*api.ToolPropertiesMap"
    ORDERED = True

    def zero(self) -> object:
        return ToolProperty()


def _nil_properties() -> object:
    return NilPointer(NestedProperties.GO_TYPE)


class TemplateProperties(GoMap):
    """`templateProperties` (`map[string]api.ToolProperty`): prints as JSON, sorted keys."""

    __slots__ = ()
    GO_TYPE = "template.templateProperties"

    def zero(self) -> object:
        return ToolProperty()

    def go_string(self) -> str | None:
        return _json_or_empty(self)


class Parameters(GoStruct):
    """A tool function's `parameters`."""

    __slots__ = ("Defs", "Items", "Properties", "Required", "Type")
    GO_TYPE = "template.templateToolFunctionParameters"
    GO_FIELDS = ("Type", "Defs", "Items", "Required", "Properties")
    JSON = (
        ("Type", "type", False),
        ("Defs", "$defs", True),
        ("Items", "items", True),
        ("Required", "required", True),
        ("Properties", "properties", False),
    )

    def __init__(
        self,
        kind: str,
        defs: object,
        items: object,
        required: StringSlice,
        properties: TemplateProperties,
    ) -> None:
        self.Type = kind
        self.Defs = defs
        self.Items = items
        self.Required = required
        self.Properties = properties


class ToolFunction(GoStruct):
    """A tool's `function`."""

    __slots__ = ("Description", "Name", "Parameters")
    GO_TYPE = "template.templateToolFunction"
    GO_FIELDS = ("Name", "Description", "Parameters")
    JSON = (
        ("Name", "name", False),
        ("Description", "description", True),
        ("Parameters", "parameters", False),
    )

    def __init__(self, name: str, description: str, parameters: Parameters) -> None:
        self.Name = name
        self.Description = description
        self.Parameters = parameters


class Tool(GoStruct):
    """One tool; prints as its JSON."""

    __slots__ = ("Function", "Items", "Type")
    GO_TYPE = "template.templateTool"
    GO_FIELDS = ("Type", "Items", "Function")
    JSON = (("Type", "type", False), ("Items", "items", True), ("Function", "function", False))

    def __init__(self, kind: str, items: object, function: ToolFunction) -> None:
        self.Type = kind
        self.Items = items
        self.Function = function

    def go_string(self) -> str | None:
        return _json_or_empty(self)


class Tools(GoSlice):
    """`.Tools`: prints as JSON (`null` when the request has none)."""

    __slots__ = ()
    GO_TYPE = "template.templateTools"

    def go_string(self) -> str | None:
        return _json_or_empty(self)


class Arguments(GoMap):
    """A tool call's arguments: print as JSON with sorted keys, `{}` when there are none."""

    __slots__ = ()
    GO_TYPE = "template.templateArgs"

    def go_string(self) -> str | None:
        if self.nil:
            return "{}"
        return _json_or_empty(self)


class CallFunction(GoStruct):
    """A tool call's `function`."""

    __slots__ = ("Arguments", "Index", "Name")
    GO_TYPE = "template.templateToolCallFunction"
    GO_FIELDS = ("Index", "Name", "Arguments")
    JSON = (("Index", "Index", False), ("Name", "Name", False), ("Arguments", "Arguments", False))

    def __init__(self, index: int, name: str, arguments: Arguments) -> None:
        self.Index = index
        self.Name = name
        self.Arguments = arguments


class ToolCall(GoStruct):
    """One tool call of an assistant message."""

    __slots__ = ("Function", "ID")
    GO_TYPE = "template.templateToolCall"
    GO_FIELDS = ("ID", "Function")
    JSON = (("ID", "ID", False), ("Function", "Function", False))

    def __init__(self, call_id: str, function: CallFunction) -> None:
        self.ID = call_id
        self.Function = function


class ToolCalls(GoSlice):
    """An assistant message's tool calls (nil when it has none)."""

    __slots__ = ()
    GO_TYPE = "[]template.templateToolCall"


class Images(GoSlice):
    """A message's images as bytes (nil when it has none)."""

    __slots__ = ()
    GO_TYPE = "[]api.ImageData"


class Message(GoStruct):
    """One (collated) message as `.Messages` holds it."""

    __slots__ = ("Content", "Images", "Role", "Thinking", "ToolCallID", "ToolCalls", "ToolName")
    GO_TYPE = "template.templateMessage"
    GO_FIELDS = ("Role", "Content", "Thinking", "Images", "ToolCalls", "ToolName", "ToolCallID")
    JSON: ClassVar[tuple[tuple[str, str, bool], ...]] = tuple(
        (name, name, False) for name in GO_FIELDS
    )

    def __init__(
        self,
        role: str,
        content: str,
        thinking: str = "",
        images: Images | None = None,
        tool_calls: ToolCalls | None = None,
        tool_name: str = "",
        tool_call_id: str = "",
    ) -> None:
        self.Role = role
        self.Content = content
        self.Thinking = thinking
        self.Images = images if images is not None else Images(nil=True)
        self.ToolCalls = tool_calls if tool_calls is not None else ToolCalls(nil=True)
        self.ToolName = tool_name
        self.ToolCallID = tool_call_id


class Messages(GoSlice):
    """`.Messages` after collate (nil when the conversation is empty)."""

    __slots__ = ()
    GO_TYPE = "[]*template.templateMessage"


def _json_or_empty(value: object) -> str:
    try:
        return to_json(value)
    except JSONError:
        return ""


def _json(value: object) -> str:
    """Ollama's `json`: `json.Marshal`, an error giving the empty string."""
    return _json_or_empty(value)


def _typescript(value: object) -> str:
    if isinstance(value, ToolProperty):
        return value.typescript_type()
    return "any"


def ollama_functions(today: date) -> dict[str, Function]:
    """Go's builtins plus Ollama's functions, with `currentDate` fixed to `today`."""
    current = today.isoformat()
    yesterday = (today - timedelta(days=1)).isoformat()

    def current_date(*_formats: str) -> str:
        return current

    def yesterday_date(*_formats: str) -> str:
        return yesterday

    functions: dict[str, Function] = dict(BUILTINS)
    functions["json"] = Function((ANY,), None, _json)
    functions["currentDate"] = Function((), STRING, current_date)
    functions["yesterdayDate"] = Function((), STRING, yesterday_date)
    functions["toTypeScriptType"] = Function((ANY,), None, _typescript)
    return functions
