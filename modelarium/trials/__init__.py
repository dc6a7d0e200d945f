"""Settings trials: run small objective probes against model variants on a host and keep the
results beside the curated advice (docs/trials.md)."""
