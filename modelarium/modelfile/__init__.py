"""The pure Modelfile core: parse, render, create request, elements, lint.

Nothing in this package does I/O beyond what Ollama's own create conversion does
(stat and hash local FROM/ADAPTER/DRAFT paths in `create.py`), and nothing imports Textual,
httpx or SQLAlchemy.
"""
