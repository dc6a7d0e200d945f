"""The app's footer: the keys of the focused pane that fit the terminal's width, whole.

Textual's footer scrolls keys past the right edge, so a narrow terminal shows `^q Qui` and
hides F1 and the palette. This one shows each key whole or not at all: Help and the palette
always, then the other keys while they fit, in the order the screen lists them (the pane's
own first). The least useful are left out first: a pane's own ranking (`keys.footer_keep`),
else the pane keys and Quit before the pane's others. The keys left out still work and are
listed in the help (F1) and the palette.

An action with both a plain key and an F or ctrl key (`1` and F2 show the Models pane) is
shown with the one that works whatever has the focus: a text box takes the plain key as
text, so a pane with a search box focused could not offer `1`, and the same action would
read `1` on one pane and `f2` on the next.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.keys import key_to_character
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from modelarium.tui.keymap import PANE_KEYS, PANE_KEYS_FIRST
from modelarium.tui.keys import footer_keep

ALWAYS_SHOWN = frozenset({"help", "command_palette"})
"""Actions whose keys the footer never leaves out: the way to every other key."""


def key_width(key: FooterKey) -> int:
    """Cells a compact footer key takes: `key description` and the one-cell gap after it."""
    width = cell_len(key.key_display)
    if key.description:
        width += 1 + cell_len(key.description)
    return width + 1


def keys_that_fit(widths: list[tuple[str, int]], room: int, keep: Sequence[str] = ()) -> list[bool]:
    """Which of the keys (action, width), in order, to show within `room` cells: the
    `ALWAYS_SHOWN` ones, then the others while they fit whole, taken in the order of `keep`
    (most useful first; actions not in it after those, in their own order). Once one does
    not fit, none after it in that order shows: a key is never shown in place of a more
    useful one."""
    rank = {action: index for index, action in enumerate(keep)}
    # `sorted` is stable: without `keep` the keys are taken in their own order.
    order = sorted(range(len(widths)), key=lambda index: rank.get(widths[index][0], len(rank)))
    # The last key's gap may fall past the edge.
    left = room + 1 - sum(width for action, width in widths if action in ALWAYS_SHOWN)
    shown = [action in ALWAYS_SHOWN for action, _ in widths]
    for index in order:
        action, width = widths[index]
        if action in ALWAYS_SHOWN:
            continue
        if width > left:
            break
        shown[index] = True
        left -= width
    return shown


def is_plain_key(key: str) -> bool:
    """Whether `key` types a character (a text box with the focus takes it as text)."""
    character = key_to_character(key)
    return character is not None and character.isprintable()


class AppFooter(Footer):
    """A compact footer without Textual's second palette key, fitted to its width."""

    def __init__(self) -> None:
        # Our own `ctrl+p Palette` binding is listed; Textual's copy of it would make two.
        super().__init__(show_command_palette=False, compact=True)

    def compose(self) -> ComposeResult:
        """Textual's keys, each action shown with its key that works whatever has the focus."""
        steady = self.steady_keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and is_plain_key(widget.key):
                widget.key, widget.key_display = steady.get(
                    widget.action, (widget.key, widget.key_display)
                )
            yield widget

    def steady_keys(self) -> dict[str, tuple[str, str]]:
        """Action -> (key, key as shown) of its first active key that types no character."""
        steady: dict[str, tuple[str, str]] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.show and not is_plain_key(key) and binding.action not in steady:
                steady[binding.action] = (key, self.app.get_key_display(binding))
        return steady

    def keep_order(self, actions: Sequence[str]) -> tuple[str, ...]:
        """The ranking of the pane whose keys are active (`keys.footer_keep`); else, where
        the pane keys are among `actions` (the screen of panes), those and Quit first
        (`keymap.PANE_KEYS_FIRST`), so every pane's footer shows them."""
        for active in self.screen.active_bindings.values():
            ranked = footer_keep(active.node.id or "")
            if ranked:
                return ranked
        return PANE_KEYS_FIRST if set(PANE_KEYS) & set(actions) else ()

    async def recompose(self) -> None:
        """Rebuild the keys (the focus or the bindings changed), then fit them."""
        await super().recompose()
        self.fit_keys()

    def on_resize(self, event: events.Resize) -> None:
        """Fit the keys to the new width."""
        self.fit_keys(event.size.width)

    def fit_keys(self, room: int | None = None) -> None:
        """Show the keys that fit whole in `room` cells (the footer's width by default)."""
        width = self.size.width if room is None else room
        if width <= 0:
            return
        keys = list(self.query_children(FooterKey))
        widths = [(key.action, key_width(key)) for key in keys]
        shown = keys_that_fit(widths, width, self.keep_order([a for a, _ in widths]))
        for key, show in zip(keys, shown, strict=True):
            key.display = show
