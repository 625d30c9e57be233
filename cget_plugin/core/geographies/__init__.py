"""Fetch, read, normalise, filter and validate one geography of the catalogue.

:func:`load_geography` is the engine behind ``cget:loadgeography`` and the toolbar. It returns
a memory layer in Lambert-93 (metropolitan France) or the official local CRS (overseas), with
the normalised fields ``code``, ``nom``, ``insee_dep``, ``millesime`` before the source's own,
valid geometries, and the provenance of the data. A row that cannot be joined is kept without
geometry and reported, never dropped.

The rooms, in the order a load goes through them:

- :mod:`.model`: the load's state (:class:`LoadState`), the table read from a source, the result;
- :mod:`.sources`: catalogue entry -> where to fetch (SOURCE, data.gouv.fr, pinned URLs, WFS);
- :mod:`.wfs`: paged WFS ``GetFeature`` through the cache (resumable page by page);
- :mod:`.readers`: one reader per file format (GeoPackage, GeoJSON, shapefile, CSV, XLSX, ZIP);
- :mod:`.normalise`: source fields -> ``code``, ``nom``, ``insee_dep``…, territory filter on codes;
- :mod:`.geometry`: the geometry strategies (``native``, ``points``, ``join_communes``) and
  :mod:`.groupements` (``join_groupements``);
- :mod:`.output`: the output layer, its aliases and provenance;
- :mod:`.loader`: the sequence of the above.

Adding a catalogue entry: ``resources/catalog/catalog.json`` (see ``docs/architecture.md``);
a new file format is a reader in :mod:`.readers`, a new way to get geometries a strategy in
:mod:`.geometry`.
"""

from .geometry import check_latlon, repair
from .loader import load_geography
from .model import GeographyResult, LoadState, Table
from .normalise import NORMALISED, normalised_aliases, resolve_fields
from .readers import gdal_exceptions, read_csv_bytes, read_spreadsheet, read_vector
from .sources import pick_resource

__all__ = [
    "NORMALISED",
    "GeographyResult",
    "LoadState",
    "Table",
    "check_latlon",
    "gdal_exceptions",
    "load_geography",
    "normalised_aliases",
    "pick_resource",
    "read_csv_bytes",
    "read_spreadsheet",
    "read_vector",
    "repair",
    "resolve_fields",
]
