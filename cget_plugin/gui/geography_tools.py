"""Toolbar "Géographie prioritaire" (issue 3): the catalogue menu grouped by theme, the
territory chooser, "Adresse en QPV ?", "Vérifier un fichier d'adresses…" and the sources
settings. Everything runs or opens the Processing algorithms (cget:loadgeography,
cget:locateaddresses); nothing is computed here."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsCoordinateTransform,
    QgsCsException,
    QgsLineSymbol,
    QgsProject,
    QgsProperty,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMenu, QToolButton

from ..core.i18n import tr
from ..core.paths import resource
from .base_tools import ToolGroup
from .geography_loader import GeographyLoader, find_or_create_group
from .geography_territory import TerritoryEdit

# The shipped fictitious territory (resources/sample/cget_sample.gpkg, see its README.md).
# (catalogue id, table of the sample)
SAMPLE_GEOGRAPHIES = (
    ("communes", "communes"),
    ("qpv2024", "qpv"),
    ("france_services", "france_services"),
)
# Loaded as they are (table, name when the file has no title): routing network, population.
SAMPLE_PLAIN_LAYERS = (
    ("troncon_de_route", "troncon_de_route"),
    ("carreaux_200m", "carreaux_200m"),
)
# Top-to-bottom order in the group: points over zones over the network over the grid.
SAMPLE_ORDER = ("france_services", "qpv", "communes", "troncon_de_route", "carreaux_200m")


class GeographyTools(ToolGroup):
    def setup(self):
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
        except Exception as exc:  # show the problem instead of an empty menu
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
        self._add_sample_action()

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
            self.iface.messageBar().pushMessage(
                tr("Territory"), str(exc), Qgis.MessageLevel.Warning, 10
            )
            return None
        return self.loader.load(geography_id, codes, group, title or geography_id)

    # -- fictitious sample ("Essayer avec l'exemple") ---------------------------------------
    def _add_sample_action(self):
        self.catalog_menu.addSeparator()
        action = self.catalog_menu.addAction(
            QIcon(str(resource("icons", "cget.svg"))), tr("Try with the sample")
        )
        action.setObjectName("CgetLoadSample")
        tip = tr(
            "Loads the demonstration territory shipped with the plugin, without network: QPV, "
            "communes, France Services, road network and 200 m population grid. These data are "
            "FICTITIOUS: never present them as official data."
        )
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: self.load_sample())
        self.catalog_menu.setToolTipsVisible(True)
        self.sample_action = action

    def load_sample(self):
        """Load the shipped fictitious sample into its own group (background tasks): the
        geographies through cget:loadgeography (SOURCE = the sample's table), the road network
        and the 200 m grid as plain layers; zoom to the group once every load has ended.
        Returns the first loading run."""
        sample = resource("sample", "cget_sample.gpkg")
        if not sample.is_file():
            self.iface.messageBar().pushMessage(
                tr("Priority geography"),
                tr("The sample file is missing: {path}").format(path=sample),
                Qgis.MessageLevel.Warning,
                10,
            )
            return None
        group_name = tr("Fictitious sample (demonstration data)")
        project = QgsProject.instance()
        find_or_create_group(group_name, project)  # at the top of the tree at once
        # One after the other, and the plain layers only once they are done: the loads read
        # the same GeoPackage, and one file read through OGR from several threads at once (a
        # worker, the canvas's rendering of a layer of it) can dead-lock (QGIS #63583).
        pending = list(SAMPLE_GEOGRAPHIES)

        def load_next(_run=None):
            if not pending:
                # the group again by name: the user may have removed it meanwhile
                _add_sample_plain_layers(sample, find_or_create_group(group_name, project), project)
                self._sample_loaded(group_name)
                return None
            geography_id, table = pending.pop(0)
            # "– France entière" would be wrong on an invented territory: the sample's names.
            title = _sample_title(geography_id)
            run = self.loader.load(
                geography_id,
                "",
                group_name,
                title,
                source=f"{sample}|layername={table}",
                layer_name=title,
                on_done=load_next,
            )
            return run

        return load_next()

    def _sample_loaded(self, group_name):
        group = QgsProject.instance().layerTreeRoot().findGroup(group_name)
        if group is None:
            return
        _order_sample_group(group)
        extent = None
        canvas = self.iface.mapCanvas()
        dest = canvas.mapSettings().destinationCrs()
        for node in group.findLayers():
            layer = node.layer()
            if layer is None or not layer.isSpatial() or layer.extent().isEmpty():
                continue
            try:
                xform = QgsCoordinateTransform(layer.crs(), dest, QgsProject.instance())
                rect = xform.transformBoundingBox(layer.extent())
            except QgsCsException:  # a layer that cannot be projected is not zoomed to
                continue
            if extent is None:
                extent = QgsRectangle(rect)
            else:
                extent.combineExtentWith(rect)
        if extent is not None:
            canvas.setExtent(extent.buffered(extent.width() * 0.03))
            canvas.refresh()

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
        if self.address_dialog is not None:
            self.address_dialog.offer_zones(layer)

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
        self.loader.runner.cancel_all()  # their callbacks would reach deleted widgets
        if self.address_dialog is not None:
            self.address_dialog.runner.cancel_all()
            self.address_dialog.close()
            self.address_dialog.deleteLater()
            self.address_dialog = None
        for action in getattr(self, "actions_widgets", []):
            self.toolbar.removeAction(action)
        self.actions_widgets = []
        self.catalog_menu.deleteLater()


def _sample_title(geography_id: str) -> str:
    return {
        "communes": tr("Communes (fictitious)"),
        "qpv2024": tr("Priority neighbourhoods 2024 (fictitious)"),
        "france_services": tr("France Services (fictitious)"),
    }.get(geography_id, geography_id)


def _style_sample_layer(layer, table):
    """A readable look for the plain layers (the geographies get their catalogue style)."""
    if table == "troncon_de_route":
        symbol = QgsLineSymbol.createSimple({"line_color": "#8c8c8c", "line_width": "0.15"})
        symbol.setDataDefinedWidth(
            QgsProperty.fromExpression(
                "CASE WHEN \"importance\" IN ('1', '2') THEN 0.6 "
                "WHEN \"importance\" = '3' THEN 0.4 WHEN \"importance\" = '4' THEN 0.25 "
                "ELSE 0.12 END"
            )
        )
        layer.renderer().setSymbol(symbol)
    elif table == "carreaux_200m":
        layer.setOpacity(0.6)


def _sample_rank(layer) -> int:
    source = layer.source().lower() if layer is not None else ""
    for rank, table in enumerate(SAMPLE_ORDER):
        if f"layername={table}" in source or table in (layer.name().lower() if layer else ""):
            return rank
    # Outputs of cget:loadgeography are memory layers: recognise them by their fields.
    names = set(layer.fields().names()) if layer is not None else set()
    if "id_fs" in names:
        return 0
    if "code_qp" in names:
        return 1
    return 2


def _add_sample_plain_layers(sample, group, project):
    """The sample's road network and 200 m grid as plain layers of ``group`` (the grid
    unchecked: it would hide everything under it)."""
    for table, fallback in SAMPLE_PLAIN_LAYERS:
        layer = QgsVectorLayer(f"{sample}|layername={table}", fallback, "ogr")
        if not layer.isValid():
            continue
        layer.setName(layer.metadata().title() or fallback)
        _style_sample_layer(layer, table)
        project.addMapLayer(layer, False)
        node = group.addLayer(layer)
        if table == "carreaux_200m":
            node.setItemVisibilityChecked(False)


def _order_sample_group(group):
    """Points on top, then QPV, communes, roads and the grid: whatever order the loads ended."""
    nodes = list(group.findLayers())
    ordered = sorted(nodes, key=lambda n: _sample_rank(n.layer()))
    if [n.layer() for n in ordered] == [n.layer() for n in nodes]:
        return
    for index, node in enumerate(ordered):
        clone = node.clone()
        group.insertChildNode(index + len(nodes), clone)
    for node in nodes:
        group.removeChildNode(node)
