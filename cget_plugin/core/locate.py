"""Points -> zone membership and distance to the nearest zone.

"Is this address in a QPV?" is a legal status: the answer comes from the point tested against
the polygons (never a commune-level join, wrong for most points of the 834 communes with a QPV).

Speed matters (10,000 points against the 1,584 QPV of France well under a second), so:
- zones are projected once into a metric CRS per region (Lambert-93 for the Hexagone and
  Corsica, the official local UTM overseas, else the point's UTM zone), so distances are metres
  with little scale error everywhere;
- a numpy bounding-box prefilter selects, for each point, the few zones whose box contains it
  (membership) or whose box is closer than the best guaranteed upper bound (distance);
- only those candidates go to GEOS, through prepared geometries
  (``QgsGeometry.createGeometryEngine`` + ``prepareGeometry``).

The upper bound uses the fact that a polygon touches every side of its bounding box: the
distance from a point to the polygon is at most the largest distance from the point to the two
ends of any side of that box. The nearest zone is therefore exact, not a bounding-box guess.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsCsException,
    QgsDistanceArea,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPoint,
    QgsPointXY,
    QgsProcessingFeatureSource,
    QgsWkbTypes,
)
from scipy.spatial import cKDTree

from .definitions import (
    CODE_FIELD_CANDIDATES,
    NAME_FIELD_CANDIDATES,
    WGS84,
    first_field,
    is_null,
    official_crs_area,
)
from .errors import CancelledError, InputError
from .i18n import tr

SIG_VILLE_URL = "https://sig.ville.gouv.fr/territoire/{code}"
_QPV_CODE = re.compile(r"^Q[NP]\d{3}[0-9A-Z]{2,4}$")


def sig_ville_link(code: Optional[str]) -> Optional[str]:
    """Link to the SIG Ville page of a QPV (2024 ``QN…`` or 2015 ``QP…`` code), else None."""
    if code and _QPV_CODE.match(code.strip()):
        return SIG_VILLE_URL.format(code=code.strip())
    return None


@dataclass
class Location:
    """Answer for one point. ``in_zone`` is None when unknown (no point)."""

    in_zone: Optional[bool] = None
    zone_code: Optional[str] = None
    zone_nom: Optional[str] = None
    zone_codes: List[str] = field(default_factory=list)
    distance_m: Optional[float] = None
    nearest_code: Optional[str] = None
    nearest_nom: Optional[str] = None

    @property
    def link(self) -> Optional[str]:
        return sig_ville_link(self.zone_code)


@dataclass
class _RegionIndex:
    crs: QgsCoordinateReferenceSystem
    zone_ids: np.ndarray  # indices into ZoneIndex.codes
    boxes: np.ndarray  # (n, 4) xmin, ymin, xmax, ymax in the metric CRS
    engines: list
    geometries: list  # keep QgsGeometry alive: engines point into them
    tree: object = None  # cKDTree of box centres
    max_half_diag: float = 0.0


class ZoneIndex:
    """Polygon zones ready for fast point membership and nearest-distance queries.

    Build with :meth:`from_layer` (a polygon layer in any CRS) or :meth:`from_geometries`.
    Per-region metric structures are built lazily, the first time a point falls in the region.
    """

    def __init__(
        self,
        geometries: Sequence[QgsGeometry],
        codes: Sequence[str],
        names: Sequence[str],
        crs: QgsCoordinateReferenceSystem,
        transform_context=None,
    ):
        self.crs = QgsCoordinateReferenceSystem(crs)
        self.codes = [str(c) if c is not None else "" for c in codes]
        self.names = [str(n) if n is not None else "" for n in names]
        self._context = transform_context or QgsCoordinateTransformContext()
        self._geoms: List[QgsGeometry] = []
        self.repaired = 0
        for geom in geometries:
            geom = QgsGeometry(geom)
            if not geom.isNull() and not geom.isGeosValid():
                fixed = geom.makeValid()
                if not fixed.isNull():
                    geom = fixed
                    self.repaired += 1
            self._geoms.append(geom)
        to_wgs = QgsCoordinateTransform(
            self.crs, QgsCoordinateReferenceSystem(WGS84), self._context
        )
        self._region_members: Dict[str, List[int]] = {}
        self._region_crs: Dict[str, str] = {}
        for i, geom in enumerate(self._geoms):
            if geom.isNull() or geom.isEmpty():
                continue
            centre = geom.boundingBox().center()
            try:
                centre = to_wgs.transform(centre)
            except QgsCsException:  # outside the CRS's domain: no region
                continue
            region, crs_id = official_crs_area(centre.x(), centre.y())
            self._region_members.setdefault(region, []).append(i)
            self._region_crs[region] = crs_id
        self._regions: Dict[str, _RegionIndex] = {}

    def __len__(self):
        return len(self._geoms)

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_layer(
        cls,
        layer,
        code_field: str = "",
        name_field: str = "",
        feedback=None,
        transform_context=None,
    ):
        """Index the polygons of a layer or feature source; code and name fields are guessed
        when not given (or not present)."""
        if layer is None or (hasattr(layer, "isValid") and not layer.isValid()):
            raise InputError(tr("The zones layer is not valid."))
        label = layer.name() if hasattr(layer, "name") else layer.sourceName()
        gtype = QgsWkbTypes.geometryType(layer.wkbType())
        if gtype != QgsWkbTypes.PolygonGeometry:
            raise InputError(
                tr(
                    "The zones layer {name} holds {kind}, not polygons. Choose a polygon layer "
                    "(QPV, communes...) or a geography of the catalogue."
                ).format(name=label, kind=QgsWkbTypes.geometryDisplayString(gtype))
            )
        names = layer.fields().names()
        if code_field not in names:
            code_field = first_field(names, CODE_FIELD_CANDIDATES) or ""
        if name_field not in names:
            name_field = first_field(names, NAME_FIELD_CANDIDATES) or ""
        geoms, codes, labels = [], [], []
        total = max(1, layer.featureCount())
        for n, feat in enumerate(_all_features(layer)):
            if feedback is not None and feedback.isCanceled():
                raise CancelledError(tr("Cancelled by the user."))
            geoms.append(feat.geometry())
            codes.append(_text(feat[code_field]) if code_field else str(feat.id()))
            labels.append(_text(feat[name_field]) if name_field else "")
            if feedback is not None and n % 500 == 0:
                feedback.setProgress(100.0 * n / total)
        context = transform_context
        if context is None and hasattr(layer, "transformContext"):
            context = layer.transformContext()
        return cls(geoms, codes, labels, layer.sourceCrs(), context)

    @classmethod
    def from_geometries(cls, items: Iterable[Tuple[str, str, QgsGeometry]], crs):
        items = list(items)
        return cls(
            [g for _, _, g in items],
            [c for c, _, _ in items],
            [n for _, n, _ in items],
            QgsCoordinateReferenceSystem(crs),
        )

    def _region(self, region: str) -> Optional[_RegionIndex]:
        if region in self._regions:
            return self._regions[region]
        members = self._region_members.get(region)
        if not members:
            self._regions[region] = None
            return None
        crs = QgsCoordinateReferenceSystem(self._region_crs[region])
        xform = QgsCoordinateTransform(self.crs, crs, self._context)
        boxes, engines, geoms, ids = [], [], [], []
        for i in members:
            geom = QgsGeometry(self._geoms[i])
            if geom.transform(xform) != 0 or geom.isEmpty():
                continue
            bb = geom.boundingBox()
            engine = QgsGeometry.createGeometryEngine(geom.constGet())
            engine.prepareGeometry()
            boxes.append((bb.xMinimum(), bb.yMinimum(), bb.xMaximum(), bb.yMaximum()))
            engines.append(engine)
            geoms.append(geom)
            ids.append(i)
        box_array = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
        centres = np.column_stack(
            [(box_array[:, 0] + box_array[:, 2]) / 2, (box_array[:, 1] + box_array[:, 3]) / 2]
        )
        half_diag = np.hypot(box_array[:, 2] - box_array[:, 0], box_array[:, 3] - box_array[:, 1])
        index = _RegionIndex(
            crs=crs,
            zone_ids=np.asarray(ids, dtype=np.int64),
            boxes=box_array,
            engines=engines,
            geometries=geoms,
            tree=cKDTree(centres) if len(ids) else None,
            max_half_diag=float(half_diag.max() / 2) if len(ids) else 0.0,
        )
        self._regions[region] = index
        return index

    def prepare(self) -> None:
        """Build every region's structures now (otherwise done on first use)."""
        for region in self._region_members:
            self._region(region)

    # -- queries --------------------------------------------------------------------------
    def locate(
        self,
        points: Sequence[Optional[QgsPointXY]],
        crs,
        with_distance: bool = True,
        feedback=None,
        transform_context=None,
    ) -> List[Location]:
        """One :class:`Location` per point (``None`` points give an unknown answer)."""
        crs = QgsCoordinateReferenceSystem(crs)
        context = transform_context or self._context
        to_wgs = QgsCoordinateTransform(crs, QgsCoordinateReferenceSystem(WGS84), context)
        results: List[Location] = [Location() for _ in points]
        groups: Dict[str, List[int]] = {}
        group_crs: Dict[str, str] = {}
        for k, pt in enumerate(points):
            if pt is None:
                continue
            try:
                ll = to_wgs.transform(QgsPointXY(pt))
            except QgsCsException:  # point outside the CRS domain: unknown
                continue
            if not (math.isfinite(ll.x()) and math.isfinite(ll.y())):
                continue
            region, crs_id = official_crs_area(ll.x(), ll.y())
            groups.setdefault(region, []).append(k)
            group_crs[region] = crs_id
        for region, members in groups.items():
            if feedback is not None and feedback.isCanceled():
                raise CancelledError(tr("Cancelled by the user."))
            index = self._region(region)
            if index is None or len(index.engines) == 0:
                self._locate_far(points, members, crs, context, results, with_distance)
                continue
            xform = QgsCoordinateTransform(crs, index.crs, context)
            xy = np.empty((len(members), 2), dtype=np.float64)
            for j, k in enumerate(members):
                p = xform.transform(QgsPointXY(points[k]))
                xy[j, 0] = p.x()
                xy[j, 1] = p.y()
            self._locate_metric(index, xy, members, results, with_distance, feedback)
        return results

    def _locate_metric(self, index, xy, members, results, with_distance, feedback):
        """Membership and exact nearest distance for points already in ``index``'s CRS.

        Candidates come from a KD-tree of box centres: every box within ``d`` of a point has its
        centre within ``d + H`` (H: largest half diagonal). ``d`` is the best upper bound among
        the 4 nearest zones (or 0 without distance: only boxes containing the point)."""
        boxes = index.boxes
        n_pts = xy.shape[0]
        k = min(4, len(boxes))
        _, nn = index.tree.query(xy, k=k)
        nn = np.asarray(nn).reshape(n_pts, k)
        if with_distance:
            b = boxes[nn]  # (n, k, 4)
            ub = _upper_bound(
                xy[:, 0:1], xy[:, 1:2], b[..., 0], b[..., 1], b[..., 2], b[..., 3]
            ).min(axis=1)
        else:
            ub = np.zeros(n_pts)
        cands = index.tree.query_ball_point(xy, ub + index.max_half_diag + 1e-6)
        lens = np.fromiter((len(c) for c in cands), dtype=np.int64, count=n_pts)
        pi = np.repeat(np.arange(n_pts), lens)
        zj = np.fromiter(itertools.chain.from_iterable(cands), dtype=np.int64, count=lens.sum())
        bb = boxes[zj]
        px, py = xy[pi, 0], xy[pi, 1]
        dx = np.maximum(np.maximum(bb[:, 0] - px, px - bb[:, 2]), 0.0)
        dy = np.maximum(np.maximum(bb[:, 1] - py, py - bb[:, 3]), 0.0)
        lower = np.hypot(dx, dy)
        keep = lower <= ub[pi] + 1e-6
        pi, zj, lower = pi[keep], zj[keep], lower[keep]
        order = np.lexsort((lower, pi))
        pi, zj, lower = pi[order].tolist(), zj[order].tolist(), lower[order].tolist()
        engines, zone_ids = index.engines, index.zone_ids
        n_pairs = len(pi)
        pos = 0
        for j in range(n_pts):
            if feedback is not None and j % 1000 == 0 and feedback.isCanceled():
                raise CancelledError(tr("Cancelled by the user."))
            loc = results[members[j]]
            point = QgsPoint(float(xy[j, 0]), float(xy[j, 1]))
            first = pos
            while pos < n_pairs and pi[pos] == j:
                pos += 1
            found = [
                zj[q]
                for q in range(first, pos)
                if lower[q] == 0.0 and engines[zj[q]].intersects(point)
            ]
            if found:
                ids = [int(zone_ids[z]) for z in found]
                loc.in_zone = True
                loc.zone_code = self.codes[ids[0]]
                loc.zone_nom = self.names[ids[0]]
                loc.zone_codes = [self.codes[i] for i in ids]
                loc.distance_m = 0.0
                loc.nearest_code, loc.nearest_nom = loc.zone_code, loc.zone_nom
                continue
            loc.in_zone = False
            if not with_distance:
                continue
            best, best_z = math.inf, -1
            for q in range(first, pos):
                if lower[q] > best:
                    break
                d = engines[zj[q]].distance(point)
                if d < best:
                    best, best_z = d, zj[q]
            if best_z >= 0:
                i = int(zone_ids[best_z])
                loc.distance_m = float(best)
                loc.nearest_code, loc.nearest_nom = self.codes[i], self.names[i]

    def _locate_far(self, points, members, crs, context, results, with_distance):
        """Points in a region without any zone (a Réunion address against Hexagone zones):
        outside, with an ellipsoidal distance to the nearest zone (rare, slow path)."""
        for k in members:
            results[k].in_zone = False
        if not with_distance or not any(not g.isNull() for g in self._geoms):
            return
        da = QgsDistanceArea()
        da.setSourceCrs(QgsCoordinateReferenceSystem(WGS84), context)
        da.setEllipsoid("EPSG:7030")
        to_wgs = QgsCoordinateTransform(crs, QgsCoordinateReferenceSystem(WGS84), context)
        zones_wgs = []
        zone_xform = QgsCoordinateTransform(self.crs, QgsCoordinateReferenceSystem(WGS84), context)
        for i, geom in enumerate(self._geoms):
            g = QgsGeometry(geom)
            if g.isNull() or g.transform(zone_xform) != 0:
                continue
            zones_wgs.append((i, g))
        for k in members:
            ll = QgsGeometry.fromPointXY(to_wgs.transform(QgsPointXY(points[k])))
            best, best_i = math.inf, -1
            for i, g in zones_wgs:
                near = g.nearestPoint(ll)
                d = da.measureLine(ll.asPoint(), near.asPoint())
                if d < best:
                    best, best_i = d, i
            if best_i >= 0:
                results[k].distance_m = float(best)
                results[k].nearest_code = self.codes[best_i]
                results[k].nearest_nom = self.names[best_i]


