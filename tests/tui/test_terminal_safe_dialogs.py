"""The confirm and name dialogs and the batch-apply preview show model and host names as plain,
terminal-safe text: an ESC sequence is shown escaped and `[b]` is text, not markup."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Static

from modelarium.tui.dialogs.confirm import ConfirmDialog
from modelarium.tui.dialogs.name_input import NameDialog
from tests.cli.hostile_host import ESC_CLEAR, assert_no_raw_escapes


def shown(static: Static) -> str:
    """The text a Static paints (its rendered content, not its source string)."""
    rendered = static.render()
    return str(getattr(rendered, "plain", rendered))


HOSTILE = f"evil{ESC_CLEAR}[b]model[/b]:latest"


async def test_confirm_and_name_dialogs_show_names_safely() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        await app.push_screen(ConfirmDialog(f"Delete {HOSTILE}?", f"on host {HOSTILE}\nsure?"))
        await pilot.pause()
        texts = [shown(static) for static in app.screen.query(Static)]
        painted = "\n".join(texts)
        assert_no_raw_escapes(painted)
        assert "[b]model[/b]" in painted and "\\x1b" in painted
        assert "sure?" in painted
        app.pop_screen()
        await app.push_screen(NameDialog(f"Copy {HOSTILE} to:"))
        await pilot.pause()
        title = shown(app.screen.query_one(".dialog-title", Static))
        assert_no_raw_escapes(title)
        assert "[b]model[/b]" in title


async def test_the_editor_never_paints_terminal_escapes() -> None:
    from textual.app import ComposeResult

    from modelarium.tui.widgets.text_area import ModelfileTextArea

    class Editor(App[None]):
        def compose(self) -> ComposeResult:
            yield ModelfileTextArea(f'FROM x\nSYSTEM "{ESC_CLEAR}hi\u202e\x1b]0;title\x07"\n')

    app = Editor()
    async with app.run_test() as pilot:
        await pilot.pause()
        area = app.query_one(ModelfileTextArea)
        line = area.render_line(1).text
        assert_no_raw_escapes(line)
        assert "[2J" in line and "hi" in line
        assert area.text.count("\x1b") == 3, "the document keeps what the file holds"
        assert "\x1b" not in app.export_screenshot()
