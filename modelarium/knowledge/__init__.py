"""Curated family settings (v2): records, matching them to a model, checking their sources.

`records` loads the packaged knowledge; `match` selects what applies to one installed model
and lays it out side by side; `toolcall` compares a TEMPLATE's tool-call style with the
family's documented one; `check` re-reads each record's source. Nothing here knows of the
store, the hosts or the UI: the CLI and the TUI hand in a model's facts.
"""
