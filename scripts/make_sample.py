#!/usr/bin/env python3
"""Generate the FICTITIOUS demonstration territory shipped in ``resources/sample/``.

Everything here is invented: names, codes, populations, roads, priority neighbourhoods and
service points. The territory only borrows real *formats* (ADMIN EXPRESS v4, BD TOPO v3
``troncon_de_route``, QPV 2024, the ANCT France Services list, INSEE Filosofi 200 m grid) so that
the plugin's tools, the demo and the tutorials run offline on something of realistic structure
and scale. See ``resources/sample/README.md`` for the codes and the layers.

Deterministic: the same seed gives the same features and attributes on every run; GeoPackage
timestamps are pinned too, so on one machine the file is byte-identical from run to run.

Usage: ``python scripts/make_sample.py [--output resources/sample/cget_sample.gpkg]``
(``make sample``). Needs numpy, scipy, GDAL and QGIS (for GEOS operations and layer metadata).
The generator itself is the package ``scripts/sample/`` (its docstring lists the steps).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
for folder in (SCRIPTS, SCRIPTS.parent):  # the ``sample`` package; cget_plugin (metadata)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from sample.build import build_sample  # noqa: E402
from sample.gpkg import write_gpkg  # noqa: E402
from sample.territory import DEFAULT_OUTPUT  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    log = (lambda *_: None) if args.quiet else (lambda m: print(f"make_sample: {m}", flush=True))
    sample = build_sample(log)
    out = Path(args.output)
    write_gpkg(sample, out)
    counts = ", ".join(f"{k} {len(v)}" for k, v in sample.layers.items())
    log(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB): {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
