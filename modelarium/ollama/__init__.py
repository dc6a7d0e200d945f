"""The Ollama side: model names, typed results and errors, one pooled async client per host,
host health and failover, and `/api/show` -> element extraction.

Import the submodules directly (`modelarium.ollama.client`, `.hosts`, `.extract`, `.names`,
`.types`); this package file stays import-light so the CLI starts fast.
"""
