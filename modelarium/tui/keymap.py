"""Every key and action of the app and its panes, declared in one place: the registry
(`modelarium.tui.keys`) holds them from its first import, so the help screen and the command
palette list every key without importing a pane, and a pane takes its bindings from there."""

from __future__ import annotations

from modelarium.tui.key_action import KeyAction

PANE_ACTIONS: tuple[KeyAction, ...] = (
    # The F keys show a pane whatever has the focus (a TextArea binds F6 itself); the digits
    # type in a text box.
    KeyAction(
        "app", "show_pane('models')", "1,f2", "Models", "Show the Models pane", early_keys="f2"
    ),
    KeyAction(
        "app",
        "show_pane('library')",
        "2,f3",
        "Library",
        "Show the element Library pane",
        early_keys="f3",
    ),
    KeyAction(
        "app",
        "show_pane('editor')",
        "3,f4",
        "Editor",
        "Show the Modelfile Editor pane",
        early_keys="f4",
    ),
    KeyAction(
        "app",
        "show_pane('dashboard')",
        "4,f6",
        "Dashboard",
        "Show every host and every loaded model (memory, context, unload countdown)",
        show=False,
        early_keys="f6",
    ),
    KeyAction(
        "app",
        "open_wizard",
        "",
        "New model (wizard)",
        "Create a model step by step: base, use case, parameters, prompt, template, review",
    ),
    KeyAction("app", "help", "f1,question_mark", "Help", "Show every key and action"),
    KeyAction(
        "app", "command_palette", "ctrl+p", "Palette", "Search and run any action", palette=False
    ),
    KeyAction("app", "toggle_theme", "ctrl+t", "Theme", "Switch between the dark and light theme"),
    KeyAction(
        "app",
        "use_demo_host",
        "f9",
        "Demo host",
        "Switch to the built-in demo Ollama host (seeded Llama, Mistral, Qwen, Granite models)",
        show=False,
    ),
    KeyAction(
        "app", "check_hosts", "f5", "Check hosts", "Check every host's health now", show=False
    ),
    KeyAction(
        "app",
        "edit_hosts",
        "H",
        "Hosts",
        "Add, edit, reorder or remove the hosts in the settings file",
        show=False,
    ),
    KeyAction(
        "app",
        "show_drafts",
        "ctrl+d,alt+d",
        "Drafts",
        "Resume or discard autosaved drafts, the wizard's at their step (from any pane)",
        show=False,
        priority=True,
    ),
    KeyAction("app", "quit", "ctrl+q", "Quit", "Quit Modelarium", priority=True),
    KeyAction(
        "models", "focus_filter", "slash", "Filter", "Filter models as you type", priority=True
    ),
    KeyAction(
        "models",
        "focus_table",
        "escape",
        "Table",
        "Back to the model table (from the filter or the details)",
        show=False,
        palette=False,
    ),
    KeyAction(
        "models",
        "filter_to_table",
        "down",
        "Table",
        "From the filter down into the table (the keys typed next go to the table)",
        show=False,
        priority=True,
        palette=False,
    ),
    KeyAction(
        "models",
        "focus_details",
        "enter",
        "Details",
        "Move into the highlighted model's details (to scroll them)",
        show=False,
        palette=False,
    ),
    KeyAction("models", "toggle_select", "space", "Select", "Select or unselect the model"),
    KeyAction("models", "select_all", "a", "All", "Select all shown models, or none if all are"),
    KeyAction("models", "cycle_sort", "s", "Sort", "Sort by name, size, modified, family in turn"),
    KeyAction("models", "reverse_sort", "S", "Reverse", "Reverse the sort order", show=False),
    KeyAction("models", "cycle_host", "h", "Host", "Show all hosts or one host in turn"),
    KeyAction(
        "models",
        "extract",
        "x",
        "Extract",
        "Extract the selected models' elements into the library (preview first)",
    ),
    KeyAction(
        "models",
        "compare_models",
        "equals_sign",
        "Compare",
        "Compare two models element by element (the two selected, or one selected and the "
        "highlighted one)",
        show=False,
    ),
    KeyAction(
        "models",
        "apply_lines",
        "b",
        "Batch apply",
        "Lay the same PARAMETER/SYSTEM/… lines over the selected models (preview, then create)",
        show=False,
    ),
    KeyAction("models", "open_in_editor", "e", "Edit", "Open the model's Modelfile in the editor"),
    KeyAction("models", "copy_model", "c", "Copy", "Copy the model under a new name"),
    KeyAction(
        "models", "delete_models", "delete,D", "Delete", "Delete the selected models (asks first)"
    ),
    KeyAction("models", "pull_model", "p", "Pull", "Pull a model from the registry, with progress"),
    KeyAction(
        "models",
        "update_models",
        "U",
        "Update",
        "Pull the selected models again, one after another (newest version from the registry)",
        show=False,
    ),
    KeyAction(
        "models",
        "push_model",
        "P",
        "Push",
        "Push the model to its registry, with progress",
        show=False,
    ),
    KeyAction(
        "models",
        "load_models",
        "l",
        "Load",
        "Load the selected (or highlighted) models into memory now",
        show=False,
    ),
    KeyAction(
        "models",
        "unload_models",
        "u",
        "Unload",
        "Free the memory of the selected (or highlighted) loaded models",
        show=False,
    ),
    KeyAction("models", "refresh", "r", "Refresh", "Reload the model list from every host"),
    KeyAction(
        "models",
        "app.open_wizard_here",
        "w",
        "Wizard",
        "Create a new model from the highlighted one with the step-by-step wizard",
        show=False,
    ),
    KeyAction(
        "library",
        "app.open_wizard_here",
        "w",
        "Wizard",
        "Create a new model with the highlighted parameter set (step-by-step wizard)",
        show=False,
    ),
    KeyAction(
        "models",
        "app.open_trials",
        "t",
        "Trials",
        "Try the selected models' settings with the probes (the Trials view)",
        show=False,
    ),
    KeyAction(
        "models",
        "app.use_demo_host",
        "d",
        "Demo host",
        "Switch to the built-in demo host (the one key offered when no host answers)",
        show=False,
        palette=False,
    ),
    KeyAction(
        "models",
        "knowledge",
        "k",
        "Settings",
        "The curated settings for the model side by side: vendor, Ollama, engine, measured",
        show=False,
    ),
    KeyAction("knowledge-dialog", "cycle_use_case", "u", "Use case", "Show the next use case"),
    KeyAction(
        "knowledge-dialog",
        "show_in_library",
        "l",
        "In library",
        "Show the curated elements that apply to this model in the Library",
    ),
    KeyAction(
        "effective-dialog",
        "close",
        "escape,q",
        "Close",
        "Close the effective settings view",
        palette=False,
    ),
    KeyAction(
        "knowledge-dialog", "close", "escape,q", "Close", "Close the settings view", palette=False
    ),
    # The Editor pane's live prompt preview.
    KeyAction(
        "editor",
        "toggle_prompt_preview",
        "f12",
        "Prompt",
        "Show or hide the live prompt preview: the TEMPLATE rendered as Ollama renders it",
    ),
    # The ctrl, F and alt keys are priority bindings: they run as the key arrives, before the text
    # box sees it (it would type an alt+letter, or take ctrl+e / ctrl+d itself), and before the
    # keys typed right after them are routed, so that those land in the dialog the key opens.
    KeyAction(
        "editor",
        "save_to_library",
        "ctrl+s",
        "Save",
        "Save the Modelfile's elements to the library (preview first)",
        priority=True,
    ),
    KeyAction(
        "editor",
        "create_model",
        "ctrl+r",
        "Create",
        "Create a model from the Modelfile: preview the exact /api/create body, then create",
        priority=True,
    ),
    KeyAction(
        "editor", "open_file", "ctrl+o", "Open", "Open a Modelfile from a file", priority=True
    ),
    KeyAction(
        "editor",
        "export_file",
        "ctrl+e,alt+s",
        "Export",
        "Export the Modelfile to a file (atomic; asks before overwriting). End still moves to "
        "the line end",
        priority=True,
    ),
    KeyAction(
        "editor",
        "copy_modelfile",
        "ctrl+g,alt+c",
        "Copy",
        "Copy the whole Modelfile to the clipboard (OSC 52)",
        priority=True,
    ),
    KeyAction(
        "editor",
        "copy_element",
        "c,alt+e",
        "Copy element",
        "Copy the element highlighted in the Elements list (c or Enter there)",
        show=False,
    ),
    KeyAction(
        "editor", "next_problem", "f8", "Next problem", "Move the cursor to the next lint problem"
    ),
    KeyAction(
        "editor",
        "apply_fix",
        "ctrl+f,alt+f",
        "Fix",
        "Apply lint's suggested fix for the selected problem (or the one at the cursor)",
        priority=True,
    ),
    KeyAction(
        "editor",
        "import_text",
        "ctrl+l,alt+i",
        "Import",
        "Import a pasted Modelfile: parse and preview it first",
        show=False,
        priority=True,
    ),
    KeyAction(
        "editor",
        "complete",
        "ctrl+space,ctrl+@",
        "Complete",
        "Complete the word at the cursor: instructions, parameters, roles, models, template fields",
    ),
    KeyAction(
        "editor",
        "new_modelfile",
        "ctrl+n",
        "New",
        "Start a new, empty Modelfile (the current one stays a draft)",
        show=False,
        priority=True,
    ),
    KeyAction(
        "editor",
        "show_effective",
        "f7",
        "Effective",
        "Every setting this text would create a model with, and where each value comes from "
        "(this text's line, the FROM model on the host, Ollama's default)",
        show=False,
        priority=True,  # the text box's own F7 selects all
    ),
    KeyAction(
        "editor",
        "toggle_parameters",
        "f10",
        "Parameters",
        "Show or hide the parameter form beside the text (edits the PARAMETER lines in place)",
        show=False,
        priority=True,
    ),
    # The Library pane.
    KeyAction(
        "library",
        "focus_search",
        "slash",
        "Search",
        "Search the library as you type",
        priority=True,
    ),
    KeyAction(
        "library",
        "focus_results",
        "down",
        "Results",
        "From the search box down into the results (Enter too)",
        show=False,
        priority=True,
        palette=False,
    ),
    KeyAction(
        "library",
        "add_to_editor",
        "a",
        "Add to editor",
        "Add the element to the Modelfile in the editor",
    ),
    KeyAction("library", "copy_element", "c", "Copy", "Copy the element to the clipboard"),
    KeyAction("library", "edit_tags", "t", "Tags", "Edit the element's tags"),
    KeyAction(
        "library",
        "delete_element",
        "delete,D",
        "Delete",
        "Delete the element (shows what uses it; curated elements are read-only)",
    ),
    KeyAction("library", "show_drafts", "d", "Drafts", "Resume or discard autosaved drafts"),
    KeyAction(
        "library",
        "import_text",
        "i",
        "Import",
        "Import a pasted Modelfile (parse and preview first)",
    ),
    KeyAction(
        "library", "clear_filters", "x", "Clear filters", "Show everything again", show=False
    ),
    # The Models pane's comparisons and re-create.
    KeyAction(
        "models",
        "compare_with_base",
        "B",
        "Diff base",
        "Compare the highlighted model with the model it was made FROM (its base)",
        show=False,
    ),
    KeyAction(
        "models",
        "compare_with_editor",
        "E",
        "Diff editor",
        "Compare the highlighted model with the Modelfile in the editor",
        show=False,
    ),
    KeyAction(
        "models",
        "rebase_models",
        "R",
        "Re-create",
        "Re-create the selected (or highlighted) derived models on their base's current "
        "weights: preview per model, then confirm",
        show=False,
    ),
    # The Dashboard pane.
    KeyAction("dashboard", "unload", "u", "Unload", "Free the memory of the highlighted model"),
    KeyAction(
        "dashboard",
        "unload_host",
        "U",
        "Unload host",
        "Free the memory of every model loaded on the highlighted host",
    ),
    KeyAction(
        "dashboard",
        "load",
        "l",
        "Load",
        "Load a model on the highlighted host for as long as you say (keep-alive)",
    ),
    KeyAction(
        "dashboard",
        "show_model",
        "enter,m",
        "In Models",
        "Show the highlighted loaded model in the Models pane",
    ),
    KeyAction("dashboard", "switch_table", "tab", "Hosts/loaded", "Move between the two tables"),
    KeyAction("dashboard", "refresh", "r", "Refresh", "Read every host's state now"),
    # The model creation wizard.
    KeyAction("wizard", "next", "ctrl+n", "Next", "Go to the next step", priority=True),
    KeyAction(
        "wizard",
        "back",
        "escape",
        "Back",
        "Go back a step (on the first step: close; the wizard is kept as a draft)",
    ),
    KeyAction(
        "wizard",
        "close",
        "f10",
        "Close",
        "Close the wizard; it is kept as a draft at this step (resume it from the first step)",
        priority=True,
    ),
)
"""The app's and the panes' actions, in help-screen order within each scope."""


