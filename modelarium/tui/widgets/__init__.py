"""Widgets shared by several panes and screens (panes never import each other)."""
