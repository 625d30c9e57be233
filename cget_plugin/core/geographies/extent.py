"""The territory's extent in the output CRS, to ask a service or a national file for what
lies around it (the road network: plus a margin; the population grid: a first cut before the
filter on commune codes).

Départements and régions: from the shipped département outlines (offline). Communes and EPCI:
from their commune outlines (the ``communes`` geography) when they can be had, else from their
départements' outlines (larger, never smaller)."""

from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem, QgsFeatureRequest, QgsRectangle, QgsVectorLayer

from ..definitions import WGS84
from ..errors import CgetError, DataError
from ..i18n import tr
from ..paths import resource
from .model import LoadState

DEPARTEMENT_OUTLINES = ("reference", "departements.geojson.gz")


def departements_extent(state: LoadState, codes) -> QgsRectangle:
    """Extent (output CRS) of the shipped outlines of départements ``codes``."""
    path = resource(*DEPARTEMENT_OUTLINES)
    layer = QgsVectorLayer(f"/vsigzip/{path}", "departements", "ogr")
    if not layer.isValid():
        raise DataError(
            tr("The département outlines {path} cannot be read. Reinstall the plugin.").format(
                path=path
            )
        )
    codes = sorted(codes)
    quoted = ",".join("'{}'".format(c.replace("'", "''")) for c in codes)
    request = QgsFeatureRequest().setFilterExpression(f'"code" IN ({quoted})')
    extent = QgsRectangle()
    crs = layer.crs() if layer.crs().isValid() else QgsCoordinateReferenceSystem(WGS84)
    transform = state.transform_to_output(crs)
    for feat in layer.getFeatures(request):
        box = transform.transformBoundingBox(feat.geometry().boundingBox())
        extent = box if extent.isEmpty() else _union(extent, box)
    if extent.isEmpty():
        raise DataError(
            tr("No outline of the départements {codes} is shipped with the plugin.").format(
                codes=", ".join(codes)
            )
        )
    return extent


def territory_extent(state: LoadState, precise: bool = False) -> QgsRectangle:
    """The territory's extent; ``precise``: commune outlines for communes and EPCI."""
    deps = state.territory.departement_codes()
    whole = {k for k, _ in state.territory.codes} <= {"departement", "region"}
    if precise and not whole:
        from .geometry import commune_geometries

        try:
            geoms = commune_geometries(state, state.territory_communes())
        except CgetError as exc:
            state.info(
                tr(
                    "Commune outlines unavailable ({error}): the départements' extent is used."
                ).format(error=exc)
            )
            geoms = {}
        boxes = [g.boundingBox() for g in geoms.values() if g is not None]
        if boxes:
            extent = boxes[0]
            for box in boxes[1:]:
                extent = _union(extent, box)
            return extent
    return departements_extent(state, deps)


def _union(a: QgsRectangle, b: QgsRectangle) -> QgsRectangle:
    return QgsRectangle(
        min(a.xMinimum(), b.xMinimum()),
        min(a.yMinimum(), b.yMinimum()),
        max(a.xMaximum(), b.xMaximum()),
        max(a.yMaximum(), b.yMaximum()),
    )


def grown(extent: QgsRectangle, margin_m: float) -> QgsRectangle:
    return QgsRectangle(
        extent.xMinimum() - margin_m,
        extent.yMinimum() - margin_m,
        extent.xMaximum() + margin_m,
        extent.yMaximum() + margin_m,
    )
