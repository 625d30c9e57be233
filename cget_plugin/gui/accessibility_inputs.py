"""The local engine's inputs offered from the "Accessibilité" toolbar (issue 11).

When the local engine is the one in use and the project has no road network layer, "Temps
d'accès…" and "Population couverte…" (and the isochrone map tool) first offer to load the
territory chosen on the geography toolbar: its BD TOPO road network and, when the project has
no population layer, its INSEE Filosofi 200 m grid (the commune populations where INSEE
publishes no grid). The offer says what each load will download before a long download (sizes
from :mod:`core.geographies.estimate`, asked in the background); accepted, ``cget:loadgeography``
runs for each through :class:`~.geography_loader.GeographyLoader` (progress, Cancel, styled
layers in a group named after the territory), then the caller gets the loaded layers to
pre-fill its dialog. Refused, the caller goes on as before.
"""

from __future__ import annotations

from typing import Callable, Optional

from qgis.core import Qgis
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QObject, Qt
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from ..core.i18n import tr
from .geography_loader import GeographyLoader
from .geography_territory import chosen_territory
from .tasks import TaskRunner

OFFER_NAME = "CgetEngineInputsOffer"
TERRITORY_EDIT_NAME = "CgetTerritoryEdit"
NETWORK_PROFILE = "bdtopo"
MB = 1024**2


