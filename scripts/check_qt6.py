"""Static Qt 6 (QGIS 4) readiness check of the plugin's Python sources, run by ``make lint``.

Usage: ``python scripts/check_qt6.py [--warnings] [--strict] PATH...`` (files or folders).
Prints one line per error, ``file:line:col: ERROR CODE message -> fix``, a warning count per
file (``--warnings`` lists them the same way), then ``Qt6 checks: N files, P problems``.
Exits 1 when there is an error (with ``--strict``, a warning too).

Errors (break on PyQt 6 / QGIS 4):
  Q6001  Qt imported other than through ``qgis.PyQt`` (``PyQt5``, ``PyQt6``, ``sip``, ``PySide``).
  Q6002  ``exec_`` / ``print_`` (PyQt 5 only names): use ``exec()`` / ``print()``.
  Q6003  Unscoped enum member of a Qt class imported from ``qgis.PyQt``: ``Qt.AlignLeft`` ->
         ``Qt.AlignmentFlag.AlignLeft``, ``QMessageBox.Yes`` -> ``QMessageBox.StandardButton.Yes``.
         Found by introspection of the installed PyQt: ``<Class>.<Name>`` is flagged when
         ``Name`` is an enum *member* (not a nested enum type, a method or a constant); the fix
         names the enum that holds it. Scoped access works on PyQt 5.15 as well.
  Q6004  Qt class, module or function removed in Qt 6: ``QRegExp``, ``QRegExpValidator``,
         ``QDesktopWidget`` and ``QApplication.desktop()``, ``qApp``, ``QTextCodec``, ``QGLWidget``,
         ``QGLFormat``, ``QSound``, ``QMatrix``, ``QWebView``/``QWebPage`` (``QtWebKit*``),
         ``QtXmlPatterns``, ``resources_rc`` (compiled resources), ``QFontMetrics.width()``,
         ``signal[str]`` overload selection such as ``activated[str]``.
  Q6005  Qt enum members renamed in Qt 6: ``Qt.MidButton``, ``Qt.TextColorRole``,
         ``Qt.BackgroundColorRole``, ``QPainter.HighQualityAntialiasing``.
Warnings (work on 3.22–3.44, to be cleaned before a QGIS 4 port):
  Q6101  ``QVariant`` used: ``QMetaType.Type`` for types, ``qgis.core.NULL`` for null values,
         ``cget_plugin.compat.make_field`` for fields.
  Q6102  Unscoped enum member of a QGIS class (``QgsWkbTypes.PolygonGeometry``): use the
         ``cget_plugin.compat`` constant when there is one (the enum moved to ``Qgis.*`` after
         3.22), else the scoped form.
  Q6103  QGIS method deprecated by 3.44 (``setMinimal``, ``parameterAsFields``,
         ``saveStyleToDatabase``, ``QgsMapLayer.attribution``, ``writeAsVectorFormat``/``V2``):
         the ``compat`` helper.

A line carrying the comment ``# qt6: ok`` (a reason may follow) is not checked (deliberate
version branches in ``cget_plugin/compat.py``). Introspection needs ``qgis.PyQt`` importable (the host venv and the
QGIS 3.44 root both have it); without it, Q6003/Q6102 are skipped and a note says so.
"""

from __future__ import annotations

import argparse
import ast
import enum
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

ERROR = "ERROR"
WARNING = "WARNING"

QT_MODULE_PREFIX = "qgis.PyQt"
QGIS_MODULES = ("qgis.core", "qgis.gui", "qgis.analysis", "qgis.processing", "qgis._3d")
FORBIDDEN_IMPORTS = ("PyQt5", "PyQt6", "PySide2", "PySide6", "sip", "shiboken2", "shiboken6")

