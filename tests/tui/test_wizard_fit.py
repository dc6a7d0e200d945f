"""The wizard's parameters step at 80×24, 100×30 and 160×45: every text of it is shown whole
(the form's headings and hints were cut at the right edge below 120 columns), and a base
whose vendor values are another size's (qwen2.5-coder:7b: the 32B's) says so and offers that
set labelled as another size's."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from modelarium.tui.app import ModelariumApp
from modelarium.tui.widgets.parameter_form import ParameterForm, ParameterRow
from modelarium.tui.wizard import WizardScreen
from tests.tui.conftest import AppFactory, settle, wait_for, wait_for_screen
from tests.tui.screen_text import assert_shows_whole
from tests.tui.test_wizard import pick, wizard

SIZES = [(80, 24), (100, 30), (160, 45)]
IDS = [f"{width}x{height}" for width, height in SIZES]
OTHER_SIZE = (
    "other size (32B, not 7.6B): Qwen2.5-Coder-32B-Instruct code parameters (third-party copy)"
)
REMARK = (
    "no vendor sampling values for this size (7.6B); the series has them for another size: "
    "Qwen2.5-Coder-32B-Instruct (32B)"
)


def plain(widget: Static) -> str:
    """A Label's or Static's text, as given."""
    return str(widget.content)


async def open_parameters(pilot: Pilot[None], model: str, use_case: str) -> WizardScreen:
    """The wizard on `model` at its parameters step, the sets loaded."""
    app = pilot.app
    assert isinstance(app, ModelariumApp)
    await settle(pilot)
    app.call_later(app.action_open_wizard, "demo", model)
    await wait_for_screen(pilot, WizardScreen)
    screen = wizard(app)
    await pick(pilot, "#wizard-use-cases", use_case)
    await wait_for(pilot, lambda: screen.step == 2 and screen.facts is not None)
    sets = screen.query_one("#wizard-sets", OptionList)
    await wait_for(pilot, lambda: any((o.id or "").startswith("set:") for o in sets.options))
    await wait_for(pilot, lambda: bool(screen.query_one(ParameterForm).query(ParameterRow)))
    await settle(pilot)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_the_parameters_step_shows_every_text_whole(
    size: tuple[int, int], make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_parameters(pilot, "qwen2.5-coder:7b", "code")
        assert screen.has_class("-narrow") == (size[0] < 120)
        title = screen.query_one("#wizard-title", Static)
        assert_shows_whole(title, plain(title))
        side = screen.query_one("#wizard-sets-side")
        for label in side.query(Static):
            assert_shows_whole(label, plain(label))
        sets = screen.query_one("#wizard-sets", OptionList)
        for option in sets.options:
            assert_shows_whole(sets, str(option.prompt))
        form = screen.query_one(ParameterForm)
        texts = [*form.query(".parameter-group"), *form.query(".parameter-hint")]
        assert texts
        for widget in texts:
            assert isinstance(widget, Static)
            widget.scroll_visible(animate=False, immediate=True)
            await settle(pilot, rounds=1)
            assert form.region.contains_region(widget.region), plain(widget)
            assert_shows_whole(widget, plain(widget))
        for row in form.query(ParameterRow):  # each empty input's "default ..." whole
            box = row.query_one(".parameter-input", Input)
            row.scroll_visible(animate=False, immediate=True)
            await settle(pilot, rounds=1)
            assert_shows_whole(box, box.value or box.placeholder)


async def test_another_sizes_set_is_offered_as_such_and_applied(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_parameters(pilot, "qwen2.5-coder:7b", "code")
        sets = screen.query_one("#wizard-sets", OptionList)
        offered = [str(option.prompt) for option in sets.options]
        assert offered == [
            "No curated parameter set matches qwen2.5-coder:7b (series qwen2.5-coder) · code.",
            OTHER_SIZE,
        ]
        assert sets.highlighted == 1  # the line saying why is not a choice
        sources = plain(screen.query_one("#wizard-sources", Static))
        assert REMARK in sources and "publishes no sampling values" not in sources
        assert not screen.recommended  # nothing is recommended for this size
        await pick(pilot, "#wizard-sets", offered_id(sets, OTHER_SIZE))
        form = screen.query_one(ParameterForm)
        await wait_for(pilot, lambda: form.value_of("temperature") == "0.7")
        assert form.value_of("top_k") == "20" and form.value_of("repeat_penalty") == "1.05"
        assert screen.state.choices.parameter_set == OTHER_SIZE
        assert "PARAMETER temperature 0.7" in screen.state.parameters.text


def offered_id(sets: OptionList, prompt: str) -> str:
    """The id of the option whose text is `prompt`."""
    option = next(option for option in sets.options if str(option.prompt) == prompt)
    assert option.id is not None
    return option.id