class InputsOffer(QDialog):
    """A short French question with two answers: ``load`` (accept) or ``skip`` (reject)."""

    def __init__(self, parent, load_text: str, skip_text: str):
        super().__init__(parent)
        self.setObjectName(OFFER_NAME)
        self.setWindowTitle(tr("Local engine: road network and population"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        layout = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setObjectName("text")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setMinimumWidth(460)
        layout.addWidget(self.label)
        self.buttons = QDialogButtonBox()
        self.load_button = QPushButton(load_text)
        self.load_button.setObjectName("load")
        self.skip_button = QPushButton(skip_text)
        self.skip_button.setObjectName("skip")
        self.buttons.addButton(self.load_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.skip_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def set_text(self, html: str) -> None:
        self.label.setText(html)
        self.adjustSize()


class EngineInputsOffer(QObject):
    """Offers the loads, runs them, hands the layers over (see module docstring)."""

    def __init__(self, iface, title: str, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.runner = TaskRunner(iface, title, self)
        self.loader = GeographyLoader(iface, self, title=title)
        self.offer: Optional[InputsOffer] = None
        self.for_dialog = True
        self.inputs = None  # core.geographies.estimate.EngineInputs once sized

    def start(
        self,
        need_population: bool,
        on_loaded: Callable,
        on_skipped: Callable,
        for_dialog: bool = True,
    ):
        """Show the offer (or, with no territory chosen, say so); ``on_loaded(layers)`` gets
        {"network": layer, "population": (layer, field)} after the loads, ``on_skipped()``
        is called when the user goes on without them. ``for_dialog``: the loads pre-fill a
        dialog (else the map tool's panel). Returns the offer dialog."""
        self.close()
        self.for_dialog = for_dialog
        codes = chosen_territory_codes(self.iface)
        if not codes:
            return self._ask_territory(on_skipped)
        load = tr("Load and open") if for_dialog else tr("Load")
        self.offer = InputsOffer(self._parent_widget(), load, self._skip_text())
        self.offer.set_text(_html(tr("Sizing the downloads for {territory}…"), codes))
        self.offer.load_button.setEnabled(False)
        self.offer.accepted.connect(lambda: self._load(codes, on_loaded))
        self.offer.rejected.connect(on_skipped)
        self.offer.show()
        self.runner.run_function(
            tr("Sizing the road network and population of {territory}").format(territory=codes),
            lambda feedback: _estimate(codes, need_population, feedback),
            on_success=lambda run: None,
            on_done=self._sized,
        )
        return self.offer

    def _sized(self, run) -> None:
        offer = self.offer
        if not _alive(offer):
            return
        if not run.ok:
            offer.set_text(_html(run.error or run.message or tr("Cancelled."), ""))
            return
        self.inputs = run.value
        offer.set_text(offer_text(self.inputs, self.for_dialog))
        too_large = self.inputs.network is not None and self.inputs.network.too_large
        offer.load_button.setEnabled(not too_large)
        offer.load_button.setFocus()

    def _ask_territory(self, on_skipped: Callable):
        self.offer = InputsOffer(self._parent_widget(), tr("Choose a territory"), self._skip_text())
        self.offer.set_text(
            tr(
                "<p>The local engine needs a road network, and the project has none.</p>"
                "<p>The plugin can load the road network (IGN BD TOPO) and the population grid "
                "(INSEE Filosofi) of your territory, but <b>no territory is chosen</b>. Type a "
                "département, an EPCI or a commune in the <b>Territory</b> field of the "
                "“Priority geography” toolbar, then click this button again.</p>"
            )
        )
        self.offer.accepted.connect(lambda: focus_territory_chooser(self.iface))
        self.offer.rejected.connect(on_skipped)
        self.offer.show()
        return self.offer

    # -- loading ------------------------------------------------------------------------------
    def _load(self, codes: str, on_loaded: Callable) -> None:
        inputs = self.inputs
        steps = [("network", inputs.network), ("population", inputs.population)]
        steps = [(role, estimate) for role, estimate in steps if estimate is not None]
        self._next(codes, inputs.label, steps, {}, on_loaded)

    def _next(self, codes, label, steps, loaded: dict, on_loaded: Callable) -> None:
        if not steps:
            on_loaded(loaded)
            return
        (role, estimate), rest = steps[0], steps[1:]

        def done(run):
            layer = run.layers.get("OUTPUT") if run.ok else None
            if layer is None:
                return  # failed or cancelled: said in the message bar, nothing opened
            loaded[role] = layer if role == "network" else (layer, estimate.field)
            self._next(codes, label, rest, loaded, on_loaded)

        self.loader.load(estimate.geography_id, codes, label, title=estimate.title, on_done=done)

    # -- helpers ------------------------------------------------------------------------------
    def _skip_text(self) -> str:
        return tr("Open without loading") if self.for_dialog else tr("Not now")

    def _parent_widget(self):
        try:
            return self.iface.mainWindow()
        except AttributeError:  # pragma: no cover - test interfaces
            return None

    def running(self) -> bool:
        return bool(self.runner.runs or self.loader.running())

    def close(self) -> None:
        """Close the offer without answering it (closing a dialog would reject it: the
        Processing dialog would open on a second click or on unload)."""
        if _alive(self.offer):
            self.offer.blockSignals(True)
            self.offer.close()
        self.offer = None

    def cancel_all(self) -> None:
        self.runner.cancel_all()
        self.loader.runner.cancel_all()
        self.close()


def _estimate(codes: str, need_population: bool, feedback):
    from ..core.geographies.estimate import engine_inputs

    return engine_inputs(codes, network=True, population=need_population, feedback=feedback)


def _alive(widget) -> bool:
    return widget is not None and not sip.isdeleted(widget)


def _territory_edit(iface):
    try:
        window = iface.mainWindow()
    except AttributeError:  # pragma: no cover - test interfaces
        return None
    if window is None:
        return None
    return window.findChild(QLineEdit, TERRITORY_EDIT_NAME)


def chosen_territory_codes(iface) -> str:
    """The territory of the geography toolbar (as shown), else the one last remembered."""
    edit = _territory_edit(iface)
    codes = edit.codes() if edit is not None else ""
    return codes or chosen_territory()


def focus_territory_chooser(iface) -> None:
    edit = _territory_edit(iface)
    if edit is not None:
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
        edit.selectAll()
        return
    iface.messageBar().pushMessage(
        "CGET",
        tr("Show the “Priority geography” toolbar (View > Toolbars) to choose a territory."),
        Qgis.MessageLevel.Info,
        8,
    )


# -- the offer's text ---------------------------------------------------------------------------


def _html(text: str, codes: str) -> str:
    return f"<p>{text.format(territory=codes) if codes else text}</p>"


def offer_text(inputs, for_dialog: bool = True) -> str:
    """The offer in French: what is missing, what each load will download."""
    parts = [
        "<p>"
        + tr(
            "The local engine needs a road network, and the project has none. Load for "
            "<b>{territory}</b>:"
        ).format(territory=inputs.label)
        + "</p><ul>"
    ]
    if inputs.network is not None:
        parts.append("<li>" + network_line(inputs.network) + "</li>")
    if inputs.population is not None:
        parts.append("<li>" + population_line(inputs) + "</li>")
    parts.append("</ul>")
    network = inputs.network
    if network is not None and network.too_large:
        parts.append(
            "<p><b>"
            + tr(
                "{n} road sections is over the limit of {limit} for one download: choose a "
                "smaller territory."
            ).format(n=_count(network.features), limit=_count(network.limit))
            + "</b></p>"
        )
    after = (
        tr("The layers are added to the project, then the dialog opens with them.")
        if for_dialog
        else tr("The network is added to the project and chosen in the panel.")
    )
    cache = tr("Downloads are kept in the cache: the next time is immediate.")
    parts.append(f"<p>{after} {cache}</p>")
    return "".join(parts)


def network_line(estimate) -> str:
    text = tr("the road network <b>{title}</b> around the territory (+{km} km)").format(
        title=estimate.title, km=_count(round(estimate.margin_m / 1000))
    )
    if estimate.cached:
        return text + tr(": {n} sections, already in the cache.").format(
            n=_count(estimate.features)
        )
    if estimate.features is not None:
        return text + tr(": {n} road sections to download from the IGN WFS.").format(
            n=_count(estimate.features)
        )
    return text + tr(": size unknown ({problem}).").format(problem=estimate.problem)


def population_line(inputs) -> str:
    estimate = inputs.population
    if inputs.no_grid:
        return tr(
            "INSEE publishes no population grid for {places}: the <b>commune populations</b> "
            "({title}, field {field}) instead."
        ).format(places=", ".join(inputs.no_grid), title=estimate.title, field=estimate.field)
    text = tr("the population grid <b>{title}</b>").format(title=estimate.title)
    if estimate.cached:
        return text + tr(": national file already in the cache.")
    if estimate.size_bytes:
        return text + tr(
            ": national file of {mb} MB to download once (then kept in the cache)."
        ).format(mb=_count(round(estimate.size_bytes / MB)))
    return text + tr(": size unknown ({problem}).").format(problem=estimate.problem or "?")


def _count(n) -> str:
    """A whole number with French thousands separators (narrow no-break space)."""
    return f"{int(n or 0):,}".replace(",", "\u202f")
