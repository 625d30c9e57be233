"""PDF / PNG / SVG export of a layout or an atlas through QgsLayoutExporter, with explicit
settings (docs/map-conventions.md §5.2) and atomic file writes.

Each file is exported under a temporary name in the target folder, then moved into place with
``os.replace``: a failed or cancelled export never leaves a half-written file under the final
name, and an existing file is only replaced when the caller asked to overwrite.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

from qgis.core import QgsLayoutExporter

from ..errors import CancelledError, DataError, InputError
from ..i18n import tr
from . import qgis_compat as compat
from .layers import detect_fields
from .spec import FORMATS, atlas_file_stems

_RESULTS = {
    "Canceled": lambda: tr("cancelled"),
    "FileError": lambda: tr("the file could not be written"),
    "PrintError": lambda: tr("printing failed"),
    "MemoryError": lambda: tr("not enough memory (lower the DPI)"),
    "SvgLayerError": lambda: tr("a layer could not be exported to SVG"),
    "IteratorError": lambda: tr("the atlas could not be iterated"),
}


@dataclass
class ExportOptions:
    dpi: int = 300
    text_as_outlines: bool = False  # print shops; default keeps searchable, accessible text
    overwrite: bool = False
    georeference: bool = True


@dataclass
class ExportReport:
    files: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)


def format_of(path: str) -> str:
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(tr("The output {path} must end in .pdf, .png or .svg.").format(path=path))
    return fmt


def check_folder(folder: Path) -> None:
    """The folder exists (created if needed) and accepts new files."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            tr("Cannot create the output folder {folder}: {error}. Choose another folder.").format(
                folder=folder, error=exc.strerror or exc
            )
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            tr("The output folder {folder} is not writable. Choose another folder.").format(
                folder=folder
            )
        )


def check_targets(paths, overwrite: bool) -> None:
    existing = [str(p) for p in paths if Path(p).exists()]
    if existing and not overwrite:
        shown = ", ".join(existing[:5]) + (" …" if len(existing) > 5 else "")
        raise InputError(
            tr(
                "The file(s) {files} already exist. Choose another name, or allow overwriting "
                "(OVERWRITE)."
            ).format(files=shown)
        )
    for p in existing:
        if Path(p).is_dir():
            raise InputError(tr("{path} is a folder, not a file.").format(path=p))


def _temp_path(target: Path) -> Path:
    return target.with_name(f".{target.stem}.cget-{uuid.uuid4().hex[:8]}{target.suffix}")


def pdf_settings(options: ExportOptions) -> QgsLayoutExporter.PdfExportSettings:
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = options.dpi
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = False
    settings.textRenderFormat = compat.text_render_format(options.text_as_outlines)
    settings.appendGeoreference = options.georeference
    settings.exportMetadata = True
    settings.simplifyGeometries = True
    if hasattr(settings, "writeGeoPdf"):
        settings.writeGeoPdf = False
    return settings


def image_settings(options: ExportOptions) -> QgsLayoutExporter.ImageExportSettings:
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = options.dpi
    settings.generateWorldFile = False
    settings.cropToContents = False
    settings.exportMetadata = False  # GDAL cannot update a PNG in place (error 6)
    return settings


def svg_settings(options: ExportOptions) -> QgsLayoutExporter.SvgExportSettings:
    settings = QgsLayoutExporter.SvgExportSettings()
    settings.dpi = options.dpi
    settings.textRenderFormat = compat.text_render_format(options.text_as_outlines)
    settings.exportAsLayers = False
    settings.exportMetadata = True
    settings.forceVectorOutput = False
    return settings


def _check(result, exporter: Optional[QgsLayoutExporter], target) -> None:
    if result == QgsLayoutExporter.ExportResult.Success:
        return
    reason = next(
        (
            text()
            for name, text in _RESULTS.items()
            if result == getattr(QgsLayoutExporter.ExportResult, name)
        ),
        str(result),
    )
    detail = ""
    if exporter is not None:
        detail = exporter.errorFile() or ""
        if hasattr(exporter, "errorMessage") and exporter.errorMessage():
            detail = f"{detail} {exporter.errorMessage()}".strip()
    if result == QgsLayoutExporter.ExportResult.Canceled:
        raise CancelledError(tr("Export cancelled: {path} was not written.").format(path=target))
    raise DataError(
        tr("Export of {path} failed: {reason} {detail}")
        .format(path=target, reason=reason, detail=detail)
        .strip()
    )


