"""A small chart of the coverage curve of ``cget:siting``: share of the population within the
threshold against the number of new sites (k = 0: the existing services alone)."""

from __future__ import annotations

from typing import List, Tuple

from qgis.PyQt.QtCore import QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QPainter, QPen
from qgis.PyQt.QtWidgets import QSizePolicy, QWidget

from ..core.i18n import tr

LINE = QColor(230, 80, 0)
AXIS = QColor(90, 90, 90)
GRID = QColor(220, 220, 220)


def _ticks(lo: float, hi: float) -> List[float]:
    span = max(hi - lo, 1e-9)
    step = next(s for s in (0.5, 1, 2, 5, 10, 20, 25) if span / s <= 6)
    start = step * int(lo // step)
    values = []
    v = start
    while v <= hi + 1e-9:
        if v >= lo - 1e-9:
            values.append(round(v, 2))
        v += step
    return values


class CoverageChart(QWidget):
    """Draws ``[(k, share %)]`` with QPainter (no chart module needed in 3.22 or 3.44)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.points: List[Tuple[int, float]] = []
        self.threshold = 0.0
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_curve(self, points, threshold):
        self.points = [(int(k), float(s)) for k, s in points]
        self.threshold = float(threshold)
        self.update()

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(255, 255, 255))
        if not self.points:
            painter.setPen(AXIS)
            painter.drawText(
                QRectF(self.rect()),
                Qt.AlignmentFlag.AlignCenter,
                tr("The coverage curve appears here after the computation."),
            )
            return
        fm = painter.fontMetrics()
        left, right = fm.horizontalAdvance("100 %") + 12, 14
        top, bottom = fm.height() + 8, 2 * fm.height() + 10
        plot = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        shares = [s for _k, s in self.points]
        lo = max(0.0, min(shares) - 2.0)
        hi = min(100.0, max(shares) + 1.0)
        if hi - lo < 2:
            lo = max(0.0, hi - 2.0)
        k_max = max(1, self.points[-1][0])

        def at(k, share):
            x = plot.left() + plot.width() * k / k_max
            y = plot.bottom() - plot.height() * (share - lo) / (hi - lo)
            return QPointF(x, y)

        painter.setPen(QPen(GRID, 1))
        for v in _ticks(lo, hi):
            y = at(0, v).y()
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(AXIS)
            label = f"{v:g} %"
            painter.drawText(
                QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            painter.setPen(QPen(GRID, 1))
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        for k, _s in self.points:
            x = at(k, lo).x()
            painter.drawText(
                QRectF(x - 20, plot.bottom() + 2, 40, fm.height()),
                Qt.AlignmentFlag.AlignHCenter,
                str(k),
            )
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + fm.height() + 4, plot.width(), fm.height()),
            Qt.AlignmentFlag.AlignHCenter,
            tr("New sites"),
        )
        painter.drawText(
            QRectF(plot.left(), 2, plot.width(), fm.height()),
            Qt.AlignmentFlag.AlignLeft,
            tr("Population within {t:g} min").format(t=self.threshold),
        )
        painter.setPen(QPen(LINE, 2))
        pts = [at(k, s) for k, s in self.points]
        for a, b in zip(pts[:-1], pts[1:]):
            painter.drawLine(a, b)
        painter.setBrush(LINE)
        for p in pts:
            painter.drawEllipse(p, 3.5, 3.5)
        painter.end()
