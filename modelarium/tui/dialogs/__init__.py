"""Modal screens: confirm, name input, progress, extract preview, help."""
