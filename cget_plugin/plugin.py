"""CgetPlugin: three toolbars, a menu, the Processing provider and the translator; nothing else.

Each toolbar's actions live in ``gui/`` (one module per toolbar); they open or run the
Processing algorithms. Unload removes everything so that reloading the plugin does not
duplicate toolbars, actions or providers.
"""

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMenu

from .core.i18n import install_translator, tr
from .core.paths import i18n_dir, resource
from .processing.provider import CgetProvider

TOOLBAR_IDS = ("CgetGeographyToolbar", "CgetAccessibilityToolbar", "CgetLayoutToolbar")
MENU_OBJECT_NAME = "CgetMenu"


class CgetPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.translator = install_translator(i18n_dir())
        self.provider = None
        self.toolbars = []
        self.menu = None
        self.tool_groups = []
        self.actions = []

    # Processing provider (also registered when QGIS runs processing without the GUI)
    def initProcessing(self):
        if self.provider is None:
            self.provider = CgetProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):
        self.initProcessing()
        main_window = self.iface.mainWindow()
        self.menu = QMenu(tr("CGET – Territorial equality"), main_window)
        self.menu.setObjectName(MENU_OBJECT_NAME)
        self.menu.setIcon(QIcon(str(resource("icons", "cget.svg"))))
        titles = (tr("Priority geography"), tr("Accessibility"), tr("Prefecture maps"))
        for object_name, title in zip(TOOLBAR_IDS, titles):
            toolbar = self.iface.addToolBar(title)
            toolbar.setObjectName(object_name)
            toolbar.setWindowTitle(title)
            self.toolbars.append(toolbar)
        submenus = [self.menu.addMenu(title) for title in titles]

        from .gui.accessibility_tools import AccessibilityTools
        from .gui.geography_tools import GeographyTools
        from .gui.layout_tools import LayoutTools

        for cls, toolbar, submenu in zip(
            (GeographyTools, AccessibilityTools, LayoutTools), self.toolbars, submenus
        ):
            self.tool_groups.append(cls(self.iface, toolbar, submenu))

        self.menu.addSeparator()
        help_action = QAction(tr("User guide"), self.menu)
        help_action.setObjectName("CgetHelpAction")
        help_action.triggered.connect(self.open_help)
        self.menu.addAction(help_action)
        self.actions.append(help_action)
        self.iface.pluginMenu().addMenu(self.menu)

    def open_help(self):
        from qgis.PyQt.QtCore import QUrl
        from qgis.PyQt.QtGui import QDesktopServices

        guide = resource("help", "guide_fr.html")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide)))

    def unload(self):
        for group in self.tool_groups:
            group.unload()
        self.tool_groups = []
        for action in self.actions:
            action.deleteLater()
        self.actions = []
        if self.menu is not None:
            self.iface.pluginMenu().removeAction(self.menu.menuAction())
            self.menu.deleteLater()
            self.menu = None
        main_window = self.iface.mainWindow()
        for toolbar in self.toolbars:
            main_window.removeToolBar(toolbar)
            # Detach now: deleteLater alone leaves the toolbar findable until the event loop runs.
            toolbar.setParent(None)
            toolbar.deleteLater()
        self.toolbars = []
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        from .core.net import remove_user_agent_hook

        remove_user_agent_hook()
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
