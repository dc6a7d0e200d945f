"""Keys and pastes act in the order typed, each reaching the focus the one before it left.

Textual routes each key to the focused widget's own queue as it arrives, and a key comes back
to the app only when no widget took it. Typed fast (or pasted, or sent by tmux in one burst)
that loses keys three ways, and the router holds keys for each:

- **A screen opening.** With `c` and `S` typed together, `S` was already queued at the Models
  table when `c` opened the copy dialog: it came back unhandled and was dropped; a key arriving
  while the dialog mounted found nothing focused. Keys wait while a screen mounts and takes its
  focus, and a key back from a screen since covered is routed again, to the screen on top.
- **A key in flight.** Textual checks priority bindings at once: with `2 /` typed together,
  `/` focused the Models filter before `2`, still on its way up from the table, had switched
  to the Library. Each key waits until the one before it has been handled all the way up to
  the app.
- **A pane loading.** Keys typed after asking for a pane that is still loading (a search typed
  right at the start) wait for it to be shown and focused.

And one ambiguity of terminals: Escape then a key, typed within the terminal's escape delay
(tmux's `escape-time`, 500 ms by default, then Textual's), arrives as one sequence, ESC and the
key. Textual reads it as alt plus that key, except ESC and a digit, which it turns into the
character macOS's Option key types on a US layout (ESC 3 is `£`): Escape then `3`, typed fast in
tmux, never switched to the Editor. `read_escape_digits_as_alt` takes those readings out, so
they arrive as alt keys too; where nothing binds that alt key, it is the two keys it was typed
as. (ESC and `-`, `=` or `§` stay Textual's: read as alt keys, Textual would drop the alt.)
"""

from __future__ import annotations

import bisect
import weakref
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, cast

from textual import _ansi_sequences, events
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget

KEYS_HELD_AT_MOST = 1.0
"""Seconds at most that keys wait for a screen that is opening or a key in flight; each is
ready long before this unless it failed to mount or its handler never returned."""
TypedInput = events.Key | events.Paste
"""What the user types: routed to the focused widget, held while a screen opens."""
Held = tuple[int, TypedInput]
"""(arrival number, key): held keys are kept in the order they were typed."""


def read_escape_digits_as_alt() -> None:
    """Read ESC and a digit as alt plus the digit, never as a macOS Option character (`£`
    for ESC 3), in every terminal input parser from now on. (A private table of Textual's,
    pinned with it; a test checks what the parser then reads.)"""
    table = cast("dict[str, object]", _ansi_sequences.ANSI_SEQUENCES_KEYS)
    for digit in "0123456789":
        table.pop(f"\x1b{digit}", None)


def fresh_copy(event: TypedInput) -> TypedInput:
    """A new event for the same key or paste, to route again from the start."""
    if isinstance(event, events.Key):
        return events.Key(event.key, event.character)
    return events.Paste(event.text)


def _arrival(held: Held) -> int:
    return held[0]


def escape_then_key(event: events.Key) -> tuple[events.Key, events.Key] | None:
    """The Escape and the key an `alt+<key>` was typed as (None for any other key)."""
    character = event.character
    if not event.key.startswith("alt+") or character is None or len(character) != 1:
        return None
    if not character.isprintable():
        return None
    name = event.key.removeprefix("alt+")
    if name.startswith("shift+"):
        name = character  # Textual names an upper-case letter by itself
    return events.Key("escape", "\x1b"), events.Key(name, character)


