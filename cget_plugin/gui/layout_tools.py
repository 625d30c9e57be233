"""Toolbar "Cartes préfecture" (issue 5): "Carte préfecture…", "Atlas…" and "Réglages". The
dialogs run cget:exportmap through Processing; nothing is composed here."""

from ..core.i18n import tr
from .base_tools import ToolGroup


class LayoutTools(ToolGroup):
    def setup(self):
        self.dialog = None
        self.atlas_dialog = None
        self.add_action(
            "CgetLayoutMapAction",
            tr("Prefecture map…"),
            self.open_map_dialog,
            icon="layout_map.svg",
            tooltip=tr("A4/A3 map with bloc-marque, legend, scale, sources: PDF, PNG or SVG"),
        )
        self.add_action(
            "CgetLayoutAtlasAction",
            tr("Atlas…"),
            self.open_atlas_dialog,
            icon="layout_atlas.svg",
            tooltip=tr("One page per commune, QPV or EPCI: one PDF or one file per feature"),
        )
        self.add_action(
            "CgetLayoutSettingsAction",
            tr("Settings"),
            self.open_settings,
            icon="layout_settings.svg",
            tooltip=tr("Authority, service, official bloc-marque, default format"),
        )

    def open_map_dialog(self):
        from .layout_dialog import LayoutDialog

        if self.dialog is None:
            self.dialog = LayoutDialog(self.iface, atlas=False)
        self.dialog.populate_layers()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def open_atlas_dialog(self):
        from .layout_dialog import LayoutDialog

        if self.atlas_dialog is None:
            self.atlas_dialog = LayoutDialog(self.iface, atlas=True)
        self.atlas_dialog.populate_layers()
        self.atlas_dialog.show()
        self.atlas_dialog.raise_()
        return self.atlas_dialog

    def open_settings(self):
        from ..compat import exec_dialog
        from .layout_settings import LayoutSettingsDialog

        dialog = LayoutSettingsDialog(self.iface.mainWindow())
        exec_dialog(dialog)
        return dialog

    def teardown(self):
        for dialog in (self.dialog, self.atlas_dialog):
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
        self.dialog = self.atlas_dialog = None
