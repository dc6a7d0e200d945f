"""Tests of the Ollama client, host pool and extraction (mock transports and real HTTP)."""
