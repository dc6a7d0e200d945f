"""The pure Modelfile core: parse, render, create request, elements, lint, format, diff,
prompt rendering and the checks against an installed model. Import from here:
`from modelarium.modelfile import parse, lint, model_create`.

Nothing in this package does I/O beyond what Ollama's own create conversion does (stat and hash
local FROM/ADAPTER/DRAFT paths in `create.py`), and nothing imports Textual, httpx or
SQLAlchemy (the import contract in pyproject.toml checks it). Go's runtime behaviour lives in
`golang/`, Go's `text/template` in `gotemplate/`.

Names load on first use (PEP 562), so importing one submodule or this package costs only what
is used: start-up is a tracked figure. Three names are also submodule names (`lint`, `drift`,
`prompt_source`); the package attribute is always the function, the module stays importable as
`modelarium.modelfile.lint`.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing's own flag, without importing typing (start-up)

if TYPE_CHECKING:
    from types import ModuleType

    from modelarium.modelfile.analysis import TextAnalysis, analyse
    from modelarium.modelfile.bases import FromBase, from_base, from_commands, is_blob_path
    from modelarium.modelfile.commands import (
        Command,
        InvalidCommandError,
        InvalidRoleError,
        ModelfileError,
        NoFromLineError,
        UnexpectedEOFError,
    )
    from modelarium.modelfile.completion import Completion, CompletionItem, complete
    from modelarium.modelfile.create import (
        CreateMarshalError,
        CreateRequest,
        CreateRequestError,
        ModelCreate,
        build_create_request,
        licenses_of_modelfile,
        model_create,
        quantize_problem,
    )
    from modelarium.modelfile.diff import (
        Change,
        DiffError,
        ModelfileDiff,
        diff_modelfiles,
        effective_parameters,
    )
    from modelarium.modelfile.document import DocumentEditError, ModelfileDocument, scan_cached
    from modelarium.modelfile.drift import Drift, drift, has_drifted
    from modelarium.modelfile.effective import (
        EffectiveSetting,
        effective_settings,
        model_settings,
        settings_table,
    )
    from modelarium.modelfile.elements import (
        Element,
        ElementKind,
        GenerateError,
        Message,
        Parameter,
        command_text,
        commands_from_elements,
        elements_from_commands,
        elements_from_text,
        generate_modelfile,
    )
    from modelarium.modelfile.format import FormatError, format_modelfile
    from modelarium.modelfile.lint import (
        BINARY_INPUT,
        RULES,
        Diagnostic,
        Fix,
        Rule,
        encoding_problem,
        has_errors,
        lint,
    )
    from modelarium.modelfile.model_facts import CuratedAdvice, ModelFacts, facts_from_modelfile
    from modelarium.modelfile.model_rules import ElementSpan, check_against_model
    from modelarium.modelfile.overlay import overlay_create, overlay_problem, overlay_request
    from modelarium.modelfile.params import (
        DEPRECATED_PARAMETERS,
        PARAMETERS,
        ParameterSpec,
        parameter_spec,
        parameter_text,
        parameter_value_text,
    )
    from modelarium.modelfile.parser import ParsedCommand, ParseOutcome, decode, parse, scan
    from modelarium.modelfile.positions import TextPositions
    from modelarium.modelfile.prompt import (
        TemplateError,
        TemplateExecError,
        TemplateParseError,
        TemplateRequestError,
        render_prompt,
    )
    from modelarium.modelfile.prompt_samples import DEFAULT_SAMPLE, SAMPLE_NAMES, sample_request
    from modelarium.modelfile.prompt_source import PromptSource, inherit, prompt_source
    from modelarium.modelfile.render import render_commands
    from modelarium.modelfile.template import TemplateCheck, check_template
    from modelarium.modelfile.tool_calls import (
        TOOL_CALL_CODE,
        ToolCallMismatch,
        tool_call_mismatch,
        tool_call_style,
    )

_HOMES: dict[str, tuple[str, ...]] = {
    "analysis": (
        "TextAnalysis",
        "analyse",
    ),
    "bases": (
        "FromBase",
        "from_base",
        "from_commands",
        "is_blob_path",
    ),
    "commands": (
        "Command",
        "ModelfileError",
        "InvalidCommandError",
        "InvalidRoleError",
        "UnexpectedEOFError",
        "NoFromLineError",
    ),
    "parser": (
        "ParseOutcome",
        "ParsedCommand",
        "decode",
        "parse",
        "scan",
    ),
    "render": ("render_commands",),
    "create": (
        "CreateMarshalError",
        "CreateRequest",
        "CreateRequestError",
        "ModelCreate",
        "build_create_request",
        "licenses_of_modelfile",
        "model_create",
        "quantize_problem",
    ),
    "lint": (
        "BINARY_INPUT",
        "RULES",
        "Diagnostic",
        "Fix",
        "Rule",
        "encoding_problem",
        "has_errors",
        "lint",
    ),
    "format": (
        "FormatError",
        "format_modelfile",
    ),
    "diff": (
        "Change",
        "DiffError",
        "ModelfileDiff",
        "diff_modelfiles",
        "effective_parameters",
    ),
    "elements": (
        "Element",
        "ElementKind",
        "GenerateError",
        "Message",
        "Parameter",
        "command_text",
        "commands_from_elements",
        "elements_from_commands",
        "elements_from_text",
        "generate_modelfile",
    ),
    "document": (
        "DocumentEditError",
        "ModelfileDocument",
        "scan_cached",
    ),
    "params": (
        "DEPRECATED_PARAMETERS",
        "PARAMETERS",
        "ParameterSpec",
        "parameter_spec",
        "parameter_text",
        "parameter_value_text",
    ),
    "template": (
        "TemplateCheck",
        "check_template",
    ),
    "prompt": (
        "TemplateError",
        "TemplateExecError",
        "TemplateParseError",
        "TemplateRequestError",
        "render_prompt",
    ),
    "prompt_source": (
        "PromptSource",
        "inherit",
        "prompt_source",
    ),
    "prompt_samples": (
        "DEFAULT_SAMPLE",
        "SAMPLE_NAMES",
        "sample_request",
    ),
    "model_facts": (
        "CuratedAdvice",
        "ModelFacts",
        "facts_from_modelfile",
    ),
    "model_rules": (
        "ElementSpan",
        "check_against_model",
    ),
    "effective": (
        "EffectiveSetting",
        "effective_settings",
        "model_settings",
        "settings_table",
    ),
    "drift": (
        "Drift",
        "drift",
        "has_drifted",
    ),
    "overlay": (
        "overlay_create",
        "overlay_problem",
        "overlay_request",
    ),
    "positions": ("TextPositions",),
    "tool_calls": (
        "TOOL_CALL_CODE",
        "ToolCallMismatch",
        "tool_call_mismatch",
        "tool_call_style",
    ),
    "completion": (
        "Completion",
        "CompletionItem",
        "complete",
    ),
}
"""Submodule -> the public names it defines."""

_HOME_OF: dict[str, str] = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "BINARY_INPUT",
    "DEFAULT_SAMPLE",
    "DEPRECATED_PARAMETERS",
    "PARAMETERS",
    "RULES",
    "SAMPLE_NAMES",
    "TOOL_CALL_CODE",
    "Change",
    "Command",
    "Completion",
    "CompletionItem",
    "CreateMarshalError",
    "CreateRequest",
    "CreateRequestError",
    "CuratedAdvice",
    "Diagnostic",
    "DiffError",
    "DocumentEditError",
    "Drift",
    "EffectiveSetting",
    "Element",
    "ElementKind",
    "ElementSpan",
    "Fix",
    "FormatError",
    "FromBase",
    "GenerateError",
    "InvalidCommandError",
    "InvalidRoleError",
    "Message",
    "ModelCreate",
    "ModelFacts",
    "ModelfileDiff",
    "ModelfileDocument",
    "ModelfileError",
    "NoFromLineError",
    "Parameter",
    "ParameterSpec",
    "ParseOutcome",
    "ParsedCommand",
    "PromptSource",
    "Rule",
    "TemplateCheck",
    "TemplateError",
    "TemplateExecError",
    "TemplateParseError",
    "TemplateRequestError",
    "TextAnalysis",
    "TextPositions",
    "ToolCallMismatch",
    "UnexpectedEOFError",
    "analyse",
    "build_create_request",
    "check_against_model",
    "check_template",
    "command_text",
    "commands_from_elements",
    "complete",
    "decode",
    "diff_modelfiles",
    "drift",
    "effective_parameters",
    "effective_settings",
    "elements_from_commands",
    "elements_from_text",
    "encoding_problem",
    "facts_from_modelfile",
    "format_modelfile",
    "from_base",
    "from_commands",
    "generate_modelfile",
    "has_drifted",
    "has_errors",
    "inherit",
    "is_blob_path",
    "licenses_of_modelfile",
    "lint",
    "model_create",
    "model_settings",
    "overlay_create",
    "overlay_problem",
    "overlay_request",
    "parameter_spec",
    "parameter_text",
    "parameter_value_text",
    "parse",
    "prompt_source",
    "quantize_problem",
    "render_commands",
    "render_prompt",
    "sample_request",
    "scan",
    "scan_cached",
    "settings_table",
    "tool_call_mismatch",
    "tool_call_style",
]


def __getattr__(name: str) -> object:
    """Load a public name from its submodule on first use."""
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib  # only when a name is first used (start-up)

    value: object = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if not TYPE_CHECKING:
    ModuleType = type(sys)  # types.ModuleType, without importing types (start-up)


class _FrontDoor(ModuleType):
    """This package's module type: importing the submodule `lint` (or `drift`, `prompt_source`)
    must not replace the public function of the same name on the package."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, ModuleType) and _HOME_OF.get(name) == name:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _FrontDoor
