"""Toolbar "Géographie prioritaire" (issue 3): the catalogue menu grouped by theme, the
territory chooser, "Adresse en QPV ?", "Vérifier un fichier d'adresses…" and the sources
settings. Everything runs or opens the Processing algorithms (cget:loadgeography,
cget:locateaddresses); nothing is computed here."""

from __future__ import annotations

from qgis.core import Qgis
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMenu, QToolButton

from ..core.i18n import tr
from ..core.paths import resource
from .base_tools import ToolGroup


class GeographyTools(ToolGroup):
    def setup(self):
        from .geography_loader import GeographyLoader
        from .geography_territory import TerritoryEdit

        self.loader = GeographyLoader(self.iface)
        self.address_dialog = None
        main_window = self.iface.mainWindow()

        # Catalogue: one button with a menu, one submenu per theme (catalogue order).
        self.catalog_menu = QMenu(tr("Priority geographies"), main_window)
        self.catalog_menu.setObjectName("CgetCatalogMenu")
        self.catalog_action = QAction(
            QIcon(str(resource("icons", "geo_catalog.svg"))),
            tr("Load a priority geography"),
            main_window,
        )
        self.catalog_action.setObjectName("CgetCatalogAction")
        self.catalog_action.setToolTip(
            tr("Load an official geography (QPV, FRR, ACV, PVD...) for the chosen territory")
        )
        self.catalog_action.setMenu(self.catalog_menu)
        self.catalog_action.triggered.connect(self._show_catalog_menu)
        self.toolbar.addAction(self.catalog_action)
        button = self.toolbar.widgetForAction(self.catalog_action)
        if isinstance(button, QToolButton):
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu.addAction(self.catalog_action)
        self.actions.append(self.catalog_action)
        self.populate_catalog_menu()

        # Territory chooser, on the toolbar.
        self.territory_edit = TerritoryEdit(main_window)
        self.territory_action = self.toolbar.addWidget(self.territory_edit)
        self.territory_action.setObjectName("CgetTerritoryAction")
        self.actions_widgets = [self.territory_action]

        self.add_action(
            "CgetAddressAction",
            tr("Address in a QPV?"),
            self.open_address_dialog,
            icon="geo_address.svg",
            tooltip=tr("Type an address or click on the map: is it in a QPV?"),
        )
        self.add_action(
            "CgetAddressFileAction",
            tr("Check a file of addresses…"),
            self.open_locate_dialog,
            icon="geo_file.svg",
            tooltip=tr("Tell for each row of a table or point layer whether it is in a QPV"),
        )
        self.add_action(
            "CgetSourcesAction",
            tr("Sources and mirrors…"),
            self.open_sources_dialog,
            icon="geo_settings.svg",
            tooltip=tr("Point sources to mirrors or local files; geocoder settings"),
            add_to_toolbar=False,
        )

    # -- catalogue ------------------------------------------------------------------------
    def populate_catalog_menu(self):
        from ..core.catalog import THEMES, load_catalog

        self.catalog_menu.clear()
        try:
            catalog = load_catalog()
        except Exception as exc:  # noqa: BLE001 - show the problem instead of an empty menu
            action = self.catalog_menu.addAction(tr("Catalogue unavailable: {}").format(exc))
            action.setEnabled(False)
            return
        grouped = {}
        for entry in catalog.entries():
            grouped.setdefault(entry.theme, []).append(entry)
        themes = [t for t in THEMES.keys() if t in grouped]
        themes += [t for t in grouped if t not in themes]
        for theme in themes:
            label = THEMES.get(theme, theme) if theme in THEMES else theme
            sub = self.catalog_menu.addMenu(label)
            sub.setObjectName(f"CgetTheme_{theme}")
            for entry in grouped[theme]:
                action = sub.addAction(entry.display_name)
                action.setObjectName(f"CgetLoad_{entry.id}")
                action.setData(entry.id)
                tip = tr("{title} – {producer}, {vintage}").format(
                    title=entry.title, producer=entry.producer, vintage=entry.vintage
                )
                action.setToolTip(tip)
                action.setStatusTip(tip)
                action.triggered.connect(
                    lambda _checked=False, gid=entry.id, title=entry.display_name: self.load(
                        gid, title
                    )
                )
            sub.setToolTipsVisible(True)

    def _show_catalog_menu(self):
        button = self.toolbar.widgetForAction(self.catalog_action)
        if button is not None:
            self.catalog_menu.popup(button.mapToGlobal(button.rect().bottomLeft()))

    def load(self, geography_id, title=""):
        """Load one catalogue geography for the current territory (background task)."""
        from ..core.errors import CgetError

        codes = self.territory_edit.codes()
        try:
            group = self.territory_edit.label()
        except CgetError as exc:
            self.iface.messageBar().pushMessage(tr("Territory"), str(exc), Qgis.Warning, 10)
            return None
        return self.loader.load(geography_id, codes, group, title or geography_id)

    # -- address tools --------------------------------------------------------------------
    def open_address_dialog(self):
        from .geography_address import AddressCheckDialog

        if self.address_dialog is None:
            self.address_dialog = AddressCheckDialog(
                self.iface, load_zones=lambda: self.load("qpv2024", "QPV 2024")
            )
            self.loader.loaded.connect(self._offer_zones)
        self.address_dialog.show()
        self.address_dialog.raise_()
        self.address_dialog.activateWindow()
        return self.address_dialog

    def _offer_zones(self, layer):
        from .geography_address import _looks_like_qpv

        if self.address_dialog is not None and _looks_like_qpv(layer):
            self.address_dialog.set_zones_layer(layer)
            self.address_dialog._show(
                tr("Zones ready: {layer}. Type an address or click on the map.").format(
                    layer=layer.name()
                )
            )

    def open_locate_dialog(self):
        import processing

        params = {"TERRITORY": self.territory_edit.codes()}
        return processing.execAlgorithmDialog("cget:locateaddresses", params)

    def open_sources_dialog(self):
        from .settings_sources import SourcesDialog

        dialog = SourcesDialog(self.iface.mainWindow())
        if dialog.exec():
            self.populate_catalog_menu()
        return dialog

    def teardown(self):
        for task in self.loader.running():
            task.cancel()  # their callbacks would reach deleted widgets
        if self.address_dialog is not None:
            self.address_dialog.close()
            self.address_dialog.deleteLater()
            self.address_dialog = None
        for action in getattr(self, "actions_widgets", []):
            self.toolbar.removeAction(action)
        self.actions_widgets = []
        self.catalog_menu.deleteLater()
