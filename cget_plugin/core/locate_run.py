"""The run behind ``cget:locateaddresses``: places (points, or addresses to geocode) tested
against zones (a polygon layer, or a geography of the catalogue).

Every input row is written, located or not: rows that cannot be located keep their attributes,
a null geometry, ``in_zone`` NULL (unknown) and a status saying why. The zones are read first:
a wrong zones input must not cost a geocoding run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingMultiStepFeedback,
    QgsWkbTypes,
)

from ..compat import make_field
from . import geocode as geo
from . import provenance as prov_mod
from .definitions import WGS84
from .errors import InputError
from .feedback import push_info, push_warning
from .i18n import tr
from .locate import Location, ZoneIndex, point_of, sig_ville_link

# Fields added to every input row (docs/processing.md §3 names first).
OUTPUT_FIELDS = (
    ("in_zone", "bool"),
    ("zone_code", "string"),
    ("zone_nom", "string"),
    ("zone_codes", "string"),
    ("distance_m", "double"),
    ("lien_sig_ville", "string"),
    ("geocode_score", "double"),
    ("geocode_status", "string"),
    ("geocode_label", "string"),
    ("geocode_type", "string"),
    ("geocode_insee", "string"),
)
STATUS_NO_GEOMETRY = "sans géométrie"


def output_aliases() -> Dict[str, str]:
    return {
        "in_zone": tr("In the zone"),
        "zone_code": tr("Zone code"),
        "zone_nom": tr("Zone name"),
        "zone_codes": tr("All zones containing the place"),
        "distance_m": tr("Distance to the nearest zone (m)"),
        "lien_sig_ville": tr("SIG Ville page"),
        "geocode_score": tr("Geocoding score"),
        "geocode_status": tr("Geocoding status"),
        "geocode_label": tr("Address found"),
        "geocode_type": tr("Geocoding precision"),
        "geocode_insee": tr("Commune code (geocoding)"),
    }


def resolve_field(names, wanted, param_label, layer_name) -> str:
    """The layer's field matching ``wanted`` (exact, else ignoring case, spaces and BOM)."""
    if wanted in names:
        return wanted

    def norm(text):
        return text.replace("\ufeff", "").strip().strip('"').lower()

    for name in names:
        if norm(name) == norm(wanted):
            return name
    raise InputError(
        tr(
            "The field “{field}” ({param}) is not in the table {layer}. Available fields: "
            "{fields}. Choose the column that holds the addresses."
        ).format(
            field=wanted,
            param=param_label,
            layer=layer_name,
            fields=", ".join(names) or tr("none"),
        )
    )


# -- inputs -----------------------------------------------------------------------------------


@dataclass
class Places:
    """The rows to locate: their points, or the columns to geocode."""

    name: str
    fields: QgsFields
    crs: QgsCoordinateReferenceSystem
    features: List[QgsFeature]
    has_points: bool
    address_fields: List[str] = field(default_factory=list)
    citycode_field: str = ""
    postcode_field: str = ""

    @classmethod
    def from_source(
        cls, source, name, address_fields, citycode_field="", postcode_field="", feedback=None
    ) -> Places:
        """Checked places of a feature source: points, or a table with address columns."""
        geom_type = QgsWkbTypes.geometryType(source.wkbType())
        has_points = geom_type == QgsWkbTypes.PointGeometry
        if geom_type not in (
            QgsWkbTypes.PointGeometry,
            QgsWkbTypes.NullGeometry,
            QgsWkbTypes.UnknownGeometry,
        ):
            raise InputError(
                tr(
                    "The input layer {layer} holds {kind}: give points, or a table without "
                    "geometry with an address column (ADDRESS_FIELD)."
                ).format(layer=name, kind=QgsWkbTypes.geometryDisplayString(geom_type))
            )
        names = source.fields().names()
        address_fields = [f for f in address_fields if f]
        if not has_points and not address_fields:
            raise InputError(
                tr(
                    "The table {layer} has no geometry: choose the column(s) holding the "
                    "addresses (ADDRESS_FIELD). Available fields: {fields}."
                ).format(layer=name, fields=", ".join(names) or tr("none"))
            )
        if has_points and address_fields:
            push_info(
                feedback,
                tr(
                    "The input has point geometries: they are used, the addresses are not "
                    "geocoded."
                ),
            )
        features = list(source.getFeatures())
        if not features:
            raise InputError(
                tr("The input layer {layer} has no rows: nothing to locate.").format(layer=name)
            )
        places = cls(name, source.fields(), source.sourceCrs(), features, has_points)
        if not has_points:
            places.address_fields = [
                resolve_field(names, f, "ADDRESS_FIELD", name) for f in address_fields
            ]
            for attr, wanted, label in (
                ("citycode_field", citycode_field, "CITYCODE_FIELD"),
                ("postcode_field", postcode_field, "POSTCODE_FIELD"),
            ):
                if wanted:
                    setattr(places, attr, resolve_field(names, wanted, label, name))
        return places

    def column(self, name: str) -> Optional[list]:
        return [f[name] for f in self.features] if name else None


