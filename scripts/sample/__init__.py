"""Generator of the FICTITIOUS demonstration territory of ``resources/sample/`` (entry point:
``scripts/make_sample.py``), in the order it is built:

- ``territory``: the invented identity (codes, places, EPCI, QPV, motorway, departmental roads);
- ``geometry``: seeded generators, line shaping, the few QGIS/GEOS calls;
- ``communes``: 1. the département outline and its communes;
- ``towns``, ``motorway``, ``rural``, ``network``: 2. the road network, then ``roads``: its
  topology (noding, roundabouts, one-way traps, main component);
- ``population``: 3. QPV outlines and the 200 m population grid; ``services``: town halls and
  France Services;
- ``features``: the layers' attributes; ``gpkg``: 4. the GeoPackage and its metadata;
- ``build``: the steps in order.
"""