def _upper_bound(px, py, bx0, by0, bx1, by1):
    """Per zone, an upper bound of the point-polygon distance (see module docstring)."""
    d00 = np.hypot(px - bx0, py - by0)
    d01 = np.hypot(px - bx0, py - by1)
    d10 = np.hypot(px - bx1, py - by0)
    d11 = np.hypot(px - bx1, py - by1)
    left = np.maximum(d00, d01)
    right = np.maximum(d10, d11)
    bottom = np.maximum(d00, d10)
    top = np.maximum(d01, d11)
    return np.minimum(np.minimum(left, right), np.minimum(bottom, top))


def _all_features(layer):
    """Every feature, invalid geometries included (they are repaired here, not refused)."""
    request = QgsFeatureRequest().setInvalidGeometryCheck(QgsFeatureRequest.GeometryNoCheck)
    if isinstance(layer, QgsProcessingFeatureSource):
        return layer.getFeatures(request, QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
    return layer.getFeatures(request)


def _text(value) -> str:
    return "" if is_null(value) else str(value)


def point_of(geometry: QgsGeometry) -> Optional[QgsPointXY]:
    """The point of a (multi)point geometry (first part), or None when empty."""
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    if geometry.isMultipart():
        parts = geometry.asMultiPoint()
        return QgsPointXY(parts[0]) if parts else None
    return QgsPointXY(geometry.asPoint())
