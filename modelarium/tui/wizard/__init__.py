"""The model creation wizard (a screen, imported when first opened)."""

from modelarium.tui.wizard.screen import WizardScreen

__all__ = ["WizardScreen"]
