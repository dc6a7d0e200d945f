"""Benchmark scripts: each runs on its own (`python benchmarks/<name>.py`) and records its
figures in `benchmarks/results.json` (see `benchmarks/results.py`)."""
