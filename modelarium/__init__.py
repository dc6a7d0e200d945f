"""Modelarium: a keyboard-driven terminal workbench for Ollama models and their Modelfiles."""

__version__ = "0.1.0"
