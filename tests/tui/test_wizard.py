"""The creation wizard on the demo host: end to end (from a model in Models to the created
model selected there, its details showing the chosen parameters), resuming an unfinished
wizard from its draft, and a snapshot of each step."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, TextArea

from modelarium.model_names import suggested_name
from modelarium.modelfile.document import ModelfileDocument
from modelarium.tui.app import ModelariumApp
from modelarium.tui.dialogs.editor_drafts import DraftsDialog, draft_label
from modelarium.tui.editor import EditorPane
from modelarium.tui.models import ModelsPane
from modelarium.tui.widgets.parameter_form import ParameterForm
from modelarium.tui.wizard import WizardScreen
from modelarium.tui.wizard.state import WizardState
from modelarium.tui.wizard_draft import WizardChoices
from tests.tui.conftest import (
    AppFactory,
    highlight_model,
    load_panes,
    settle,
    wait_for,
    wait_for_screen,
)

SnapCompare = Callable[..., bool]
SIZE = (150, 42)


def wizard(app: ModelariumApp) -> WizardScreen:
    screen = app.screen
    assert isinstance(screen, WizardScreen)
    return screen


async def pick(pilot: Pilot[None], list_id: str, option_id: str) -> None:
    """Highlight an option of a wizard list and press Enter on it."""
    screen = wizard(pilot.app)  # type: ignore[arg-type]
    options = screen.query_one(list_id, OptionList)
    await wait_for(pilot, lambda: any(o.id == option_id for o in options.options))
    options.focus()
    options.highlighted = [o.id for o in options.options].index(option_id)
    await pilot.press("enter")


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    """Replace the text of an input of the wizard by typing."""
    box = wizard(pilot.app).query_one(selector, Input)  # type: ignore[arg-type]
    box.focus()
    box.value = ""
    await pilot.press(*text)


def test_state_composes_and_round_trips_a_draft() -> None:
    state = WizardState()
    state.set_base("demo", "qwen2.5-coder:7b")
    state.apply_parameters({"temperature": "0.2", "stop": ("<|im_end|>", "<|endoftext|>")})
    state.system = "You write code."
    state.choices.step = 3
    text = state.modelfile()
    assert text.startswith("FROM qwen2.5-coder:7b\nSYSTEM You write code.\n")
    assert "PARAMETER temperature 0.2\nPARAMETER stop <|im_end|>\n" in text
    again = WizardState.from_draft(text, state.choices.to_origin(), 7)
    assert again is not None and again.draft_id == 7
    assert again.modelfile() == text and again.choices == state.choices
    assert WizardChoices.from_origin("editor") is None
    assert suggested_name("library/qwen2.5-coder:7b", "code") == "qwen2.5-coder-code:7b"
    assert suggested_name("registry.local:5000/ns/model:tag", "code") == "model-code:tag"
    assert suggested_name("registry.local:5000/ns/model", "code") == "model-code"


async def test_wizard_end_to_end_from_a_model(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await load_panes(pilot)
        await highlight_model(pilot, "llama3.1:8b")
        await pilot.press("w")
        await wait_for_screen(pilot, WizardScreen)
        screen = wizard(app)
        assert screen.state.choices.base == "llama3.1:8b" and screen.step == 1

        await pick(pilot, "#wizard-use-cases", "code")
        await wait_for(pilot, lambda: screen.step == 2)
        await wait_for(pilot, lambda: screen.facts is not None)
        await pick(pilot, "#wizard-sets", "recommended")  # the vendor's values, with sources
        form = screen.query_one("#wizard-form", ParameterForm)
        await wait_for(pilot, lambda: form.value_of("temperature") == "0.6")
        assert "meta-llama/llama-models" in str(screen.query_one("#wizard-sources").render())
        box = form.query_one("#param-input-num_ctx", Input)
        box.focus()
        await pilot.press(*"16384")
        await wait_for(pilot, lambda: "num_ctx 16384" in form.document.text)
        await pilot.press("ctrl+n")

        await wait_for(pilot, lambda: screen.step == 3)
        system = screen.query_one("#wizard-system", TextArea)
        system.focus()
        await pilot.press(*"You write Python.")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: screen.step == 4)
        await pick(pilot, "#wizard-templates", "inherited")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: screen.step == 5)
        assert screen.query_one("#wizard-name", Input).value == "llama3.1-code:8b"
        await pilot.press("ctrl+n")

        await wait_for(pilot, lambda: screen.step == 6 and screen.create is not None)
        assert screen.create is not None
        assert screen.create.body["parameters"] == {
            "temperature": 0.6,
            "top_p": 0.9,
            "num_ctx": 16384,
        }
        assert screen.create.body["system"] == "You write Python."
        await pilot.press("ctrl+n")

        await wait_for(pilot, lambda: not isinstance(app.screen, WizardScreen))
        models = app.query_one(ModelsPane)
        await wait_for(
            pilot,
            lambda: (row := models.cursor_row) is not None and row.name == "llama3.1-code:8b",
        )
        details = await app.services.client("demo").show("llama3.1-code:8b")
        for line in ("PARAMETER temperature 0.6", "PARAMETER top_p 0.9", "PARAMETER num_ctx 16384"):
            assert line in details.modelfile
        assert details.system == "You write Python."


async def test_unfinished_wizard_is_resumed(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.call_later(app.action_open_wizard, "demo", "mistral:7b")
        await wait_for_screen(pilot, WizardScreen)
        screen = wizard(app)
        await pick(pilot, "#wizard-use-cases", "tools")
        await wait_for(pilot, lambda: screen.step == 2)
        form = screen.query_one("#wizard-form", ParameterForm)
        await wait_for(pilot, lambda: bool(form.query("#param-input-temperature")))
        form.query_one("#param-input-temperature", Input).focus()
        await pilot.press(*"0.3")
        await wait_for(pilot, lambda: "temperature 0.3" in form.document.text)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: screen.step == 3)
        await pilot.press("f10")
        await wait_for(pilot, lambda: not isinstance(app.screen, WizardScreen))
        library = app.services.library
        await wait_for(
            pilot,
            lambda: any(
                (c := WizardChoices.from_origin(d.origin)) is not None and c.step == 3
                for d in library.get().list_drafts()
            ),
        )

        app.call_later(app.action_open_wizard)
        await wait_for_screen(pilot, WizardScreen)
        again = wizard(app)
        assert again.step == 0
        bases = again.query_one("#wizard-bases", OptionList)
        await wait_for(pilot, lambda: bases.option_count > 0)
        draft_option = bases.get_option_at_index(0)
        assert str(draft_option.prompt).startswith("↺ resume mistral-tools:7b (step 4")
        await pick(pilot, "#wizard-bases", draft_option.id or "")
        await wait_for(pilot, lambda: again.step == 3)
        assert again.state.choices.base == "mistral:7b"
        assert again.state.choices.use_case == "tools"
        assert "PARAMETER temperature 0.3" in again.state.parameters.text


async def test_wizard_draft_resumes_in_the_wizard_from_the_drafts_list(
    make_app: AppFactory,
) -> None:
    """A wizard closed with F10 is listed by the drafts key as one readable line (base, use
    case, step; no JSON), and Enter on it reopens the wizard at that step with its choices,
    leaving the editor's buffer alone."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await load_panes(pilot, "editor")
        editor = app.query_one(EditorPane)
        before = editor.text
        app.call_later(app.action_open_wizard, "demo", "mistral:7b")
        await wait_for_screen(pilot, WizardScreen)
        screen = wizard(app)
        await pick(pilot, "#wizard-use-cases", "code")
        await wait_for(pilot, lambda: screen.step == 2)
        form = screen.query_one("#wizard-form", ParameterForm)
        await wait_for(pilot, lambda: bool(form.query("#param-input-temperature")))
        form.query_one("#param-input-temperature", Input).focus()
        await pilot.press(*"0.3")
        await wait_for(pilot, lambda: "temperature 0.3" in form.document.text)
        await pilot.press("f10")
        await wait_for(pilot, lambda: not isinstance(app.screen, WizardScreen))
        library = app.services.library
        await wait_for(
            pilot,
            lambda: any(
                (c := WizardChoices.from_origin(d.origin)) is not None and c.step == 2
                for d in library.get().list_drafts()
            ),
        )

        await pilot.press("ctrl+d")
        dialog = await wait_for_screen(pilot, DraftsDialog)
        await wait_for(pilot, lambda: bool(dialog.drafts))
        listing = dialog.query_one("#drafts-list", OptionList)
        label = str(listing.get_option_at_index(0).prompt)
        assert label.startswith("wizard: mistral-code:7b · wizard draft · base mistral:7b · code")
        assert "step 3 of 8: Parameters" in label and "{" not in label
        assert label == draft_label(dialog.drafts[0])
        listing.highlighted = 0
        await pilot.press("enter")

        await wait_for_screen(pilot, WizardScreen)
        again = wizard(app)
        await wait_for(pilot, lambda: again.step == 2)
        assert again.state.choices.base == "mistral:7b"
        assert again.state.choices.use_case == "code"
        assert "PARAMETER temperature 0.3" in again.state.parameters.text
        assert editor.text == before


