"""Common plumbing of a toolbar's tool group: actions added to a toolbar and a submenu, and
removed on unload."""

from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ..core.paths import resource


class ToolGroup:
    def __init__(self, iface, toolbar, menu):
        self.iface = iface
        self.toolbar = toolbar
        self.menu = menu
        self.actions = []
        self.setup()

    def setup(self):
        """Create the group's actions with :meth:`add_action`."""

    def add_action(
        self,
        object_name,
        text,
        callback,
        icon="cget.svg",
        tooltip="",
        checkable=False,
        add_to_toolbar=True,
    ):
        action = QAction(QIcon(str(resource("icons", icon))), text, self.iface.mainWindow())
        action.setObjectName(object_name)
        action.setToolTip(tooltip or text)
        action.setStatusTip(tooltip or text)
        action.setCheckable(checkable)
        action.triggered.connect(callback)
        if add_to_toolbar:
            self.toolbar.addAction(action)
        self.menu.addAction(action)
        self.actions.append(action)
        return action

    def unload(self):
        self.teardown()
        for action in self.actions:
            self.toolbar.removeAction(action)
            self.menu.removeAction(action)
            action.deleteLater()
        self.actions = []

    def teardown(self):
        """Release map tools, docks, tasks... created by the group."""
