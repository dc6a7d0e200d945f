"""Go `text/template` checks for a TEMPLATE, as Ollama's create runs them.

The parser lives in `modelfile/gotemplate/` with the executor that renders prompts; this module
keeps the names lint, the demo host and scripts import.
"""

from __future__ import annotations

from modelarium.modelfile.gotemplate.parse import (
    BLOCK_KEYWORDS,
    CREATE_ERROR_PREFIX,
    GO_BUILTIN_FUNCTIONS,
    OLLAMA_FUNCTIONS,
    TEMPLATE_FUNCTIONS,
    Action,
    TemplateCheck,
    TemplateProblem,
    check_template,
    create_error,
    literal_text,
)

__all__ = [
    "BLOCK_KEYWORDS",
    "CREATE_ERROR_PREFIX",
    "GO_BUILTIN_FUNCTIONS",
    "OLLAMA_FUNCTIONS",
    "TEMPLATE_FUNCTIONS",
    "Action",
    "TemplateCheck",
    "TemplateProblem",
    "check_template",
    "create_error",
    "literal_text",
]