REMOVED_NAMES = {
    "QRegExp": "use QRegularExpression",
    "QRegExpValidator": "use QRegularExpressionValidator",
    "QDesktopWidget": "use QGuiApplication.screens() / QWidget.screen()",
    "qApp": "use QApplication.instance() (or QgsApplication.instance())",
    "QTextCodec": "decode with Python (bytes.decode) instead",
    "QGLWidget": "use QOpenGLWidget",
    "QGLFormat": "use QSurfaceFormat",
    "QSound": "use QSoundEffect",
    "QMatrix": "use QTransform",
    "QWebView": "QtWebKit is gone: open the page in the browser (QDesktopServices.openUrl)",
    "QWebPage": "QtWebKit is gone: open the page in the browser (QDesktopServices.openUrl)",
}
REMOVED_MODULES = {
    "QtWebKit": "QtWebKit is removed in Qt 6",
    "QtWebKitWidgets": "QtWebKit is removed in Qt 6",
    "QtXmlPatterns": "QtXmlPatterns is removed in Qt 6",
    "resources_rc": "compiled Qt resources are not supported in QGIS 4: load files by path",
    "resources": "compiled Qt resources are not supported in QGIS 4: load files by path",
}
RENAMED_ENUMS = {
    ("Qt", "MidButton"): "Qt.MouseButton.MiddleButton",
    ("Qt", "TextColorRole"): "Qt.ItemDataRole.ForegroundRole",
    ("Qt", "BackgroundColorRole"): "Qt.ItemDataRole.BackgroundRole",
    ("QPainter", "HighQualityAntialiasing"): "QPainter.RenderHint.Antialiasing",
}
RENAMED_METHODS = {"exec_": "exec", "print_": "print"}

