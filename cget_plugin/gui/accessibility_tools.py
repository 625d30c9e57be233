"""Toolbar "Accessibilité (issue 4)": actions that open or run the Processing algorithms."""

from .base_tools import ToolGroup


class AccessibilityTools(ToolGroup):
    def setup(self):
        pass
