"""Toolbar "Géographie prioritaire (issue 3)": actions that open or run the Processing algorithms."""

from .base_tools import ToolGroup


class GeographyTools(ToolGroup):
    def setup(self):
        pass