async def offered_sets(pilot: Pilot[None], model: str, use_case: str) -> list[str]:
    """Open the wizard on a model, pick the use case and return the parameter sets offered."""
    app = pilot.app
    assert isinstance(app, ModelariumApp)
    app.call_later(app.action_open_wizard, "demo", model)
    await wait_for_screen(pilot, WizardScreen)
    screen = wizard(app)
    await pick(pilot, "#wizard-use-cases", use_case)
    await wait_for(pilot, lambda: screen.step == 2 and screen.facts is not None)
    sets = screen.query_one("#wizard-sets", OptionList)
    await wait_for(
        pilot,
        lambda: any((o.id or "").startswith(("set:", "no-sets")) for o in sets.options),
    )
    offered = [str(option.prompt) for option in sets.options]
    screen.dismiss(None)
    await wait_for(pilot, lambda: not isinstance(app.screen, WizardScreen))
    return offered


async def test_wizard_offers_only_sets_of_the_base_models_own_series(
    make_app: AppFactory,
) -> None:
    """Sets are matched as the `k` view matches records: by the name's series (mistral:7b
    reports family llama), size and mode; never a guard, vision or other series' set, and a
    clear line when none matches. Another size's set of the same series comes only after
    that line and labelled as another size's (qwen2.5-coder:7b: the 32B-Instruct's, never
    the 32B base model's)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        mistral = await offered_sets(pilot, "mistral:7b", "code")
        assert mistral == ["library: Mistral-7B-Instruct stop sequences (Ollama ships)"]

        qwen3 = await offered_sets(pilot, "qwen3:8b", "code")
        assert qwen3[0] == "Recommended for qwen3 · code"
        assert qwen3[1:] and all(o.startswith("library: Qwen3-8B") for o in qwen3[1:])

        llama = await offered_sets(pilot, "llama3.1:8b", "code")
        assert llama[1:] and all(o.startswith("library: Llama-3.1-8B") for o in llama[1:])

        coder = await offered_sets(pilot, "qwen2.5-coder:7b", "code")
        assert coder == [
            "No curated parameter set matches qwen2.5-coder:7b (series qwen2.5-coder) · code.",
            "other size (32B, not 7.6B): Qwen2.5-Coder-32B-Instruct code parameters "
            "(third-party copy)",
        ]
        await app.services.client("demo").copy("qwen3:8b", "house-bot:latest")
        renamed = await offered_sets(pilot, "house-bot:latest", "code")  # its GGUF basename
        assert renamed == qwen3

        for offered in (mistral, qwen3, llama, coder, renamed):
            matching = [option for option in offered if not option.startswith("other size (")]
            for wrong in ("Guard", "Vision", "Qwen2.5-Coder-32B", "Devstral", "Magistral"):
                assert not any(wrong in option for option in matching), (wrong, offered)


@pytest.mark.parametrize("step", range(7))
def test_wizard_step_snapshots(step: int, snap_compare: SnapCompare, make_app: AppFactory) -> None:
    app = make_app()

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await load_panes(pilot)
        app.call_later(app.action_open_wizard)
        await wait_for_screen(pilot, WizardScreen)
        screen = wizard(app)
        bases = screen.query_one("#wizard-bases", OptionList)
        await wait_for(pilot, lambda: bases.option_count > 10)
        if step >= 1:
            await pick(pilot, "#wizard-bases", "model:demo\0llama3.1:8b")
            await wait_for(pilot, lambda: screen.step == 1)
        if step >= 2:
            await pick(pilot, "#wizard-use-cases", "code")
            await wait_for(pilot, lambda: screen.step == 2 and screen.facts is not None)
            sets = screen.query_one("#wizard-sets", OptionList)
            await wait_for(
                pilot, lambda: any((o.id or "").startswith("set:") for o in sets.options)
            )
            await pick(pilot, "#wizard-sets", "recommended")
            form = screen.query_one("#wizard-form", ParameterForm)
            await wait_for(pilot, lambda: bool(form.query("#param-input-top_k")))
            await wait_for(pilot, lambda: form.value_of("temperature") == "0.6")
        if step >= 3:
            await pilot.press("ctrl+n")
            await wait_for(pilot, lambda: screen.step == 3)
            screen.query_one("#wizard-system", TextArea).load_text("You write Python.")
        if step >= 4:
            await pilot.press("ctrl+n")
            await wait_for(pilot, lambda: screen.step == 4)
        if step >= 5:
            await pilot.press("ctrl+n")
            await wait_for(pilot, lambda: screen.step == 5)
        if step >= 6:
            await pilot.press("ctrl+n")
            await wait_for(pilot, lambda: screen.step == 6 and screen.create is not None)
        await settle(pilot)
        app.clear_notifications()  # toasts time out on their own clock: not part of a step
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_document_is_the_form_document() -> None:
    document = ModelfileDocument("FROM x\n")
    state = WizardState(parameters=document)
    state.apply_parameters({"top_k": "20"})
    assert document.text == "FROM x\nPARAMETER top_k 20\n"
