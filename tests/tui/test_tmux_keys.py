"""The documented keys, sent through a real tmux (as over SSH): they reach the app and act.

Issue 11 item 12: in tmux, alt+d / alt+s / alt+f / alt+c never reached the editor's actions
(tmux sends alt+x as Esc x, which Textual hands over with the plain letter, and a focused text
box typed it). Every action now has a ctrl, function or plain key; these tests press exactly
the keys the footer and help show. Issue 17 item 3: drafts from an earlier session are offered
by a notice, never a modal that takes the next key.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import modelarium.tui.editor  # noqa: F401 - registers the editor pane's keys
from modelarium.store import Library
from modelarium.tui import keys
from tests.tui.tmux import TmuxApp, require_tmux

pytestmark = pytest.mark.slow

MODELFILE_WITH_TYPO = ("FROM llama3.2", "PARAMETER temprature 0.2")
FIXED_TEXT = "FROM llama3.2\nPARAMETER temperature 0.2"
IMPORT_TITLE = "Import a Modelfile: paste it here"
DRAFTS_TITLE = "Autosaved drafts, newest first"
# Waits look at a dialog's title (top left), never at text near the bottom right, where a
# notification can cover it: a covered text would look gone while the dialog is still open.


def tmux_key(scope: str, action: str) -> str:
    """The first key the registry documents for an action, in tmux's key names."""
    (known,) = [entry for entry in keys.registered(scope) if entry.action == action]
    first = known.keys.split(",")[0]
    if first.startswith("ctrl+"):
        return "C-" + first.removeprefix("ctrl+")
    if first.startswith("alt+"):
        return "M-" + first.removeprefix("alt+")
    if first[0] == "f" and first[1:].isdigit():
        return first.upper()
    return first


def input_line(screen: str) -> str:
    """The text box's line of a dialog (the line drawn between the box's ▊ and ▎ edges)."""
    lines = [line for line in screen.splitlines() if "▊  " in line and "▎" in line]
    return lines[-1] if lines else ""


@pytest.fixture(autouse=True)
def tmux_installed() -> None:
    """Skip (with the reason) where tmux is missing."""
    require_tmux()


def test_editor_actions_run_from_their_documented_keys(tmp_path: Path) -> None:
    with TmuxApp.start(tmp_path / "home") as tui:
        tui.press(tmux_key("app", "show_pane('editor')"))
        tui.wait_for("Problems", "empty: needs FROM")
        tui.type(MODELFILE_WITH_TYPO[0])
        tui.press("Enter")
        tui.type(MODELFILE_WITH_TYPO[1])
        tui.wait_for("MF020")

        tui.press(tmux_key("editor", "apply_fix"))
        tui.wait_for("PARAMETER temperature 0.2", "Fixed:")

        tui.press(tmux_key("editor", "export_file"))
        tui.wait_for("Export the Modelfile", "Export (Enter)", "Cancel (Esc)")
        tui.press("Enter")  # the path offered: Modelfile in the working folder
        tui.wait_gone("Export the Modelfile")
        tui.wait_for("Exported to")
        # The file ends in a newline, as Ollama's own rendering of a Modelfile does.
        assert (tui.home / "Modelfile").read_text(encoding="utf-8") == FIXED_TEXT + "\n"

        tui.press(tmux_key("editor", "copy_modelfile"))
        tui.wait_for("Copied the Modelfile")

        tui.press(tmux_key("editor", "import_text"))
        tui.wait_for(IMPORT_TITLE, "Open in editor (^s)", "Save to library (^l)")
        tui.press("Escape")
        tui.wait_gone(IMPORT_TITLE)

        tui.press(tmux_key("app", "show_drafts"))
        tui.wait_for(DRAFTS_TITLE, "Resume (Enter)", "Discard (Del)", "Close (Esc)")
        tui.press("Escape")
        tui.wait_gone(DRAFTS_TITLE)

        # The alt keys stay as extras, and now work in tmux too.
        tui.press("M-d")
        tui.wait_for(DRAFTS_TITLE)
        tui.press("Escape")
        tui.wait_gone(DRAFTS_TITLE)

        # Save to the library: a name typed at once lands in the name box; Enter saves.
        tui.press(tmux_key("editor", "save_to_library"))
        tui.type("tmux-saved")
        tui.wait_for("Save to the library", "tmux-saved")
        tui.press("Enter")
        tui.wait_gone("Save to the library")  # dismissed once the library has it
    library = Library.open(f"sqlite:///{tui.data_dir / 'library.sqlite3'}")
    try:
        assert "tmux-saved" in [stored.name for stored in library.list_modelfiles()]
    finally:
        library.close()


