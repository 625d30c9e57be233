"""Parameters every algorithm declares the same way (docs/processing.md §2.1, §2.2).

Enums hold the contract's static string ids (what ``processing.run`` and ``qgis_process`` take
and what a ``.model3`` stores) and show French labels in the Processing dialog, the batch
dialog and the modeler. QGIS 3.22 to 3.44 draw an enum's combo box from its options only, so
the labels go into the parameter's metadata, ``widget_wrapper``: ``class`` names our wrapper
(``enum_widget.LabelledEnumWidgetWrapper``, imported by the Processing GUI when a dialog opens,
never by a script) and ``labels`` is handed to it. Everything in the metadata is a string:
``qgis_process help --json`` and the model files can write it.

Numbers say how many decimals their spin box shows (``widget_wrapper``/``decimals``, read by
QGIS's own numeric widget): metres as integers rather than ``500,000000``.
"""

from __future__ import annotations

from typing import Callable, Iterable, List, Optional, Sequence, Tuple, Union

from qgis.core import QgsProcessingParameterDefinition, QgsProcessingParameterEnum

from .. import compat

#: Dotted path of the wrapper class (the plugin folder's name is the package's name).
LABELLED_ENUM_WRAPPER = __name__.rsplit(".", 1)[0] + ".enum_widget.LabelledEnumWidgetWrapper"

Labels = Union[Callable[[str], str], Sequence[str]]


def _widget_metadata(param: QgsProcessingParameterDefinition, **entries) -> None:
    metadata = dict(param.metadata() or {})
    wrapper = dict(metadata.get("widget_wrapper") or {})
    wrapper.update(entries)
    metadata["widget_wrapper"] = wrapper
    param.setMetadata(metadata)


def enum_parameter(
    name: str,
    description: str,
    options: Iterable[str],
    default: Optional[str] = None,
    labels: Optional[Labels] = None,
    optional: bool = False,
) -> QgsProcessingParameterEnum:
    """An enum of static string ``options`` (ids), shown as ``labels`` in the dialogs: a
    function id -> label (``definitions.travel_mode_label``…) or one label per option."""
    ids = list(options)
    param = QgsProcessingParameterEnum(
        name, description, options=ids, defaultValue=default, optional=optional
    )
    param.setUsesStaticStrings(True)
    if labels is not None:
        shown = [labels(i) for i in ids] if callable(labels) else [str(s) for s in labels]
        if len(shown) != len(ids):
            raise ValueError(f"{name}: {len(ids)} options but {len(shown)} labels")
        _widget_metadata(param, **{"class": LABELLED_ENUM_WRAPPER, "labels": shown})
    return param


def enum_labels(param: QgsProcessingParameterDefinition) -> List[str]:
    """The labels an enum shows in the dialogs (its ids when it has none)."""
    shown = (param.metadata() or {}).get("widget_wrapper", {}).get("labels")
    return list(shown) if shown else list(param.options())


def set_decimals(param: QgsProcessingParameterDefinition, decimals: int):
    """Decimals shown by the spin box of a number parameter; the value scripts pass is not
    rounded (the dialog only shows it so)."""
    _widget_metadata(param, decimals=int(decimals))
    return param


def advanced(param: QgsProcessingParameterDefinition):
    param.setFlags(param.flags() | compat.PARAM_FLAG_ADVANCED)
    return param


def catalogue_choices(
    keep: Optional[Callable] = None, fallback: Sequence[str] = ()
) -> Tuple[List[str], List[str]]:
    """(ids, titles) of the catalogue's entries (those ``keep`` accepts), for a geography enum;
    ``fallback`` ids, shown as such, when the catalogue cannot be read (the run reports it)."""
    from ..core.catalog import load_catalog

    try:
        entries = [e for e in load_catalog().entries() if keep is None or keep(e)]
    except Exception:  # a broken alternate catalogue is reported at run time
        entries = []
    if not entries:
        return list(fallback), list(fallback)
    return [e.id for e in entries], [e.title for e in entries]
