"""The editor's status title names where the text came from only while the text still starts
FROM what it was loaded with; after that it is marked `(FROM changed)`, in the status line and
in the draft saved from the text."""

from __future__ import annotations

from textual.widgets import Static

from modelarium.tui.editor import EditorPane
from modelarium.tui.editor.status import FROM_CHANGED, TextTitle
from tests.tui.conftest import wait_for
from tests.tui.test_editor import EditorApp

TRIAL = "# think off (a request setting, not a line)\nFROM qwen3:8b\nPARAMETER temperature 0.7\n"
TRIAL_TITLE = "trial: qwen3:8b · think off"


def _status(app: EditorApp) -> str:
    return str(app.query_one("#editor-status", Static).content)


def test_the_title_is_marked_once_the_from_values_differ_and_unmarked_when_back() -> None:
    title = TextTitle(TRIAL_TITLE)
    title.baseline(("qwen3:8b",))
    title.judge(("qwen3:8b",))
    assert title.shown == TRIAL_TITLE
    title.judge(("llama3.1:8b",))
    assert title.shown == f"{TRIAL_TITLE} {FROM_CHANGED}"
    title.judge(None)  # a syntax error hides the FROM: the last word stands
    assert title.departed
    title.judge(())  # the FROM line deleted: still not what the title named
    assert title.departed
    title.judge(("qwen3:8b",))
    assert title.shown == TRIAL_TITLE


def test_a_title_for_no_model_is_never_marked_and_untitled_stays_untitled() -> None:
    pasted = TextTitle("pasted Modelfile")
    pasted.baseline(())  # the pasted text had no FROM
    pasted.judge(("qwen3:8b",))
    assert pasted.shown == "pasted Modelfile"
    unparsed = TextTitle("library: broken")
    unparsed.baseline(None)
    unparsed.judge(("qwen3:8b",))
    assert unparsed.shown == "library: broken"
    new = TextTitle("untitled")
    new.baseline(("a",))
    new.judge(("b",))
    assert new.shown == "untitled" and TextTitle().shown == "untitled"


async def test_changing_the_from_of_a_trial_marks_the_status_and_the_draft_title(
    library_url: str,
) -> None:
    app = EditorApp(library_url)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = app.query_one(EditorPane)
        await wait_for(pilot, lambda: pane.analysis is not None)
        pane.load_text(TRIAL, origin=TRIAL_TITLE)
        await wait_for(pilot, lambda: pane.title.known and "lint clean" in _status(app))
        assert _status(app).startswith(f"{TRIAL_TITLE}  ·")
        assert pane._draft_title() == TRIAL_TITLE
        # Edit a parameter: the text is still the trial's variant, over the same model.
        pane.text_area.move_cursor((2, len("PARAMETER temperature 0.7")))
        await pilot.press("backspace", "5")
        await wait_for(
            pilot, lambda: "temperature 0.5" in pane.text and "lint clean" in _status(app)
        )
        assert FROM_CHANGED not in _status(app)
        # Now the FROM: the title names a trial of qwen3:8b the text no longer is.
        pane.text_area.move_cursor((1, len("FROM qwen3:8b")))
        await pilot.press(*["backspace"] * len("qwen3:8b"), *"llama3.1:8b")
        await wait_for(pilot, lambda: FROM_CHANGED in _status(app))
        assert _status(app).startswith(f"{TRIAL_TITLE} {FROM_CHANGED}  ·")
        assert pane._draft_title() == f"{TRIAL_TITLE} {FROM_CHANGED}"
        # Typed back: the title holds again.
        await pilot.press(*["backspace"] * len("llama3.1:8b"), *"qwen3:8b")
        await wait_for(pilot, lambda: "FROM qwen3:8b" in pane.text and pane.analysis is not None)
        await wait_for(pilot, lambda: FROM_CHANGED not in _status(app))
        assert _status(app).startswith(f"{TRIAL_TITLE}  ·")


async def test_a_resumed_drafts_title_is_marked_too_and_a_new_document_starts_clean(
    library_url: str,
) -> None:
    app = EditorApp(library_url)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = app.query_one(EditorPane)
        await wait_for(pilot, lambda: pane.analysis is not None)
        pane.load_text(TRIAL, origin="draft #3")
        await wait_for(pilot, lambda: pane.title.known)
        pane.text_area.move_cursor((1, len("FROM qwen3:8")))
        await pilot.press("backspace", "4")
        await wait_for(pilot, lambda: "draft #3 (FROM changed)" in _status(app))
        pane.load_text(TRIAL, origin=TRIAL_TITLE)
        await wait_for(pilot, lambda: pane.title.known and _status(app).startswith(TRIAL_TITLE))
        assert FROM_CHANGED not in _status(app)


async def test_typing_before_the_first_analysis_still_finds_the_loaded_from(
    library_url: str,
) -> None:
    """The loaded text's FROM is carried by every analysis until one reports it, so keys typed
    at once (whether the load's own analysis ran or was replaced) do not lose the baseline."""
    app = EditorApp(library_url)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = app.query_one(EditorPane)
        await wait_for(pilot, lambda: pane.analysis is not None)
        pane.load_text(TRIAL, origin=TRIAL_TITLE)
        pane.text_area.move_cursor((1, len("FROM qwen3:8")))
        await pilot.press("backspace", "4")  # qwen3:4b, while the load's analysis waits
        await wait_for(pilot, lambda: FROM_CHANGED in _status(app))
        assert pane.title.loaded_from == ("qwen3:8b",)
