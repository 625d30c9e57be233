"""Which ``.qpt`` a map starts from and how it is read.

The user's template (parameter, project variable ``cget_layout_template``, settings) or the
shipped one of ``resources/layouts`` for the paper and orientation. The item ids are the
contract between templates and code (docs/map-conventions.md §2): a template lacking one, or
holding one of the wrong type, is refused with the ids to fix.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Tuple

from qgis.core import (
    QgsExpressionContextUtils,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsPrintLayout,
    QgsReadWriteContext,
)
from qgis.PyQt.QtXml import QDomDocument

from ..definitions import A4_LONG_SIDE_MM, PROJECT_TEMPLATE_VARIABLE
from ..errors import InputError
from ..i18n import tr
from ..paths import resource
from .settings import setting
from .spec import REQUIRED_IDS, MapSpec, template_file_name

# Item ids whose type the builder relies on.
ITEM_TYPES = (
    ("carte", QgsLayoutItemMap),
    ("legende", QgsLayoutItemLegend),
    ("echelle", QgsLayoutItemScaleBar),
    ("logo_etat", QgsLayoutItemPicture),
    ("titre", QgsLayoutItemLabel),
    ("sources", QgsLayoutItemLabel),
    ("realisation", QgsLayoutItemLabel),
)
#: A user's A4 page may carry a bleed (up to 5 mm a side) and still use the A4 type scale.
PAGE_SIZE_TOLERANCE_MM = 10.0


def template_path(paper: str, orientation: str, override: str = "", project=None) -> Path:
    """The user's template (parameter, project variable, settings) or the shipped one."""
    candidates = [override]
    if project is not None:
        scope = QgsExpressionContextUtils.projectScope(project)
        candidates.append(scope.variable(PROJECT_TEMPLATE_VARIABLE) or "")
    candidates.append(setting("template", ""))
    for candidate in candidates:
        if candidate:
            path = Path(str(candidate)).expanduser()
            if not path.is_file():
                raise InputError(
                    tr(
                        "The layout template {path} does not exist. Choose an existing .qpt "
                        "file or clear the template setting to use the plugin's templates."
                    ).format(path=path)
                )
            return path
    return resource("layouts", template_file_name(paper, orientation))


def is_shipped(path: Path) -> bool:
    """A template of the plugin (its typography is ours to set)."""
    return Path(path).parent == resource("layouts")


def _read_document(path: Path) -> QDomDocument:
    doc = QDomDocument()
    try:
        content = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            tr("Cannot read the layout template {path}: {error}").format(path=path, error=exc)
        ) from None
    if not doc.setContent(content)[0]:
        raise InputError(
            tr("The layout template {path} is not a valid .qpt (XML) file.").format(path=path)
        )
    return doc


def load_template(path: Path, project) -> QgsPrintLayout:
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    _items, ok = layout.loadFromTemplate(_read_document(path), QgsReadWriteContext())
    if not ok:
        raise InputError(tr("QGIS could not load the layout template {path}.").format(path=path))
    missing = [item_id for item_id in REQUIRED_IDS if layout.itemById(item_id) is None]
    if missing:
        raise InputError(
            tr(
                "The layout template {path} lacks the item id(s): {ids}. Give these ids to the "
                "matching items in the layout editor (Item properties > Id), or use the "
                "plugin's templates."
            ).format(path=path, ids=", ".join(missing))
        )
    wrong = [
        item_id for item_id, cls in ITEM_TYPES if not isinstance(layout.itemById(item_id), cls)
    ]
    if wrong:
        raise InputError(
            tr("In the layout template {path}, these items have the wrong type: {ids}.").format(
                path=path, ids=", ".join(wrong)
            )
        )
    return layout


def page_format(layout) -> Tuple[str, str]:
    """(paper, orientation) of a user's template, read from its first page."""
    size = layout.pageCollection().page(0).pageSize()
    orientation = "landscape" if size.width() > size.height() else "portrait"
    long_side = max(size.width(), size.height())
    paper = "A3" if long_side > A4_LONG_SIDE_MM + PAGE_SIZE_TOLERANCE_MM else "A4"
    return paper, orientation


def default_name(spec: MapSpec) -> str:
    title = re.sub(r"\[%.*?%\]", "", spec.title or "").strip()
    return tr("Prefecture map – {title}").format(title=title) if title else tr("Prefecture map")


def unique_layout_name(project, name: str) -> str:
    manager = project.layoutManager()
    if manager.layoutByName(name) is None:
        return name
    for i in range(2, 1000):
        candidate = f"{name} ({i})"
        if manager.layoutByName(candidate) is None:
            return candidate
    return f"{name} ({os.getpid()})"  # pragma: no cover
