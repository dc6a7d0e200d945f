"""The keys of the dialogs and screens (confirm, name, transfer, extract, compare, drafts,
save, import, paths, trials, hosts, help), declared beside the panes' ones in `keymap`."""

from __future__ import annotations

from modelarium.tui.key_action import KeyAction

DIALOG_ACTIONS: tuple[KeyAction, ...] = (
    KeyAction("confirm-dialog", "answer(True)", "y", "Yes", "Do it", palette=False),
    KeyAction(
        "confirm-dialog",
        "answer(False)",
        "n,escape",
        "No",
        "Leave things as they are",
        palette=False,
    ),
    KeyAction(
        "name-dialog",
        "cancel",
        "escape",
        "Cancel",
        "Close without a name (Enter accepts)",
        palette=False,
    ),
    KeyAction(
        "transfer-dialog",
        "cancel",
        "escape",
        "Cancel / close",
        "Stop the transfer, or close after a failure",
        palette=False,
    ),
    KeyAction(
        "transfer-dialog", "retry", "r", "Retry", "Start a failed transfer again", palette=False
    ),
    KeyAction(
        "extract-dialog",
        "save",
        "ctrl+s",
        "Save",
        "Save the ticked elements with the tags typed (Space ticks)",
        palette=False,
    ),
    KeyAction(
        "extract-dialog",
        "cancel",
        "escape",
        "Cancel",
        "Close without saving anything",
        palette=False,
    ),
    KeyAction(
        "compare-dialog", "close", "escape,q", "Close", "Close the comparison", palette=False
    ),
    KeyAction(
        "apply-dialog",
        "apply",
        "ctrl+s",
        "Apply",
        "Create every model as previewed (only when all are fine)",
        palette=False,
    ),
    KeyAction(
        "apply-dialog", "cancel", "escape", "Cancel", "Close without creating", palette=False
    ),
    KeyAction(
        "drafts-dialog",
        "resume",
        "enter",
        "Resume",
        "Open the highlighted draft in the editor",
        palette=False,
    ),
    KeyAction(
        "drafts-dialog",
        "discard",
        "delete",
        "Discard",
        "Discard the highlighted draft (Del only: no letter key discards)",
        palette=False,
    ),
    KeyAction(
        "drafts-dialog", "cancel", "escape", "Close", "Close, keeping every draft", palette=False
    ),
    KeyAction(
        "save-dialog",
        "save",
        "ctrl+s",
        "Save",
        "Save the ticked elements (Enter in the name or tags box saves too; Space ticks)",
        palette=False,
    ),
    KeyAction(
        "save-dialog", "cancel", "escape", "Cancel", "Close; nothing is saved", palette=False
    ),
    KeyAction(
        "import-dialog",
        "accept",
        "ctrl+s",
        "Open",
        "Open the pasted Modelfile in the editor",
        palette=False,
    ),
    KeyAction(
        "import-dialog",
        "save_to_library",
        "ctrl+l,alt+l",
        "Save to library",
        "Save the parsed elements to the library (preview first); the editor is not touched",
        palette=False,
        priority=True,
    ),
    KeyAction(
        "import-dialog", "cancel", "escape", "Cancel", "Close; nothing changes", palette=False
    ),
    KeyAction(
        "path-dialog",
        "confirm",
        "enter",
        "OK",
        "Use the path typed (open or export)",
        show=False,
        palette=False,
    ),
    KeyAction("path-dialog", "cancel", "escape", "Cancel", "Close without a path", palette=False),
    KeyAction(
        "overwrite-dialog",
        "answer(True)",
        "y",
        "Yes",
        "Overwrite the file, or replace the text",
        palette=False,
    ),
    KeyAction(
        "overwrite-dialog",
        "answer(False)",
        "n,escape",
        "No",
        "Keep the file or the text (also Enter: the focused default)",
        palette=False,
    ),
    KeyAction(
        "help-screen",
        "dismiss_help",
        "escape,f1,q,question_mark",
        "Close",
        "Close the help screen",
        palette=False,
    ),
    KeyAction(
        "trials-screen", "run", "r", "Run", "Run the picked probes on every variant", palette=False
    ),
    KeyAction(
        "trials-screen",
        "cancel_or_close",
        "escape",
        "Cancel / close",
        "Cancel the running trial (its temporary models are removed), or close the view",
        palette=False,
    ),
    KeyAction(
        "trials-screen",
        "save_settings",
        "s",
        "Save settings",
        "Save the highlighted cell's variant settings as a library element",
        palette=False,
    ),
    KeyAction(
        "trials-screen",
        "open_in_editor",
        "e",
        "Open in editor",
        "Open a Modelfile of the highlighted cell's model and variant in the editor",
        palette=False,
    ),
    KeyAction(
        "trial-cell-dialog", "close", "escape,q", "Close", "Close the answers", palette=False
    ),
    # The hosts screen and its host form.
    KeyAction("hosts-screen", "add", "a", "Add", "Add a host (lowest priority)"),
    KeyAction("hosts-screen", "edit", "e", "Edit", "Change the selected host (Enter too)"),
    KeyAction("hosts-screen", "remove", "delete", "Remove", "Remove the selected host"),
    KeyAction("hosts-screen", "move(-1)", "K,ctrl+up", "Up", "Give the host a higher priority"),
    KeyAction("hosts-screen", "move(1)", "J,ctrl+down", "Down", "Give the host a lower priority"),
    KeyAction("hosts-screen", "close", "escape", "Close", "Close the hosts screen"),
    KeyAction("host-form", "save", "ctrl+s", "Save", "Save the host (Enter in the last box too)"),
    KeyAction("host-form", "cancel", "escape", "Cancel", "Close without saving"),
)
"""The dialogs' and screens' actions, in help-screen order within each scope."""
