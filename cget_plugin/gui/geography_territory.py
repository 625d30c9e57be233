"""Territory chooser: a line edit that finds a département, EPCI, commune or région by name or
code (offline reference of ``core.territory``) and remembers the last choice."""

from __future__ import annotations

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QStringListModel, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QCompleter, QLineEdit

from ..core.definitions import SETTINGS_TERRITORY
from ..core.i18n import tr


def match_code(match) -> str:
    """Code as typed into a TERRITORY parameter (régions prefixed, as core.territory reads)."""
    return f"reg:{match.code}" if match.kind == "region" else match.code


def reference_vintage() -> str:
    try:
        from ..core import territory

        return str(territory.load_reference().vintage)
    except Exception:  # reference missing: the tooltip just says so
        return tr("reference not available")


def territory_codes(text: str, chosen=None) -> str:
    """The TERRITORY text of an entry: a completer label ("Lozère (48) – département", as
    remembered) becomes its code; anything else is kept as typed ("" for all of France)."""
    text = (text or "").strip()
    if chosen and text in chosen:
        return chosen[text]
    if " – " in text and "(" in text:  # a remembered completer label
        inner = text.rsplit(" – ", 1)[0]
        if inner.endswith(")") and "(" in inner:
            code = inner[inner.rindex("(") + 1 : -1]
            kind = text.rsplit(" – ", 1)[1]
            return f"reg:{code}" if kind.startswith(("région", "region")) else code
    return text


def chosen_territory() -> str:
    """The TERRITORY text of the territory last chosen on the geography toolbar ("" if none)."""
    return territory_codes(QgsSettings().value(SETTINGS_TERRITORY, "", type=str))


class TerritoryEdit(QLineEdit):
    """Type a name or code; the completer proposes territories; :meth:`codes` gives the
    TERRITORY text and :meth:`label` the readable name ("Seine-Saint-Denis (93)")."""

    territoryChanged = pyqtSignal(str)  # noqa: N815 - Qt signal naming

    def __init__(self, parent=None, remember=True):
        super().__init__(parent)
        self.setObjectName("CgetTerritoryEdit")
        self._remember = remember
        self._chosen = {}  # completer label -> code text
        self._model = QStringListModel(self)
        self.completer_ = QCompleter(self._model, self)
        # The search (accents, codes, names) is done by core.territory: show its list as is.
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        # The default overload of QCompleter.activated carries the text (PyQt5 and PyQt6).
        self.completer_.activated.connect(self._on_activated)
        self.textEdited.connect(self._update_completions)
        self.editingFinished.connect(self._store)
        self.setPlaceholderText(tr("Territory (name or code)"))
        self.setToolTip(
            tr(
                "Territory to load: a département, EPCI, commune or région, by name or code "
                "(93, 2A, 971, 93066, 200054781, reg:11), several separated by commas. Empty: "
                "all of France.\nReference: {vintage}"
            ).format(vintage=reference_vintage())
        )
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(220)
        self.setMaximumWidth(340)
        if remember:
            last = QgsSettings().value(SETTINGS_TERRITORY, "", type=str)
            if last:
                self.setText(last)

    def matches(self, text: str, limit: int = 20):
        from ..core import territory

        text = (text or "").strip()
        if len(text) < 2:
            return []
        try:
            return territory.search(text, limit=limit)
        except Exception:  # no reference: no completion, typing still works
            return []

    def _update_completions(self, text: str):
        found = self.matches(text)
        labels = [m.label for m in found]
        for m in found:
            self._chosen[m.label] = match_code(m)
        self._model.setStringList(labels)
        if labels:
            self.completer_.complete()

    def _on_activated(self, label: str):
        self.setText(label)
        self._store()

    def _store(self):
        if self._remember:
            QgsSettings().setValue(SETTINGS_TERRITORY, self.text().strip())
        self.territoryChanged.emit(self.codes())

    def codes(self) -> str:
        """The TERRITORY parameter text for the current entry ("" for all of France)."""
        return territory_codes(self.text(), self._chosen)

    def set_codes(self, text: str):
        self.setText(text)
        self._store()

    def label(self) -> str:
        """Readable name of the territory, for layer-tree groups and messages."""
        from ..core import territory

        codes = self.codes()
        if not codes:
            return tr("France (all)")
        return territory.parse_territory(codes).label()