@dataclass
class Zones:
    index: ZoneIndex
    label: str
    provenance: Optional[prov_mod.Provenance] = None
    #: The user's own layer (an empty one is an error), not a catalogue geography.
    own_layer: bool = False


def zones_from_layer(source, layer, code_field, name_field, feedback, transform_context) -> Zones:
    """The user's polygon layer (ZONES)."""
    label = layer.name() if layer is not None else (source.sourceName() or "ZONES")
    gtype = QgsWkbTypes.geometryType(source.wkbType())
    if gtype != QgsWkbTypes.PolygonGeometry:
        raise InputError(
            tr(
                "The zones layer {layer} (ZONES) holds {kind}, not polygons. Choose a "
                "polygon layer, or leave ZONES empty to use a geography of the "
                "catalogue."
            ).format(layer=label, kind=QgsWkbTypes.geometryDisplayString(gtype))
        )
    index = ZoneIndex.from_layer(
        source, code_field, name_field, feedback=feedback, transform_context=transform_context
    )
    prov = prov_mod.read_from_layer(layer) if layer is not None else None
    return Zones(index, label, prov, own_layer=True)


def zones_from_geography(geography, territory, feedback, transform_context) -> Zones:
    """A polygon geography of the catalogue, limited to ``territory`` when given."""
    if not geography:
        raise InputError(
            tr(
                "Choose the zones: a geography of the catalogue (GEOGRAPHY) or a polygon "
                "layer (ZONES)."
            )
        )
    from . import geographies  # looked up at run time (tests replace the module)

    result = geographies.load_geography(
        geography,
        territory=territory or None,
        feedback=feedback,
        transform_context=transform_context,
    )
    for message in getattr(result, "messages", []) or []:
        push_info(feedback, str(message))
    layer = result.layer
    if layer is None:
        raise InputError(tr("The geography {gid} could not be loaded.").format(gid=geography))
    if layer.geometryType() != QgsWkbTypes.PolygonGeometry:
        raise InputError(
            tr(
                "The geography {gid} is not made of polygons: choose a zoning "
                "(QPV, FRR, communes...)."
            ).format(gid=geography)
        )
    label = geography + (f" ({territory})" if territory else "")
    index = ZoneIndex.from_layer(
        layer, "code", "nom", feedback=feedback, transform_context=transform_context
    )
    return Zones(index, label, getattr(result, "provenance", None))


# -- the run ----------------------------------------------------------------------------------


@dataclass
class LocateOutcome:
    fields: QgsFields
    crs: QgsCoordinateReferenceSystem
    features: List[QgsFeature]
    provenance: prov_mod.Provenance
    layer_name: str
    counts: Dict[str, int]


def check_zones(zones: Zones, feedback) -> None:
    """An empty catalogue geography is legitimate (every place outside); an empty own layer is
    an error."""
    if len(zones.index) == 0 and not zones.own_layer:
        push_warning(
            feedback,
            tr(
                "{zones} has no zone in this territory: every place is reported outside "
                "(in_zone false, no distance)."
            ).format(zones=zones.label),
        )
    elif len(zones.index) == 0:
        raise InputError(
            tr("The zones ({zones}) hold no polygon: nothing to test the places against.").format(
                zones=zones.label
            )
        )
    if zones.index.repaired:
        push_info(
            feedback,
            tr("{n} invalid zone geometries were repaired before the test.").format(
                n=zones.index.repaired
            ),
        )


def locate_places(
    places: Places,
    zones: Zones,
    steps: QgsProcessingMultiStepFeedback,
    feedback,
    geocoder_url: str = "",
    min_score: float = geo.DEFAULT_MIN_SCORE,
    transform_context=None,
) -> LocateOutcome:
    """Points (given or geocoded) tested against ``zones``; ``steps`` is the three-step
    feedback of the run (zones, geocoding, location) whose first step is done."""
    check_zones(zones, feedback)
    geocoded = None
    if places.has_points:
        points = [point_of(f.geometry()) for f in places.features]
        points_crs = places.crs
    else:
        geocoded = _geocode(places, steps, feedback, geocoder_url, min_score)
        points = [QgsPointXY(r.lon, r.lat) if r.usable else None for r in geocoded]
        points_crs = QgsCoordinateReferenceSystem(WGS84)
    steps.setCurrentStep(2)
    feedback.setProgressText(tr("Testing the places against the zones"))
    locations = zones.index.locate(
        points, points_crs, feedback=steps, transform_context=transform_context
    )
    fields, kept_idx = _output_fields(places, feedback)
    counts = {"in": 0, "out": 0, "unknown": 0}
    features = [
        _output_feature(fields, kept_idx, feat, loc, points[n], geocoded, n, counts)
        for n, (feat, loc) in enumerate(zip(places.features, locations))
    ]
    _report(counts, len(places.features), feedback)
    return LocateOutcome(
        fields=fields,
        crs=points_crs,
        features=features,
        provenance=_provenance(places, zones, geocoded is not None),
        layer_name=tr("{input} – in {zones}").format(input=places.name, zones=zones.label),
        counts=counts,
    )


