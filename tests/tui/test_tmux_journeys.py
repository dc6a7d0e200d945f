"""Journeys 1, 3 and 4 of the user guide, walked in a real tmux as a user over SSH walks them.

Each step presses the keys the footer shows and waits for what the screen should then say
(never a fixed sleep: `TmuxApp` polls the pane). Skipped, with the reason, where tmux is
missing (CI installs it).

1. First run with no Ollama: the app says no host answers and how to set one, and `d` brings
   up the demo host with Llama, Mistral, Qwen and Granite models.
3. Settings for qwen2.5-coder, for code: the Library finds the curated code parameters, `a`
   adds them to a new Modelfile, FROM the installed model, lint is clean, the create dialog
   shows the exact body, and the new model appears in Models.
4. Take the installed models apart: select all, extract, the preview says what is new and what
   the library has, save; then the library names the model and digest each TEMPLATE came from
   (also those it had curated already).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.tui.tmux import TmuxApp, require_tmux

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def tmux_installed() -> None:
    """Skip (with the reason) where tmux is missing."""
    require_tmux()


def test_journey_1_first_run_without_ollama_offers_the_demo_host(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    # A configured host where nothing listens (port 9, discard): the laptop without Ollama.
    (home / "config.toml").write_text(
        '[[hosts]]\nname = "laptop"\nurl = "http://127.0.0.1:9"\n', encoding="utf-8"
    )
    with TmuxApp.start(home, size=(100, 30), args=(), wait_for=None) as tui:
        # One capture can be a half-drawn frame: wait for every text the test needs.
        tui.wait_for(
            "No Ollama host answers",
            "laptop",
            "OLLAMA_HOST",
            "--host",
            "Press d (or F9) to use the built-in demo host",
        )
        tui.press("d")
        tui.wait_for("llama3.1:8b", "mistral:7b", "qwen3:8b", "granite4:3b")
        tui.wait_gone("No Ollama host answers")


def test_journey_3_curated_code_settings_become_a_new_model(tmp_path: Path) -> None:
    with TmuxApp.start(tmp_path / "home", size=(160, 45)) as tui:
        tui.press("F3")
        tui.wait_for("Search elements and Modelfiles", " results")  # listed: typing lands
        tui.type("Qwen2.5-Coder-32B code parameters")
        tui.wait_for("PARAMETERS  Qwen2.5-Coder-32B code parameters (vendor example)")
        tui.press("Down")  # into the results, on the first hit
        tui.wait_for("a Add to editor")
        tui.press("a")
        # No FROM yet: the text starts with one, the installed models offered to complete it.
        tui.wait_for("MF035", "qwen2.5-coder:7b  installed model")
        tui.type("qwen2.5-coder:7b")
        tui.press("Enter")
        tui.wait_for("lint clean")
        tui.press("C-r")
        tui.wait_for(
            "Create a model from this Modelfile",
            "POST /api/create body",
            '"from": "qwen2.5-coder:7b"',
            "Create (Enter)",
            "Close (Esc)",
        )
        tui.type("qwen2.5-coder:7b-code")  # the name box has the focus, empty for a new file
        tui.wait_for("qwen2.5-coder:7b-code")
        tui.press("Enter")
        tui.wait_for("Created qwen2.5-coder:7b-code on demo")
        tui.press("Escape")
        tui.wait_gone("Create a model from this Modelfile")
        tui.press("F2")
        tui.wait_for("qwen2.5-coder:7b-code")
        tui.press("/")
        tui.type("7b-code")
        tui.press("Enter")
        # Its details show the parameters the curated set gave it.
        tui.wait_for("temperature", "repeat_penalty")


def test_journey_4_extracted_elements_name_their_model_and_digest(tmp_path: Path) -> None:
    with TmuxApp.start(tmp_path / "home", size=(160, 45)) as tui:
        # Journey 4 is about provenance: it starts once the Library pane has loaded. (A key
        # typed in tmux while the deferred panes mount can be lost; that is an open problem.)
        tui.press("F3")
        tui.wait_for("Search elements and Modelfiles")
        tui.press("F2")
        tui.wait_gone("Search elements and Modelfiles")
        tui.press("a")
        tui.wait_for("selected")
        tui.press("x")
        screen = tui.wait_for(
            "Extract into the library:", "already there (their model and digest are recorded)"
        )
        already = re.search(r"(\d+) already there", screen)
        assert already is not None and int(already.group(1)) > 0  # curated TEMPLATEs among them
        tui.press("C-s")
        tui.wait_gone("Extract into the library:")
        tui.wait_for("Saved")
        tui.press("F3")
        tui.wait_for("Search elements and Modelfiles", " results")  # listed: typing lands
        tui.type("Llama-3.1-8B-Instruct template")
        # Curated content, its installed source recorded.
        tui.wait_until(
            lambda text: (
                "★ curated" in text
                and re.search(r"from llama3\.1:8b on demo \([0-9a-f]{12}", text) is not None
            ),
            "the curated TEMPLATE with the model and digest it came from",
        )
