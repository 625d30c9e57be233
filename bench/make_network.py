"""Deterministic synthetic road network with BD TOPO ``troncon_de_route`` fields (~300,000 edges).

A jittered grid in Lambert-93 (around Rennes), 150 m blocks, a hierarchy of faster roads every
tenth street, some one-way streets both ways of digitising, one or two interior vertices per
edge. Written with OGR into ``bench/output/`` (not committed); re-used when already there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

OUTPUT = Path(__file__).resolve().parent / "output"
X0, Y0 = 330000.0, 6770000.0  # Lambert-93, Ille-et-Vilaine


def network_path(n_side: int = 389, spacing: float = 150.0, seed: int = 42) -> Path:
    """Path of the synthetic GeoPackage (built on first use). Edges: 2 * n_side * (n_side + 1)."""
    from osgeo import ogr, osr

    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"synthetic_bdtopo_{n_side}_{int(spacing)}_{seed}.gpkg"
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    n = n_side + 1
    jitter = rng.uniform(-25, 25, size=(n, n, 2))
    nodes = np.stack(np.meshgrid(np.arange(n) * spacing, np.arange(n) * spacing, indexing="ij"), -1)
    nodes = nodes + jitter + (X0, Y0)
    tmp = path.with_suffix(".tmp.gpkg")
    if tmp.exists():
        tmp.unlink()
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(tmp))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    layer = ds.CreateLayer("troncon_de_route", srs, ogr.wkbLineString)
    for name, kind in (
        ("cleabs", ogr.OFTString),
        ("nature", ogr.OFTString),
        ("importance", ogr.OFTString),
        ("sens_de_circulation", ogr.OFTString),
        ("vitesse_moyenne_vl", ogr.OFTInteger),
        ("acces_vehicule_leger", ogr.OFTString),
        ("etat_de_l_objet", ogr.OFTString),
    ):
        layer.CreateField(ogr.FieldDefn(name, kind))
    layer.StartTransaction()
    _write_sections(ogr, layer, nodes, n, rng)
    layer.CommitTransaction()
    ds = None
    os.replace(tmp, path)
    return path


def _write_sections(ogr, layer, nodes, n, rng) -> int:
    """The lattice's edges as road sections (horizontal then vertical from each node);
    returns their number."""
    defn = layer.GetLayerDefn()
    count = 0
    for i in range(n):
        for j in range(n):
            for di, dj in ((1, 0), (0, 1)):
                if i + di >= n or j + dj >= n:
                    continue
                a = nodes[i, j]
                b = nodes[i + di, j + dj]
                major = (j % 10 == 0) if di else (i % 10 == 0)
                trunk = (j % 50 == 0) if di else (i % 50 == 0)
                mid = (a + b) / 2 + rng.uniform(-12, 12, 2)
                coords = (
                    [a, mid, b]
                    if rng.random() < 0.7
                    else [a, (2 * a + b) / 3 + rng.uniform(-8, 8, 2), (a + 2 * b) / 3, b]
                )
                if trunk:
                    nature, importance, speed = "Route à 2 chaussées", "2", 90
                elif major:
                    nature, importance, speed = "Route à 1 chaussée", "3", 70
                else:
                    nature, importance, speed = (
                        "Route à 1 chaussée",
                        "5",
                        int(rng.choice([30, 40, 50])),
                    )
                r = rng.random()
                sens = "Double sens"
                if not major and r < 0.04:
                    sens = "Sens direct"
                elif not major and r < 0.08:
                    sens = "Sens inverse"
                feat = ogr.Feature(defn)
                feat.SetField(0, f"TRONROUT{count:010d}")
                feat.SetField(1, nature)
                feat.SetField(2, importance)
                feat.SetField(3, sens)
                feat.SetField(4, speed)
                feat.SetField(5, "Libre")
                feat.SetField(6, "En service")
                line = ogr.Geometry(ogr.wkbLineString)
                for x, y in coords:
                    line.AddPoint_2D(float(x), float(y))
                feat.SetGeometry(line)
                layer.CreateFeature(feat)
                count += 1
    return count


if __name__ == "__main__":
    side = int(sys.argv[1]) if len(sys.argv) > 1 else 389
    print(network_path(side))