def test_keys_typed_with_the_key_that_opens_a_dialog_land_in_it(tmp_path: Path) -> None:
    with TmuxApp.start(tmp_path / "home") as tui:
        before = tui.screen()
        assert before.index("granite3.3:8b") < before.index("qwen3:8b")
        # `c` and `S` in one burst: S is the name typed, not the table's reverse sort.
        tui.press("c", "S")
        tui.wait_for("Copy granite3.3:8b on demo to:")
        tui.wait_until(
            lambda screen: "  S  " in input_line(screen), "S typed into the copy dialog's name"
        )
        tui.press("Escape")
        screen_after = tui.wait_gone("Copy granite3.3:8b on demo to:")
        assert screen_after.index("granite3.3:8b") < screen_after.index("qwen3:8b")

        # The function keys get through too: help, then the panes.
        tui.press("F1")
        tui.wait_for("Modelarium keys", "Esc closes this help")
        tui.press("Escape")
        tui.wait_gone("Esc closes this help")
        tui.press("F4")
        tui.wait_for("Problems")
        tui.press("F2")
        tui.wait_gone("Problems")
        # Escape then 3 in one burst (tmux sends them as alt+3): help closes, the Editor shows.
        tui.press("F1")
        tui.wait_for("Modelarium keys", "Esc closes this help")
        tui.press("Escape", "3")
        tui.wait_for("Problems")
        tui.wait_gone("Esc closes this help")
        tui.press("F2")
        tui.wait_gone("Problems")

        # `p` and a name in one burst, then Enter: the pull starts for that name (one the
        # host does not have, so no replace question comes first).
        tui.press("p", *"tinyllama:latest", "Enter")
        tui.wait_for("Pulling tinyllama:latest to demo")


def test_drafts_of_an_earlier_session_are_a_notice_not_a_dialog(tmp_path: Path) -> None:
    home = tmp_path / "home"
    database = f"sqlite:///{home / 'data' / 'library.sqlite3'}"
    (home / "data").mkdir(parents=True)
    library = Library.open(database)
    try:
        library.save_draft("FROM llama3.2\nSYSTEM left behind\n", name="left behind", origin="t")
    finally:
        library.close()
    with TmuxApp.start(home) as tui:
        tui.wait_for("1 draft from an earlier session")
        tui.wait_gone(DRAFTS_TITLE)
        # `x` is the Models pane's Extract here, never a Discard.
        tui.press("x")
        tui.wait_for("Extract into the library")
        tui.press("Escape")
        tui.wait_gone("Extract into the library")
        tui.press(tmux_key("app", "show_drafts"))
        tui.wait_for(DRAFTS_TITLE, "left behind")
        tui.press("Escape")
        tui.wait_gone(DRAFTS_TITLE)
        # ctrl+q gets through (the terminal's XON/XOFF flow control is off in the app): the
        # app leaves the screen. (Not "Pane is dead": tmux at times reaps the process late.)
        tui.press(tmux_key("app", "quit"))
        tui.wait_gone("Hosts:", "^q Quit")
    library = Library.open(database)
    try:
        assert [draft.name for draft in library.list_drafts()] == ["left behind"]
    finally:
        library.close()
