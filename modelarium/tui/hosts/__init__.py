"""Host health: the periodic check and the status bar that shows it."""
