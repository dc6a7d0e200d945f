"""Command palette provider: every action of the key registry, runnable by name."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from modelarium.tui import keys


def _label(action: keys.KeyAction) -> str:
    scope = keys.SCOPE_TITLES.get(action.scope, action.scope)
    prefix = "" if action.scope == "app" else f"{scope.removesuffix(' pane')}: "
    return f"{prefix}{action.description}"


class RegistryCommands(Provider):
    """Offers each registered `KeyAction` (its keys shown as help) and runs it on its pane."""

    def _actions(self) -> tuple[keys.KeyAction, ...]:
        return tuple(action for action in keys.registered() if action.palette)

    def _runner(self, action: keys.KeyAction) -> partial[Any]:
        run_registry_action = getattr(self.app, "run_registry_action", None)
        if run_registry_action is None:
            return partial(self.app.run_action, action.action)
        return partial(run_registry_action, action)

    @staticmethod
    def _help(action: keys.KeyAction) -> str:
        keys_text = f"  ·  {action.key_display}" if action.keys else ""
        return escape(f"{action.explanation}{keys_text}")

    async def discover(self) -> Hits:
        for action in self._actions():
            yield DiscoveryHit(_label(action), self._runner(action), help=self._help(action))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in self._actions():
            text = _label(action)
            score = max(matcher.match(text), matcher.match(action.explanation) * 0.8)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(text), self._runner(action), help=self._help(action)
                )
