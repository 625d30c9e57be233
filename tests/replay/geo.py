"""OGR helpers shared by the replay data builders (GDAL bindings shipped with QGIS)."""

from __future__ import annotations

import hashlib

from osgeo import ogr, osr

ogr.UseExceptions()
osr.UseExceptions()


def _srs(epsg: int) -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


WGS84 = _srs(4326)
L93 = _srs(2154)
TO_L93 = osr.CoordinateTransformation(WGS84, L93)
TO_WGS84 = osr.CoordinateTransformation(L93, WGS84)


def stable_int(text: str, digits: int = 16) -> int:
    """A number drawn from ``text``, the same at every run."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % (10**digits)


def multi(geom: ogr.Geometry) -> ogr.Geometry:
    if geom.GetGeometryType() in (ogr.wkbPolygon, ogr.wkbPolygon25D):
        return ogr.ForceToMultiPolygon(geom)
    return geom