def _geocode(places: Places, steps, feedback, url: str, min_score: float):
    addresses = [[f[name] for name in places.address_fields] for f in places.features]
    push_info(
        feedback,
        tr("Geocoding {n} addresses with {url}…").format(
            n=len(places.features), url=geo.base_url(url)
        ),
    )
    feedback.setProgressText(tr("Geocoding"))
    steps.setCurrentStep(1)
    results = geo.geocode_batch(
        addresses,
        places.column(places.citycode_field),
        places.column(places.postcode_field),
        url=url,
        min_score=min_score,
        feedback=steps,
    )
    counts: Dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    push_info(
        feedback,
        tr("Geocoding: {summary}.").format(
            summary=", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
        ),
    )
    return results


def _output_fields(places: Places, feedback):
    """The input's fields (those of a previous run replaced) then :data:`OUTPUT_FIELDS`."""
    ours = {name for name, _ in OUTPUT_FIELDS}
    kept = [f for f in places.fields if f.name() not in ours]
    replaced = [f.name() for f in places.fields if f.name() in ours]
    if replaced:
        push_info(
            feedback,
            tr("Fields of a previous run replaced: {fields}.").format(fields=", ".join(replaced)),
        )
    fields = QgsFields()
    for f in kept:
        fields.append(f)
    aliases = output_aliases()
    for name, type_name in OUTPUT_FIELDS:
        fields.append(make_field(name, type_name, alias=aliases[name]))
    return fields, [places.fields.indexOf(f.name()) for f in kept]


def _zone_attributes(loc: Location) -> list:
    if loc.in_zone is None:
        return [None] * 6
    return [
        loc.in_zone,
        loc.zone_code,
        loc.zone_nom,
        ", ".join(loc.zone_codes) if loc.zone_codes else None,
        round(loc.distance_m, 1) if loc.distance_m is not None else None,
        sig_ville_link(loc.zone_code),
    ]


def _output_feature(fields, kept_idx, feat, loc: Location, point, geocoded, n, counts):
    out = QgsFeature(fields)
    attrs = [feat.attributes()[i] for i in kept_idx]
    counts["unknown" if loc.in_zone is None else ("in" if loc.in_zone else "out")] += 1
    result = geocoded[n] if geocoded is not None else None
    if result is not None:
        geo_attrs = [
            result.score,
            result.status,
            result.label or None,
            result.type or None,
            result.commune or None,
        ]
        if result.has_point and point is None:
            # Low score: keep the candidate position so the user can check it.
            point = QgsPointXY(result.lon, result.lat)
    else:
        status = None if point is not None else STATUS_NO_GEOMETRY
        geo_attrs = [None, status, None, None, None]
    out.setAttributes(attrs + _zone_attributes(loc) + geo_attrs)
    if point is not None:
        out.setGeometry(QgsGeometry.fromPointXY(point))
    return out


def _report(counts: Dict[str, int], total: int, feedback) -> None:
    push_info(
        feedback,
        tr("{inside} places in a zone, {outside} outside, {unknown} unknown.").format(
            inside=counts["in"], outside=counts["out"], unknown=counts["unknown"]
        ),
    )
    if counts["unknown"] == total and feedback is not None:
        feedback.reportError(
            tr(
                "No place could be located (see geocode_status). Check the address "
                "column, or the geocoder answer."
            ),
            False,
        )


def _provenance(places: Places, zones: Zones, geocoded: bool) -> prov_mod.Provenance:
    zp = zones.provenance
    return prov_mod.Provenance(
        producer=zp.producer if zp else tr("CGET plugin"),
        dataset=tr("Places located in: {zones}").format(zones=zones.label),
        vintage=zp.vintage if zp else "",
        url=zp.url if zp else "",
        licence=zp.licence if zp else "",
        retrieved=prov_mod.now_iso(),
        source_date=zp.source_date if zp else "",
        parameters={"input": places.name, "zones": zones.label},
        credit=zp.credit_line() if zp else "",
        extra_credits=[tr("geocoding: Base Adresse Nationale via IGN Géoplateforme")]
        if geocoded
        else [],
    )