# QGIS enums that moved into Qgis.* after 3.22: the compat constant works from 3.22 to QGIS 4.
COMPAT_HINTS = {
    "QgsWkbTypes.PointGeometry": "GEOMETRY_POINT",
    "QgsWkbTypes.LineGeometry": "GEOMETRY_LINE",
    "QgsWkbTypes.PolygonGeometry": "GEOMETRY_POLYGON",
    "QgsWkbTypes.NullGeometry": "GEOMETRY_NULL",
    "QgsWkbTypes.UnknownGeometry": "GEOMETRY_UNKNOWN",
    "QgsWkbTypes.Point": "WKB_POINT",
    "QgsWkbTypes.MultiPoint": "WKB_MULTIPOINT",
    "QgsWkbTypes.LineString": "WKB_LINESTRING",
    "QgsWkbTypes.MultiLineString": "WKB_MULTILINESTRING",
    "QgsWkbTypes.Polygon": "WKB_POLYGON",
    "QgsWkbTypes.MultiPolygon": "WKB_MULTIPOLYGON",
    "QgsWkbTypes.GeometryCollection": "WKB_GEOMETRYCOLLECTION",
    "QgsWkbTypes.NoGeometry": "WKB_NOGEOMETRY",
    "QgsWkbTypes.Unknown": "WKB_UNKNOWN",
    "QgsMapLayerType.VectorLayer": "LAYER_VECTOR",
    "QgsMapLayerType.RasterLayer": "LAYER_RASTER",
    "QgsMapLayer.VectorLayer": "LAYER_VECTOR",
    "QgsMapLayer.RasterLayer": "LAYER_RASTER",
    "QgsMapLayerProxyModel.PointLayer": "LAYER_FILTER_POINT",
    "QgsMapLayerProxyModel.LineLayer": "LAYER_FILTER_LINE",
    "QgsMapLayerProxyModel.PolygonLayer": "LAYER_FILTER_POLYGON",
    "QgsProcessing.TypeVector": "SOURCE_VECTOR_ANY",
    "QgsProcessing.TypeVectorAnyGeometry": "SOURCE_VECTOR_ANY_GEOMETRY",
    "QgsProcessing.TypeVectorPoint": "SOURCE_VECTOR_POINT",
    "QgsProcessing.TypeVectorLine": "SOURCE_VECTOR_LINE",
    "QgsProcessing.TypeVectorPolygon": "SOURCE_VECTOR_POLYGON",
    "QgsProcessing.TypeMapLayer": "SOURCE_MAP_LAYER",
    "QgsProcessingParameterNumber.Integer": "NUMBER_INTEGER",
    "QgsProcessingParameterNumber.Double": "NUMBER_DOUBLE",
    "QgsProcessingParameterField.Any": "FIELD_ANY",
    "QgsProcessingParameterField.Numeric": "FIELD_NUMERIC",
    "QgsProcessingParameterField.String": "FIELD_STRING",
    "QgsProcessingParameterDefinition.FlagAdvanced": "PARAM_FLAG_ADVANCED",
    "QgsProcessingParameterDefinition.FlagHidden": "PARAM_FLAG_HIDDEN",
    "QgsProcessingAlgorithm.FlagNoThreading": "ALG_FLAG_NO_THREADING or no_threading_flags(self)",
    "QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks": (
        "SOURCE_FLAG_SKIP_GEOMETRY_VALIDITY_CHECKS"
    ),
    "QgsFeatureRequest.GeometryNoCheck": "GEOMETRY_NO_CHECK",
    "QgsFeatureRequest.NoGeometry": "REQUEST_NO_GEOMETRY",
    "QgsUnitTypes.LayoutMillimeters": "LAYOUT_UNIT_MM",
    "QgsUnitTypes.LayoutPoints": "LAYOUT_UNIT_POINTS",
    "QgsUnitTypes.RenderMillimeters": "RENDER_UNIT_MM",
    "QgsUnitTypes.RenderPoints": "RENDER_UNIT_POINTS",
    "QgsUnitTypes.DistanceMeters": "DISTANCE_METERS",
    "QgsUnitTypes.DistanceKilometers": "DISTANCE_KILOMETERS",
    "QgsLayoutItemPicture.FormatSVG": "PICTURE_FORMAT_SVG",
    "QgsLayoutItemPicture.FormatRaster": "PICTURE_FORMAT_RASTER",
    "QgsLegendStyle.Title": "LEGEND_TITLE",
    "QgsLegendStyle.Group": "LEGEND_GROUP",
    "QgsLegendStyle.Subgroup": "LEGEND_SUBGROUP",
    "QgsLegendStyle.SymbolLabel": "LEGEND_SYMBOL_LABEL",
    "QgsRenderContext.TextFormatAlwaysText": "TEXT_RENDER_ALWAYS_TEXT",
    "QgsRenderContext.TextFormatAlwaysOutlines": "TEXT_RENDER_ALWAYS_OUTLINES",
    "QgsLayoutItemPage.Landscape": "page_orientation(True)",
    "QgsLayoutItemPage.Portrait": "page_orientation(False)",
}

# QGIS methods deprecated by 3.44 (they warn there and go in QGIS 4) -> compat replacement.
DEPRECATED_METHODS = {
    "setMinimal": "cget_plugin.compat.null_rectangle()",
    "parameterAsFields": "cget_plugin.compat.parameter_as_strings(self, parameters, name, context)",
    "saveStyleToDatabase": "cget_plugin.compat.save_style_to_database(layer, name, description)",
    "attribution": "cget_plugin.compat.layer_attribution(layer)",
    "writeAsVectorFormat": "QgsVectorFileWriter.writeAsVectorFormatV3",
    "writeAsVectorFormatV2": "QgsVectorFileWriter.writeAsVectorFormatV3",
}

SUPPRESS = "# qt6: ok"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    col: int
    level: str
    code: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        fix = f" -> {self.fix}" if self.fix else ""
        return f"{self.path}:{self.line}:{self.col}: {self.level} {self.code} {self.message}{fix}"


# --- introspection ------------------------------------------------------------------------


class Introspector:
    """Resolves imported names to the real objects of the installed qgis.PyQt / qgis.core."""

    def __init__(self):
        self.available = True
        self._modules: Dict[str, object] = {}

    def module(self, name: str):
        if name not in self._modules:
            try:
                self._modules[name] = importlib.import_module(name)
            except Exception:  # not importable here: skip the checks needing it
                self._modules[name] = None
                if name.startswith(QT_MODULE_PREFIX):
                    self.available = False
        return self._modules[name]