def _export_current(layout, fmt: str, tmp: Path, options: ExportOptions):
    exporter = QgsLayoutExporter(layout)
    if fmt == "pdf":
        result = exporter.exportToPdf(str(tmp), pdf_settings(options))
    elif fmt == "png":
        # QGIS 3.22 still opens the written PNG with GDAL in update mode (for georeferencing),
        # which the PNG driver refuses with a harmless "ERROR 6": keep it off the console.
        from osgeo import gdal

        gdal.PushErrorHandler("CPLQuietErrorHandler")
        try:
            result = exporter.exportToImage(str(tmp), image_settings(options))
        finally:
            gdal.PopErrorHandler()
    else:
        result = exporter.exportToSvg(str(tmp), svg_settings(options))
    return result, exporter


def _commit(tmp: Path, target: Path) -> None:
    if not tmp.is_file() or tmp.stat().st_size == 0:
        raise DataError(tr("Export of {path} produced no file.").format(path=target))
    os.replace(tmp, target)


def _cleanup(paths) -> None:
    for p in paths:
        try:
            Path(p).unlink()
        except OSError:
            pass


def export_layout(layout, path: str, options: ExportOptions, feedback=None) -> ExportReport:
    """One page to ``path`` (.pdf, .png or .svg)."""
    target = Path(path).expanduser().absolute()
    fmt = format_of(str(target))
    check_folder(target.parent)
    check_targets([target], options.overwrite)
    tmp = _temp_path(target)
    layout.refresh()
    try:
        result, exporter = _export_current(layout, fmt, tmp, options)
        _check(result, exporter, target)
        _commit(tmp, target)
    finally:
        _cleanup([tmp])
    return ExportReport([str(target)])


def atlas_entries(layout) -> list:
    """(code, name) per atlas page, in page order, from the atlas file-name parts."""
    atlas = layout.atlas()
    code_field, name_field = detect_fields(atlas.coverageLayer())
    entries = []
    atlas.beginRender()
    try:
        for i in range(atlas.count()):
            atlas.seekTo(i)
            feature = layout.reportContext().feature()
            code = feature[code_field] if code_field else ""
            name = feature[name_field] if name_field else atlas.nameForPage(i)
            entries.append(("" if code is None else str(code), "" if name is None else str(name)))
    finally:
        atlas.endRender()
    return entries


def export_atlas(
    layout, output: str, options: ExportOptions, fmt: str = "pdf", feedback=None
) -> ExportReport:
    """Atlas: ``output`` ending in .pdf -> one multi-page PDF; otherwise a folder with one
    file per feature named ``<code>_<name>.<fmt>``."""
    atlas = layout.atlas()
    count = atlas.updateFeatures()
    if count == 0:
        raise InputError(tr("The atlas has no page: its layer has no feature."))
    out = Path(output).expanduser().absolute()
    report = ExportReport()
    layout.refresh()
    if out.suffix.lower() == ".pdf":
        check_folder(out.parent)
        check_targets([out], options.overwrite)
        tmp = _temp_path(out)
        try:
            # The feedback gives progress and Cancel page by page (and lets the GUI breathe).
            result, error = QgsLayoutExporter.exportToPdf(
                atlas, str(tmp), pdf_settings(options), feedback
            )
            if result == QgsLayoutExporter.ExportResult.Canceled:
                raise CancelledError(
                    tr("Export cancelled: {path} was not written.").format(path=out)
                )
            if result != QgsLayoutExporter.ExportResult.Success:
                raise DataError(
                    tr("Export of {path} failed: {error}").format(path=out, error=error)
                )
            _commit(tmp, out)
        finally:
            _cleanup([tmp])
        report.files.append(str(out))
        return report
    if out.suffix.lower() in (".png", ".svg"):
        fmt, out = out.suffix.lower().lstrip("."), out.parent
    if fmt not in FORMATS:
        raise InputError(tr("Unknown atlas format {fmt}.").format(fmt=fmt))
    check_folder(out)
    stems, notes = atlas_file_stems(atlas_entries(layout))
    report.notes.extend(notes)
    targets = [out / f"{stem}.{fmt}" for stem in stems]
    check_targets(targets, options.overwrite)  # before writing anything: nothing half-done
    atlas.beginRender()
    try:
        for i, target in enumerate(targets):
            if feedback is not None:
                if feedback.isCanceled():
                    raise CancelledError(
                        tr("Atlas export cancelled after {n} of {total} pages.").format(
                            n=i, total=len(targets)
                        )
                    )
                feedback.setProgress(100.0 * i / len(targets))
            atlas.seekTo(i)
            tmp = _temp_path(target)
            try:
                result, exporter = _export_current(layout, fmt, tmp, options)
                _check(result, exporter, target)
                _commit(tmp, target)
            finally:
                _cleanup([tmp])
            report.files.append(str(target))
    finally:
        atlas.endRender()
    return report
