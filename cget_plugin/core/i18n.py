"""Translation helpers usable from core code (no widgets).

Every user-visible string goes through ``tr()`` so that pylupdate5 extracts it into
``i18n/cget_fr.ts``. Use this module-level :func:`tr` everywhere, in classes too: ``self.tr``
takes its context from the run-time class, which breaks for subclasses.
"""

import threading

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

# pylupdate5 files module-level tr() calls under "@default"; use that context at run time.
CONTEXT = "@default"
#: The language of every text printed on a map (docs/map-conventions.md §1.1).
MAP_LANGUAGE = "fr"

_map_translator = None
_map_translator_lock = threading.Lock()


def tr(message: str, on_map: bool = False) -> str:
    """Translate ``message`` in the plugin's shared context.

    ``on_map``: the text ends up printed on a map (legend classes, band labels, sources, notes).
    A map of the French State is written in French whatever the language of the QGIS interface
    (loi n° 94-665), so such a text is translated to French, not to the interface language."""
    if on_map:
        translated = _map_translator_loaded().translate(CONTEXT, message)
        return translated or message
    return QCoreApplication.translate(CONTEXT, message)


def _map_translator_loaded() -> QTranslator:
    """The French translator, loaded once (not installed: the interface keeps its language)."""
    global _map_translator
    with _map_translator_lock:
        if _map_translator is None:
            from .paths import i18n_dir

            translator = QTranslator()
            translator.load(str(i18n_dir() / f"cget_{MAP_LANGUAGE}.qm"))
            _map_translator = translator
        return _map_translator


def user_language() -> str:
    """Two-letter language of the QGIS interface ("fr", "en"...)."""
    settings = QSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        locale = settings.value("locale/userLocale", "") or ""
    else:
        locale = settings.value("locale/userLocale", "") or QLocale.system().name()
    return (locale or "en")[:2].lower()


def install_translator(qm_folder) -> "QTranslator | None":
    """Load ``cget_<lang>.qm`` from ``qm_folder`` and install it. Returns the translator."""
    from pathlib import Path

    lang = user_language()
    qm = Path(qm_folder) / f"cget_{lang}.qm"
    if not qm.is_file():
        return None
    translator = QTranslator()
    if not translator.load(str(qm)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator
