"""Go's `text/template` as Ollama uses it, in pure Python: the parser and checker
(`parse`), parse trees (`tree`), execution (`exec`), Go's builtins (`funcs`), Go values with
`fmt` and `encoding/json` printing (`values`) and Ollama's functions and types (`ollama`).

`modelfile.prompt.render_prompt` is the entry point most callers want; `modelfile.template`
keeps the checker's names for lint and the demo host.
"""

from __future__ import annotations

from modelarium.modelfile.gotemplate.exec import ExecError, execute
from modelarium.modelfile.gotemplate.tree import TemplateSyntaxError, Tree, build

__all__ = ["ExecError", "TemplateSyntaxError", "Tree", "build", "execute"]
