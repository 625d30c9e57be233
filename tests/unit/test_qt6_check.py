"""scripts/check_qt6.py flags PyQt 5-only constructs and leaves Qt 6-ready code alone."""

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "check_qt6.py"


@pytest.fixture(scope="module")
def qt6():
    spec = importlib.util.spec_from_file_location("check_qt6", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_qt6"] = module
    spec.loader.exec_module(module)
    return module


def codes(qt6, source, level=None):
    problems = qt6.check_source(textwrap.dedent(source), "snippet.py")
    return [(p.code, p.line) for p in problems if level is None or p.level == level]


def fixes(qt6, source):
    return [p.fix for p in qt6.check_source(textwrap.dedent(source), "snippet.py")]


@pytest.mark.parametrize(
    "source",
    [
        "from PyQt5.QtCore import Qt\n",
        "from PyQt6.QtWidgets import QDialog\n",
        "import PyQt5.QtGui\n",
        "import sip\n",
        "from PySide6 import QtCore\n",
    ],
)
def test_direct_qt_imports_are_errors(qt6, source):
    assert ("Q6001", 1) in codes(qt6, source, "ERROR")


def test_qgis_pyqt_imports_are_fine(qt6):
    source = """
        from qgis.PyQt import sip
        from qgis.PyQt.QtCore import Qt, QTimer
        from qgis.PyQt.QtWidgets import QDialog
        from qgis.PyQt import QtCore
    """
    assert codes(qt6, source) == []


def test_exec_underscore_calls_and_definitions(qt6):
    source = """
        from qgis.PyQt.QtWidgets import QDialog
        dialog = QDialog()
        dialog.exec_()
        class Runner:
            def exec_(self):
                return 0
        dialog.exec()
    """
    assert codes(qt6, source, "ERROR") == [("Q6002", 4), ("Q6002", 6)]


@pytest.mark.parametrize(
    "expression,fix",
    [
        ("Qt.AlignLeft", "Qt.AlignmentFlag.AlignLeft"),
        ("QMessageBox.Yes", "QMessageBox.StandardButton.Yes"),
        ("QSizePolicy.Expanding", "QSizePolicy.Policy.Expanding"),
        ("QDialogButtonBox.Ok", "QDialogButtonBox.StandardButton.Ok"),
        ("QFont.Bold", "QFont.Weight.Bold"),
        ("QPainter.Antialiasing", "QPainter.RenderHint.Antialiasing"),
        (
            "QNetworkRequest.HttpStatusCodeAttribute",
            "QNetworkRequest.Attribute.HttpStatusCodeAttribute",
        ),
        ("QNetworkReply.NoError", "QNetworkReply.NetworkError.NoError"),
        ("QDialog.Accepted", "QDialog.DialogCode.Accepted"),
        ("QtCore.Qt.UserRole", "QtCore.Qt.ItemDataRole.UserRole"),
    ],
)
def test_unscoped_qt_enums_are_errors_with_the_scoped_fix(qt6, expression, fix):
    source = f"""
        from qgis.PyQt import QtCore
        from qgis.PyQt.QtCore import Qt
        from qgis.PyQt.QtGui import QFont, QPainter
        from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest
        from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QSizePolicy
        value = {expression}
    """
    assert codes(qt6, source, "ERROR") == [("Q6003", 7)]
    assert fixes(qt6, source) == [fix]


def test_scoped_enums_types_methods_and_constants_are_not_flagged(qt6):
    source = """
        from qgis.PyQt.QtCore import Qt, QTimer, QCoreApplication
        from qgis.PyQt.QtWidgets import QMessageBox, QSizePolicy
        from qgis.PyQt.QtGui import QFont
        a = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        b = QMessageBox.StandardButton.Yes
        c = QSizePolicy.Policy.Expanding
        d = Qt.AlignmentFlag            # the enum type itself
        QTimer.singleShot(0, print)     # a static method
        e = QMessageBox.question        # a method
        f = QCoreApplication.translate
        g = QFont.Weight.Bold
    """
    assert codes(qt6, source) == []


def test_names_not_imported_from_qt_are_ignored(qt6):
    source = """
        class Qt:
            AlignLeft = 1
        value = Qt.AlignLeft
        other = something.Qt.AlignLeft
    """
    assert codes(qt6, source) == []


def test_removed_classes_and_functions(qt6):
    source = """
        from qgis.PyQt.QtCore import QRegExp
        from qgis.PyQt.QtWidgets import QApplication, QDesktopWidget, qApp, QComboBox
        from qgis.PyQt.QtGui import QFontMetrics
        import resources_rc
        screen = QApplication.desktop()
        width = QFontMetrics(font).width("Préfecture")
        combo = QComboBox()
        combo.activated[str].connect(print)
    """
    found = codes(qt6, source, "ERROR")
    assert ("Q6004", 2) in found  # QRegExp
    assert found.count(("Q6004", 3)) == 2  # QDesktopWidget, qApp
    assert ("Q6004", 5) in found  # resources_rc
    assert ("Q6004", 6) in found  # desktop()
    assert ("Q6004", 7) in found  # QFontMetrics.width
    assert ("Q6004", 9) in found  # activated[str]


def test_renamed_enums(qt6):
    source = """
        from qgis.PyQt.QtCore import Qt
        from qgis.PyQt.QtGui import QPainter
        button = Qt.MidButton
        hint = QPainter.HighQualityAntialiasing
    """
    assert codes(qt6, source, "ERROR") == [("Q6005", 4), ("Q6005", 5)]
    assert fixes(qt6, source) == ["Qt.MouseButton.MiddleButton", "QPainter.RenderHint.Antialiasing"]


def test_qvariant_and_qgis_enums_are_warnings(qt6):
    source = """
        from qgis.core import QgsField, QgsProcessing, QgsWkbTypes
        from qgis.PyQt.QtCore import QVariant
        field = QgsField("code", QVariant.String)
        kind = QgsWkbTypes.PolygonGeometry
        source = QgsProcessing.TypeVectorPoint
    """
    problems = qt6.check_source(textwrap.dedent(source), "snippet.py")
    assert {p.level for p in problems} == {"WARNING"}
    assert [(p.code, p.line) for p in problems] == [
        ("Q6101", 3),
        ("Q6101", 4),
        ("Q6102", 5),
        ("Q6102", 6),
    ]
    assert problems[2].fix == "cget_plugin.compat.GEOMETRY_POLYGON"
    assert problems[3].fix == "cget_plugin.compat.SOURCE_VECTOR_POINT"


def test_deprecated_qgis_methods_are_warnings(qt6):
    source = """
        extent.setMinimal()
        names = self.parameterAsFields(parameters, "FIELDS", context)
        extent.setNull()
        text = layer.serverProperties().attribution()
    """
    problems = qt6.check_source(textwrap.dedent(source), "snippet.py")
    assert [(p.level, p.code, p.line) for p in problems] == [
        ("WARNING", "Q6103", 2),
        ("WARNING", "Q6103", 3),
    ]
    assert problems[0].fix == "cget_plugin.compat.null_rectangle()"


def test_suppression_comment(qt6):
    source = """
        from qgis.PyQt.QtCore import Qt
        a = Qt.AlignLeft  # qt6: ok (deliberate, tested)
        b = Qt.AlignRight
    """
    assert codes(qt6, source) == [("Q6003", 4)]


def run_cli(*args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )


def test_cli_reports_file_line_and_fails_on_errors(tmp_path):
    bad = tmp_path / "pkg" / "bad.py"
    bad.parent.mkdir()
    bad.write_text("from qgis.PyQt.QtCore import Qt\n\nalign = Qt.AlignCenter\n", encoding="utf-8")
    (tmp_path / "pkg" / "good.py").write_text(
        "from qgis.PyQt.QtCore import Qt\nalign = Qt.AlignmentFlag.AlignCenter\n", encoding="utf-8"
    )
    out = run_cli(str(tmp_path / "pkg"))
    assert out.returncode == 1
    assert f"{bad}:3:9: ERROR Q6003 unscoped Qt enum Qt.AlignCenter" in out.stdout
    assert "-> Qt.AlignmentFlag.AlignCenter" in out.stdout
    assert "Qt6 checks: 2 files, 1 problems" in out.stdout


def test_cli_passes_clean_code_and_strict_fails_on_warnings(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(
        "from qgis.core import QgsWkbTypes\nkind = QgsWkbTypes.PolygonGeometry\n", encoding="utf-8"
    )
    out = run_cli(str(good))
    assert out.returncode == 0, out.stdout
    assert "Qt6 checks: 1 files, 0 problems (1 warnings)" in out.stdout
    assert run_cli("--strict", str(good)).returncode == 1


def test_the_plugin_has_no_qt6_error_in_the_foundation_modules():
    """Modules owned by the foundation and the compat layer stay Qt 6 clean."""
    paths = [
        REPO / "cget_plugin" / name
        for name in ("compat.py", "plugin.py", "core/net.py", "processing/base.py")
    ]
    out = run_cli(*[str(p) for p in paths if p.exists()])
    assert out.returncode == 0, out.stdout
