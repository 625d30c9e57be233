"""CGET – Égalité des territoires: QGIS plugin entry point."""


def classFactory(iface):  # noqa: N802 (QGIS API name)
    from .plugin import CgetPlugin

    return CgetPlugin(iface)
