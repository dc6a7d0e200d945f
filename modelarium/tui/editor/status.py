"""What the editor's status line calls its text, for as long as the text is still that.

A title names where the text came from (`llama3.1:8b on demo`, `trial: qwen3:8b · think off`,
`library: sommelier`, `draft #3`), and so the model it was made over. Once the text's FROM
lines differ from those it was loaded with, the title names a model, trial variant or draft
the text no longer is: the status line (and the draft saved from the text) then marks it
`(FROM changed)`; changing the FROM back clears the mark. Pure (no Textual): the pane feeds it
the FROM values its analysis worker found.
"""

from __future__ import annotations

from dataclasses import dataclass

FROM_CHANGED = "(FROM changed)"
"""The mark after a title whose FROM the text has left."""

UNTITLED = "untitled"


@dataclass(slots=True)
class TextTitle:
    """The title of the loaded text and whether the text's FROM has left it."""

    origin: str = ""
    """Where the text came from (the pane's `origin`); empty or `untitled` for no title."""
    loaded_from: tuple[str, ...] | None = None
    """The FROM values of the text as loaded; None until known (or when it did not parse)."""
    known: bool = False
    """Whether `loaded_from` has been found for this text."""
    departed: bool = False
    """Whether the text's FROM values differ from `loaded_from` (as last judged)."""

    def baseline(self, values: tuple[str, ...] | None) -> None:
        """Remember the FROM values of the text as loaded (once per loaded text)."""
        if not self.known:
            self.loaded_from = values
            self.known = True

    def judge(self, values: tuple[str, ...] | None) -> None:
        """Compare the text's FROM values now with the loaded ones. A text whose FROM a
        syntax error hides (`None`) leaves the last judgement; a title of a text that had no
        FROM (or did not parse) is never marked: it was made for no model."""
        if values is None or not self.known or not self.loaded_from:
            return
        self.departed = values != self.loaded_from

    @property
    def titled(self) -> bool:
        """Whether the text has a title at all (not a new, untitled text)."""
        return bool(self.origin) and self.origin != UNTITLED

    @property
    def shown(self) -> str:
        """The title as the status line shows it (`untitled` when there is none)."""
        if not self.titled:
            return UNTITLED
        return f"{self.origin} {FROM_CHANGED}" if self.departed else self.origin
