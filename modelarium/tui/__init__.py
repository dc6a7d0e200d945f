"""The Textual app: `app.py` shell, panes (`models/`, `library/`, `editor/`), `dialogs/`.

Nothing is imported here so that importing a submodule stays cheap.
"""
