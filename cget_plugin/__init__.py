"""CGET – Égalité des territoires: QGIS plugin entry point."""


def classFactory(iface):  # QGIS API name
    from .plugin import CgetPlugin

    return CgetPlugin(iface)
