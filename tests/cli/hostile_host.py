"""A demo host that serves terminal escapes: a model whose license, SYSTEM, family and
capabilities carry ESC sequences, C1 controls and a bidi override, and error texts that do.
Shared by the CLI and TUI tests of terminal-safe text."""

from __future__ import annotations

from dataclasses import replace

from modelarium.demo import DemoState
from modelarium.demo.state import ModelConfig
from modelarium.ollama.names import ModelName

ESC_TITLE = "\x1b]0;pwned\x07"
"""OSC 0: sets the terminal's window title."""
ESC_CLEAR = "\x1b[2J\x1b[31m"
"""CSI: clears the screen, turns the text red."""
C1_CSI = "\x9b1m"
BIDI = "\u202e"

HOSTILE_MODEL = "hostile:latest"
HOSTILE_LICENSE = f"\n{ESC_TITLE}Evil License{ESC_CLEAR}\nline two {C1_CSI}{BIDI}gnp.exe\n"
HOSTILE_SYSTEM = f"Be nice.{ESC_CLEAR}"
HOSTILE_FAMILY = f"llama{ESC_CLEAR}"
HOSTILE_ERROR = f"out of memory{ESC_CLEAR}{ESC_TITLE}"

RAW_MARKERS = ("\x1b", "\x9b", "\x07", BIDI)
"""Characters that must never reach a terminal raw."""


def add_hostile_model(state: DemoState, base: str = "llama3.2:latest") -> None:
    """Install `HOSTILE_MODEL`: `base`'s layers with a hostile license and SYSTEM, and a
    hostile family in its config."""
    installed = state.find(ModelName.parse(base))
    assert installed is not None, base
    kept = [layer for layer in installed.manifest.layers if layer.kind not in ("license", "system")]
    layers = [
        *kept,
        state.text_layer("system", HOSTILE_SYSTEM),
        state.text_layer("license", HOSTILE_LICENSE),
    ]
    config: ModelConfig = replace(
        installed.manifest.config, model_family=HOSTILE_FAMILY, model_families=(HOSTILE_FAMILY,)
    )
    state.install(ModelName.parse(HOSTILE_MODEL), state.make_manifest(layers, config))


def assert_no_raw_escapes(text: str) -> None:
    """No character that acts on a terminal is left raw in `text` (line breaks allowed)."""
    for marker in RAW_MARKERS:
        assert marker not in text, (marker, text)
