"""Toolbar "Cartes préfecture (issue 5)": actions that open or run the Processing algorithms."""

from .base_tools import ToolGroup


class LayoutTools(ToolGroup):
    def setup(self):
        pass