def is_enum_type(obj) -> bool:
    if not isinstance(obj, type):
        return False
    if issubclass(obj, enum.Enum):
        return True
    # PyQt 5 (sip) enums: classes whose metaclass is sip.enumtype
    return type(obj).__name__ in ("enumtype", "EnumType") and issubclass(obj, int)


def is_enum_member(obj) -> bool:
    return not isinstance(obj, type) and not callable(obj) and is_enum_type(type(obj))


def enum_holder_name(cls, member) -> Optional[str]:
    """Name under which ``cls`` (or a base) exposes the enum type of ``member``."""
    enum_type = type(member)
    for name in dir(cls):
        if name.startswith("_"):
            continue
        try:
            if getattr(cls, name) is enum_type:
                return name
        except Exception:  # odd descriptors
            continue
    return None


# --- the checker --------------------------------------------------------------------------


class Checker(ast.NodeVisitor):
    def __init__(self, path: str, source: str, introspector: Introspector):
        self.path = path
        self.lines = source.splitlines()
        self.intro = introspector
        self.problems: List[Problem] = []
        # local name -> ("module", module_name) or ("attr", module_name, attribute)
        self.names: Dict[str, Tuple[str, ...]] = {}
        self._qvariant_lines = set()

    # helpers
    def _suppressed(self, line: int) -> bool:
        return 0 < line <= len(self.lines) and SUPPRESS in self.lines[line - 1]

    def add(self, node, level, code, message, fix=""):
        line = getattr(node, "lineno", 0)
        if self._suppressed(line):
            return
        self.problems.append(
            Problem(self.path, line, getattr(node, "col_offset", 0) + 1, level, code, message, fix)
        )

    def _origin(self, node) -> Optional[Tuple[str, object]]:
        """(module name, object) for a Name / Attribute chain rooted at an imported name."""
        if isinstance(node, ast.Name):
            entry = self.names.get(node.id)
            if entry is None:
                return None
            module = self.intro.module(entry[1])
            if module is None:
                return None
            if entry[0] == "module":
                return entry[1], module
            obj = getattr(module, entry[2], None)
            return (entry[1], obj) if obj is not None else None
        if isinstance(node, ast.Attribute):
            parent = self._origin(node.value)
            if parent is None:
                return None
            obj = getattr(parent[1], node.attr, None)
            return (parent[0], obj) if obj is not None else None
        return None

    # imports
    def visit_Import(self, node):
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top in FORBIDDEN_IMPORTS:
                self.add(
                    node, ERROR, "Q6001", f"direct import of {alias.name}",
                    "import from qgis.PyQt (e.g. from qgis.PyQt import sip)",
                )  # fmt: skip
            last = alias.name.split(".")[-1]
            if last in REMOVED_MODULES:
                self.add(node, ERROR, "Q6004", f"import of {alias.name}", REMOVED_MODULES[last])
            if alias.name.startswith(QT_MODULE_PREFIX) or alias.name in QGIS_MODULES:
                self.names[alias.asname or alias.name] = ("module", alias.name)

    def visit_ImportFrom(self, node):
        module = node.module or ""
        top = module.split(".")[0]
        if node.level == 0 and top in FORBIDDEN_IMPORTS:
            self.add(
                node, ERROR, "Q6001", f"direct import from {module}",
                f"from {module.replace(top, 'qgis.PyQt', 1)} import ...",
            )  # fmt: skip
        for alias in node.names:
            full = f"{module}.{alias.name}" if module else alias.name
            if alias.name in REMOVED_MODULES or module.split(".")[-1] in REMOVED_MODULES:
                key = alias.name if alias.name in REMOVED_MODULES else module.split(".")[-1]
                self.add(node, ERROR, "Q6004", f"import of {full}", REMOVED_MODULES[key])
            if alias.name in REMOVED_NAMES:
                self.add(
                    node, ERROR, "Q6004", f"{alias.name} is removed in Qt 6",
                    REMOVED_NAMES[alias.name],
                )  # fmt: skip
            if alias.name == "QVariant":
                self._qvariant(node)
            local = alias.asname or alias.name
            if node.level == 0 and (module == QT_MODULE_PREFIX):
                self.names[local] = ("module", f"{module}.{alias.name}")
            elif node.level == 0 and (
                module.startswith(QT_MODULE_PREFIX + ".") or module in QGIS_MODULES
            ):
                self.names[local] = ("attr", module, alias.name)
        self.generic_visit(node)

    # names and attributes
    def _qvariant(self, node):
        line = getattr(node, "lineno", 0)
        if line in self._qvariant_lines:
            return
        self._qvariant_lines.add(line)
        self.add(
            node, WARNING, "Q6101", "QVariant used",
            "QMetaType.Type for types, qgis.core.NULL for nulls, compat.make_field for fields",
        )  # fmt: skip

    def visit_Name(self, node):
        if node.id == "QVariant" and node.id in self.names:
            self._qvariant(node)
        elif node.id in REMOVED_NAMES and node.id in self.names:
            pass  # reported at the import
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        if node.name in RENAMED_METHODS:
            self.add(
                node, ERROR, "Q6002", f"method named {node.name}",
                f"name it {RENAMED_METHODS[node.name]}",
            )  # fmt: skip
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_Subscript(self, node):
        # signal overload selection by Python type: comboBox.activated[str]
        if (
            isinstance(node.value, ast.Attribute)
            and isinstance(node.slice, ast.Name)
            and node.slice.id in ("str", "int", "bool")
            and node.value.attr[:1].islower()
            and node.value.attr
            in ("activated", "highlighted", "currentIndexChanged", "valueChanged")
        ):
            self.add(
                node, ERROR, "Q6004", f"signal overload {node.value.attr}[{node.slice.id}]",
                "connect the plain signal (textActivated / currentTextChanged for text)",
            )  # fmt: skip
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        replacement_call = (  # layer.serverProperties().attribution() is the new API
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Attribute)
            and func.value.func.attr == "serverProperties"
        )
        if (
            isinstance(func, ast.Attribute)
            and func.attr in DEPRECATED_METHODS
            and not replacement_call
        ):
            self.add(
                node, WARNING, "Q6103", f"{func.attr}() is deprecated in QGIS 3.44",
                DEPRECATED_METHODS[func.attr],
            )  # fmt: skip
        if isinstance(func, ast.Attribute):
            if func.attr == "width" and isinstance(func.value, ast.Call):
                inner = func.value.func
                inner_name = (
                    inner.attr if isinstance(inner, ast.Attribute) else getattr(inner, "id", "")
                )
                if inner_name in ("fontMetrics", "QFontMetrics", "QFontMetricsF"):
                    self.add(
                        node, ERROR, "Q6004", "QFontMetrics.width() is removed in Qt 6",
                        "horizontalAdvance()",
                    )  # fmt: skip
            if func.attr == "desktop" and not node.args:
                origin = self._origin(func.value)
                if origin is not None or (
                    isinstance(func.value, ast.Name) and func.value.id.endswith("Application")
                ):
                    self.add(
                        node, ERROR, "Q6004", "QApplication.desktop() is removed in Qt 6",
                        REMOVED_NAMES["QDesktopWidget"],
                    )  # fmt: skip
        self.generic_visit(node)

    def visit_Attribute(self, node):
        if node.attr in RENAMED_METHODS:
            self.add(node, ERROR, "Q6002", f".{node.attr}", f".{RENAMED_METHODS[node.attr]}()")
        if isinstance(node.value, ast.Name):
            key = (node.value.id, node.attr)
            if key in RENAMED_ENUMS and node.value.id in self.names:
                self.add(
                    node, ERROR, "Q6005", f"{node.value.id}.{node.attr} is renamed in Qt 6",
                    RENAMED_ENUMS[key],
                )  # fmt: skip
                self.generic_visit(node)
                return
        self._check_enum(node)
        self.generic_visit(node)

    def _check_enum(self, node):
        origin = self._origin(node.value)
        if origin is None:
            return
        module, holder = origin
        if not isinstance(holder, type):
            return  # a module, a function, a constant
        if holder.__name__ == "QVariant":
            return  # Q6101 (a warning: QgsField needs QVariant.Type before QGIS 3.38)
        hint = COMPAT_HINTS.get(f"{holder.__name__}.{node.attr}")
        if is_enum_type(holder):
            # Already scoped (Enum.Member); QgsMapLayerType is an enum that moved to Qgis.
            if hint and not module.startswith(QT_MODULE_PREFIX):
                self.add(
                    node, WARNING, "Q6102", f"deprecated QGIS enum {ast.unparse(node)}",
                    f"cget_plugin.compat.{hint}",
                )  # fmt: skip
            return
        try:
            member = getattr(holder, node.attr)
        except Exception:  # unknown attribute: not our business
            return
        if not is_enum_member(member):
            return
        enum_name = enum_holder_name(holder, member) or type(member).__qualname__
        written = f"{ast.unparse(node.value)}.{node.attr}"
        scoped = f"{ast.unparse(node.value)}.{enum_name}.{node.attr}"
        if "." in enum_name:  # enum defined elsewhere (e.g. Qgis.WkbType)
            scoped = f"{enum_name}.{node.attr}"
        if module.startswith(QT_MODULE_PREFIX):
            self.add(node, ERROR, "Q6003", f"unscoped Qt enum {written}", scoped)
        else:
            fix = f"cget_plugin.compat.{hint}" if hint else scoped
            self.add(node, WARNING, "Q6102", f"unscoped QGIS enum {written}", fix)