class KeyRouter:
    """The app's keys in typing order: `arrive` takes each typed key or paste first."""

    def __init__(
        self,
        app: App[Any],
        route: Callable[[events.Event], Awaitable[None]],
        pane_loading: Callable[[], bool],
    ) -> None:
        self._app = app
        self._route = route
        """Textual's own routing of an event (the app's `App.on_event`)."""
        self._pane_loading = pane_loading
        """Whether the pane asked for is still loading."""
        self._opening_screen: Screen[object] | None = None
        """A screen pushed but not yet mounted and focused: keys wait in `_held_keys`."""
        self._held_keys: list[Held] = []
        self._keys_for_pane: list[Held] = []
        """Keys typed while the pane asked for loads: it gets them once shown."""
        self._key_routes: weakref.WeakKeyDictionary[TypedInput, tuple[Screen[object], int]] = (
            weakref.WeakKeyDictionary()
        )
        """The screen each key was routed on and its arrival number, until it comes back
        unhandled."""
        self._keys_typed = 0
        self._key_in_flight = 0
        """Arrival number of the key being handled (0: none, -1: the waiting keys are next)."""
        self._keys_waiting: list[Held] = []
        """Keys typed while one was in flight, in order."""

    def watch_screens(self) -> None:
        """Hold keys while each screen opens (call once the app is mounted)."""
        self._app.screen_change_signal.subscribe(self._app, self._screen_changed, immediate=True)

    # Arrival -------------------------------------------------------------------------------

    async def arrive(self, event: TypedInput) -> bool:
        """Route, hold or re-route a key or paste; False leaves it to Textual (a key back
        unhandled from the screen it was routed on)."""
        if not event.is_forwarded:
            if isinstance(event, events.Key) and (split := self._unbound_alt(event)):
                for key in split:
                    await self.arrive(key)
                return True
            self._keys_typed += 1
            return await self._typed(self._keys_typed, event)
        routed_on, number = self._key_routes.pop(event, (self._app.screen, 0))
        if self.pane_pending():
            bisect.insort(self._keys_for_pane, (number, fresh_copy(event)), key=_arrival)
            return True
        if routed_on is self._app.screen:
            return False
        # Back from a screen since covered: to the screen on top, in typing order (keys typed
        # after it may be waiting already).
        if self._opening_screen is not None:
            bisect.insort(self._held_keys, (number, fresh_copy(event)), key=_arrival)
        else:
            self._app.post_message(fresh_copy(event))
        return True

    def _unbound_alt(self, event: events.Key) -> tuple[events.Key, events.Key] | None:
        split = escape_then_key(event)
        if split is None or event.key in self._app.screen.active_bindings:
            return None
        return split

    async def _typed(self, number: int, event: TypedInput) -> bool:
        if not self.pane_pending() and (self._key_in_flight or self._keys_waiting):
            self._wait_for_key_in_flight(number, event)
        else:
            await self._hold_or_route(number, event)
        return True

    async def _hold_or_route(self, number: int, event: TypedInput) -> None:
        """Hold a key for the pane loading or the screen opening, else route it now."""
        if self.pane_pending():
            bisect.insort(self._keys_for_pane, (number, event), key=_arrival)
        elif self._opening_screen is not None:
            bisect.insort(self._held_keys, (number, event), key=_arrival)
        else:
            await self._route_in_order(number, event)

    # A key in flight -----------------------------------------------------------------------

    async def _route_in_order(self, number: int, event: TypedInput) -> None:
        """Route a key as Textual does, then hold the keys after it until it is handled: by
        the widget it went to and each of its ancestors up to the app (where a key that no
        widget takes arrives)."""
        self._key_routes[event] = (self._app.screen, number)
        self._key_in_flight = number
        target: Widget | Screen[object] = self._app.focused or self._app.screen
        await self._route(event)
        if not target.call_later(self._when_handled, target, number):
            self._key_handled(number)

    def _when_handled(self, node: Widget | Screen[object] | App[Any], number: int) -> None:
        """Runs in `node`'s queue behind the key: on to the parent, or done at the app."""
        parent = node.parent if node is not self._app else None
        if not isinstance(parent, Widget | App) or not parent.call_later(
            self._when_handled, parent, number
        ):
            self._key_handled(number)

    def _wait_for_key_in_flight(self, number: int, event: TypedInput) -> None:
        self._keys_waiting.append((number, event))
        if len(self._keys_waiting) == 1:
            # A key whose handler never returns (or a widget removed under it) holds the rest
            # for this long at most.
            self._app.set_timer(KEYS_HELD_AT_MOST, partial(self._key_handled, self._key_in_flight))

    def _key_handled(self, number: int) -> None:
        if self._key_in_flight != number:
            return
        self._key_in_flight = 0
        if self._keys_waiting:
            self._key_in_flight = -1  # nothing typed now overtakes the keys waiting
            self._app.call_later(self._route_waiting_keys)

    async def _route_waiting_keys(self) -> None:
        """The keys typed while one was handled, in order, each meeting what a key meets on
        arrival (a pane still loading, a screen opening)."""
        if self._key_in_flight == -1:
            self._key_in_flight = 0
        while self._keys_waiting and not self._key_in_flight:
            await self._hold_or_route(*self._keys_waiting.pop(0))

    # A pane loading ------------------------------------------------------------------------

    def pane_pending(self) -> bool:
        """Whether the pane asked for is still loading, with nothing on top of it."""
        if not self._pane_loading():
            return False
        return self._opening_screen is None and len(self._app.screen_stack) == 1

    def pane_settled(self) -> None:
        """A pane finished loading (or failed): keys typed for it go to what is shown now."""
        if self.pane_pending():
            return
        held, self._keys_for_pane = self._keys_for_pane, []
        for _, event in held:
            self._app.post_message(fresh_copy(event))

    # A screen opening ----------------------------------------------------------------------

    def _screen_changed(self, screen: Screen[object]) -> None:
        if not screen.is_mounted:
            self._opening_screen = screen
            # The screen runs this once it has mounted (compose and on_mount come first in its
            # own task), so its on_mount focus is queued at the app by then.
            screen.call_later(self._screen_ready, screen)
            self._app.set_timer(KEYS_HELD_AT_MOST, lambda: self._screen_ready(screen))
        elif self._opening_screen is not None:
            # The opening screen went away (or a ready one is back on top): deliver what waits.
            self._opening_screen = screen
            self._screen_ready(screen)

    def _screen_ready(self, screen: Screen[object]) -> None:
        if self._opening_screen is screen:
            # Behind the focus callbacks its on_mount queued, so the keys reach that focus.
            self._app.call_later(self._release_held_keys, screen)

    async def _release_held_keys(self, screen: Screen[object]) -> None:
        if self._opening_screen is not screen:
            return
        self._opening_screen = None
        while self._held_keys and self._opening_screen is None:
            # A held key may open another screen: the keys after it then wait for that one.
            await self._route(self._held_keys.pop(0)[1])
