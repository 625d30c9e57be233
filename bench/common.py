"""What the benchmark modules share: printing, timing a Processing run, memory peaks, point
layers. Imported after QGIS is initialised (``bench/run.py`` or a module's ``main``)."""

from __future__ import annotations

import resource
import time
from pathlib import Path


def start_qgis():
    """QGIS without a display, Processing and the CGET provider: ``(app, provider)``."""
    import os
    import sys

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if "/usr/share/qgis/python/plugins" not in sys.path:
        sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    from cget_plugin.processing.provider import CgetProvider

    provider = CgetProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    return app, provider


def run_isolated(script: Path, *args: str) -> dict:
    """Run a bench module in a process of its own (its memory peak then is its own, not what
    earlier lines left resident, such as native:serviceareafromlayer's); its lines are printed
    as they come, its figures returned (written by :func:`write_figures`)."""
    import json
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cget-bench-") as tmp:
        out = Path(tmp) / "figures.json"
        subprocess.run(
            [sys.executable, str(script), *args, "--figures", str(out)],
            check=False,
            stdin=subprocess.DEVNULL,
        )
        if not out.exists():
            raise RuntimeError(f"{script.name} wrote no figures (see its output above)")
        return json.loads(out.read_text(encoding="utf-8"))


def write_figures(figures: dict, argv) -> None:
    """``--figures PATH`` on the command line: the figures as JSON there."""
    import json

    if "--figures" in argv:
        target = Path(argv[argv.index("--figures") + 1])
        target.write_text(json.dumps(figures), encoding="utf-8")


def line(text=""):
    print(text, flush=True)


def num(value) -> str:
    """12 345 rather than 12,345."""
    return f"{value:,}".replace(",", "\u202f")


def peak_mb() -> float:
    """Largest resident size of the whole process so far (QGIS included)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def reset_peak() -> bool:
    """Start a new peak measure (Linux: VmHWM reset by ``clear_refs``); False where it cannot."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def step_peak_mb() -> float:
    """Largest resident size since :func:`reset_peak` (the whole process, QGIS included)."""
    try:
        for row in Path("/proc/self/status").read_text().splitlines():
            if row.startswith("VmHWM:"):
                return int(row.split()[1]) / 1024.0
    except OSError:
        pass
    return peak_mb()


def run(alg, params, feedback=None):
    """``(seconds, results)`` of one Processing run in the project's context."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    started = time.perf_counter()
    result = processing.run(
        alg, params, context=context, feedback=feedback or QgsProcessingFeedback()
    )
    return time.perf_counter() - started, result


def points_layer(xy, crs="EPSG:2154", name="points", values=None, id_format="o{i}"):
    """A memory layer of points ``o0, o1…`` (field ``id``, ``id_format`` of the index), with
    ``pop`` when ``values``."""
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer

    fields = "&field=id:string" + ("&field=pop:double" if values is not None else "")
    layer = QgsVectorLayer(f"Point?crs={crs}{fields}", name, "memory")
    feats = []
    for i, (x, y) in enumerate(xy):
        feat = QgsFeature(layer.fields())
        feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        feat.setAttributes(
            [id_format.format(i=i)] + ([float(values[i])] if values is not None else [])
        )
        feats.append(feat)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer, False)
    return layer


def points_gpkg(path: Path, xy, values=None, epsg: int = 2154) -> Path:
    """The same points written once to a GeoPackage (layer ``points``), reused when there."""
    import os

    from osgeo import ogr, osr

    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    if tmp.exists():
        tmp.unlink()
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(tmp))
    layer = ds.CreateLayer("points", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("id", ogr.OFTString))
    if values is not None:
        layer.CreateField(ogr.FieldDefn("pop", ogr.OFTReal))
    defn = layer.GetLayerDefn()
    layer.StartTransaction()
    for i, (x, y) in enumerate(xy):
        feat = ogr.Feature(defn)
        feat.SetField(0, f"o{i}")
        if values is not None:
            feat.SetField(1, float(values[i]))
        point = ogr.Geometry(ogr.wkbPoint)
        point.AddPoint_2D(float(x), float(y))
        feat.SetGeometry(point)
        layer.CreateFeature(feat)
    layer.CommitTransaction()
    ds = None
    os.replace(tmp, path)
    return path