def check_source(
    source: str, path: str = "<string>", introspector: Optional[Introspector] = None
) -> List[Problem]:
    """Problems found in one file's source (sorted by position)."""
    introspector = introspector or Introspector()
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        return [Problem(path, exc.lineno or 0, exc.offset or 0, ERROR, "Q6000", f"syntax: {exc}")]
    checker = Checker(path, source, introspector)
    checker.visit(tree)
    return sorted(set(checker.problems), key=lambda p: (p.line, p.col, p.code))


def python_files(paths: Iterable[str]) -> List[Path]:
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*.py")) if "__pycache__" not in p.parts)
        elif path.suffix == ".py":
            files.append(path)
    return files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="files or folders to check")
    parser.add_argument("--strict", action="store_true", help="warnings also fail")
    parser.add_argument(
        "--warnings", action="store_true", help="list every warning (default: a count per file)"
    )
    args = parser.parse_args(argv)

    introspector = Introspector()
    files = python_files(args.paths)
    problems: List[Problem] = []
    for path in files:
        problems.extend(check_source(path.read_text(encoding="utf-8"), str(path), introspector))
    errors = [p for p in problems if p.level == ERROR]
    warnings = [p for p in problems if p.level == WARNING]
    for problem in errors:
        print(problem)
    if args.warnings or args.strict:
        for problem in warnings:
            print(problem)
    elif warnings:
        per_file: Dict[str, int] = {}
        for problem in warnings:
            per_file[problem.path] = per_file.get(problem.path, 0) + 1
        for path, count in per_file.items():
            print(f"{path}: {count} warnings (QVariant, unscoped QGIS enums, deprecated calls)")
        print("  details and fixes: python scripts/check_qt6.py --warnings PATH")
    if not introspector.available:
        print("note: qgis.PyQt is not importable here: enum checks (Q6003, Q6102) skipped")
    summary = f"Qt6 checks: {len(files)} files, {len(errors)} problems"
    if warnings:
        summary += f" ({len(warnings)} warnings)"
    print(summary)
    failed = errors or (args.strict and warnings)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
