"""The app's footer: the keys of the focused pane that fit the terminal's width, whole.

Textual's footer scrolls keys past the right edge, so a narrow terminal shows `^q Qui` and
hides F1 and the palette. This one shows each key whole or not at all: Help and the palette
always, then the other keys in the order the screen lists them (the pane's own first) while
they fit. The keys left out still work and are listed in the help (F1) and the palette.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS_SHOWN = frozenset({"help", "command_palette"})
"""Actions whose keys the footer never leaves out: the way to every other key."""


def key_width(key: FooterKey) -> int:
    """Cells a compact footer key takes: `key description` and the one-cell gap after it."""
    width = cell_len(key.key_display)
    if key.description:
        width += 1 + cell_len(key.description)
    return width + 1


def keys_that_fit(widths: list[tuple[str, int]], room: int) -> list[bool]:
    """Which of the keys (action, width), in order, to show within `room` cells: the
    `ALWAYS_SHOWN` ones, then the others in order while they fit whole."""
    # The last key's gap may fall past the edge.
    left = room + 1 - sum(width for action, width in widths if action in ALWAYS_SHOWN)
    shown: list[bool] = []
    for action, width in widths:
        if action in ALWAYS_SHOWN:
            shown.append(True)
        elif width <= left:
            shown.append(True)
            left -= width
        else:
            shown.append(False)
            left = -1  # keep the order: nothing after a key left out
    return shown


class AppFooter(Footer):
    """A compact footer without Textual's second palette key, fitted to its width."""

    def __init__(self) -> None:
        # Our own `ctrl+p Palette` binding is listed; Textual's copy of it would make two.
        super().__init__(show_command_palette=False, compact=True)

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
        shown = keys_that_fit([(key.action, key_width(key)) for key in keys], width)
        for key, show in zip(keys, shown, strict=True):
            key.display = show