PANE_KEYS: tuple[str, ...] = (
    "show_pane('models')",
    "show_pane('library')",
    "show_pane('editor')",
)
"""The pane keys the footer shows (the Dashboard's is in the help and the palette)."""

PANE_KEYS_FIRST: tuple[str, ...] = (*PANE_KEYS, "quit")
"""The footer's ranking for a pane that has none of its own: the pane keys and Quit, then the
pane's keys in their order."""

FOOTER_KEEP: dict[str, tuple[str, ...]] = {
    "editor": (
        "save_to_library",
        "create_model",
        *PANE_KEYS_FIRST,
        "next_problem",
        "apply_fix",
        "toggle_prompt_preview",
        "export_file",
        "copy_modelfile",
        "open_file",
        "complete",
    ),
    "models": (
        *PANE_KEYS_FIRST,
        "toggle_select",
        "open_in_editor",
        "pull_model",
        "refresh",
        "copy_model",
        "delete_models",
        "extract",
        "select_all",
        # The toolbar above the table names these keys already: `filter ( / )`, `(h)`, `(s)`.
        "focus_filter",
        "cycle_sort",
        "cycle_host",
        "toggle_theme",
    ),
}
"""Per pane, the footer's keys from the most to the least useful (after F1 Help and the
palette, which it always shows): on a narrow terminal it leaves out the least useful first
and shows the rest in the pane's order. At 100 columns the Models footer keeps the pane keys,
Quit, Select, Edit, Pull and Refresh; at 80 the pane keys, Quit, Select and Edit. The Editor's
keeps Save and Create, the pane keys and Quit at 80 columns, and Next problem and Fix too at
100. A pane not listed ranks `PANE_KEYS_FIRST`."""
