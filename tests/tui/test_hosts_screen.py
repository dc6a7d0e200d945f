"""The hosts screen (H): add, edit, reorder and remove hosts in the settings file; the app runs
on the new hosts at once; a token makes the file owner-only."""

from __future__ import annotations

import stat

from textual.widgets import DataTable, Input

from modelarium import locations
from modelarium.config import HostConfig, load_settings
from modelarium.demo import DemoServerThread
from modelarium.tui.dialogs.confirm import ConfirmDialog
from modelarium.tui.hosts.hosts_screen import HostForm, HostsScreen, clear_text_warning
from tests.tui.conftest import AppFactory, wait_for, wait_for_screen


async def test_add_reorder_edit_and_remove_hosts(
    make_app: AppFactory, second_demo_server: DemoServerThread, demo_server: DemoServerThread
) -> None:
    config = locations.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("# my settings\nrequest_timeout = 5.0\n", encoding="utf-8")
    config.chmod(0o644)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("H")
        screen = await wait_for_screen(pilot, HostsScreen)
        await wait_for(
            pilot, lambda: "No [[hosts]]" in str(screen.query_one("#hosts-note").render())
        )

        await pilot.press("a")
        await wait_for_screen(pilot, HostForm)
        await pilot.press(*"gpu", "enter", *"not a url!", "enter", *"s3cret", "enter")
        form = app.screen
        assert isinstance(form, HostForm), "a bad address is not saved"
        assert "is not a host URL" in str(form.query_one("#host-problem").render())
        url_box = form.query_one("#host-url", Input)
        url_box.value = second_demo_server.url
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        await wait_for(pilot, lambda: len(load_settings().hosts) == 1)
        assert load_settings().hosts[0] == HostConfig("gpu", second_demo_server.url, "s3cret")
        assert stat.S_IMODE(config.stat().st_mode) == 0o600
        assert config.read_text(encoding="utf-8").startswith("# my settings\n")
        table = screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        assert table.get_row_at(0)[1:] == ["gpu", second_demo_server.url, "set"]
        # The app now runs on the saved host.
        await wait_for(pilot, lambda: app.services.pool is not None
                       and app.services.pool.names == ("gpu",))  # fmt: skip

        await pilot.press("a")
        await wait_for_screen(pilot, HostForm)
        await pilot.press(*"laptop", "enter")
        app.screen.query_one("#host-url", Input).value = demo_server.url
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(load_settings().hosts) == 2)
        await wait_for(pilot, lambda: table.row_count == 2 and table.cursor_row == 1)
        await pilot.press("K")
        await wait_for(pilot, lambda: [h.name for h in load_settings().hosts] == ["laptop", "gpu"])
        await wait_for(pilot, lambda: app.services.pool is not None
                       and app.services.pool.names == ("laptop", "gpu"))  # fmt: skip

        await wait_for(pilot, lambda: table.cursor_row == 0)
        await pilot.press("e")
        await wait_for_screen(pilot, HostForm)
        name_box = app.screen.query_one("#host-name", Input)
        assert name_box.value == "laptop"
        name_box.value = "gpu"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, HostForm), "two hosts may not share a name"
        name_box.value = "local"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: [h.name for h in load_settings().hosts] == ["local", "gpu"])

        await pilot.press("delete")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: [h.name for h in load_settings().hosts] == ["gpu"])
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HostsScreen))


async def test_under_host_options_the_changes_wait_for_the_next_start(
    make_app: AppFactory, demo_server: DemoServerThread
) -> None:
    app = make_app()
    app.hosts_from_settings = False
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("H")
        await wait_for_screen(pilot, HostsScreen)
        note = str(app.screen.query_one("#hosts-session").render())
        assert "apply from the next start" in note


def test_a_token_over_plain_http_off_this_machine_is_warned_about() -> None:
    assert clear_text_warning("http://10.1.2.3:11434", "s3cret") is not None
    assert clear_text_warning("10.1.2.3", "s3cret") is not None  # http:// is the default
    assert clear_text_warning("http://10.1.2.3:11434", "") is None
    assert clear_text_warning("https://10.1.2.3:11434", "s3cret") is None
    assert clear_text_warning("http://127.0.0.1:11434", "s3cret") is None
    assert clear_text_warning("http://localhost:11434", "s3cret") is None
    assert clear_text_warning("http://[::1]:11434", "s3cret") is None


async def test_remove_asks_first_and_a_token_is_warned_about_then_cleared(
    make_app: AppFactory, demo_server: DemoServerThread
) -> None:
    config = locations.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[[hosts]]\nname = "lab"\nurl = "{demo_server.url}"\n\n'
        '[[hosts]]\nname = "far"\nurl = "http://10.1.2.3:11434"\ntoken = "s3cret"\n',
        encoding="utf-8",
    )
    config.chmod(0o600)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("H")
        screen = await wait_for_screen(pilot, HostsScreen)
        table = screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 2)

        # Del asks, naming the host; n and Esc keep it.
        await pilot.press("delete")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert dialog.title_text == "Remove host lab?"
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("delete")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [h.name for h in load_settings().hosts] == ["lab", "far"]

        # Editing the host with a token: the warning shows before saving, and the form says
        # how to clear the token.
        table.move_cursor(row=1)
        await pilot.press("e")
        form = await wait_for_screen(pilot, HostForm)
        warning = form.query_one("#host-token-warning")
        await wait_for(pilot, lambda: warning.display)
        assert "clear text" in str(warning.render())
        assert "empty the token box" in str(form.query_one("#host-token-clear").render())
        form.query_one("#host-url", Input).value = "https://10.1.2.3:11434"
        await wait_for(pilot, lambda: not warning.display)
        form.query_one("#host-url", Input).value = "http://10.1.2.3:11434"
        await wait_for(pilot, lambda: warning.display)
        token_box = form.query_one("#host-token", Input)
        token_box.focus()
        await pilot.press("end", "ctrl+u")
        await wait_for(pilot, lambda: token_box.value == "" and not warning.display)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: load_settings().hosts[1].token is None)
        assert "token" not in config.read_text(encoding="utf-8")


async def test_enter_in_the_address_box_saves_a_complete_host(make_app: AppFactory) -> None:
    """The form's hint says Enter saves: with name and address right, Enter in the address
    box saves (the token is optional)."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("H")
        await wait_for_screen(pilot, HostsScreen)
        await pilot.press("a")
        await wait_for_screen(pilot, HostForm)
        await pilot.press(*"gpu", "enter", *"http://127.0.0.1:9", "enter")
        await wait_for_screen(pilot, HostsScreen)
        await wait_for(pilot, lambda: [h.name for h in load_settings().hosts] == ["gpu"])
