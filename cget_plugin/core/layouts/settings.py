"""The map settings the user keeps between sessions (Réglages of the Cartes préfecture toolbar):
authority, service, bloc-marque, template, paper, format, dpi; stored under
``cget/layout/<name>`` (:data:`..definitions.SETTINGS_LAYOUT_PREFIX`)."""

from __future__ import annotations

from qgis.core import QgsSettings

from ..definitions import SETTINGS_LAYOUT_PREFIX


def setting(key: str, default=""):
    return QgsSettings().value(SETTINGS_LAYOUT_PREFIX + key, default)


def set_setting(key: str, value) -> None:
    QgsSettings().setValue(SETTINGS_LAYOUT_PREFIX + key, value)
