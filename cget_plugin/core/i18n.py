"""Translation helpers usable from core code (no widgets).

Every user-visible string goes through ``tr()`` so that pylupdate5 extracts it into
``i18n/cget_fr.ts``. Use this module-level :func:`tr` everywhere, in classes too: ``self.tr``
takes its context from the run-time class, which breaks for subclasses.
"""

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

# pylupdate5 files module-level tr() calls under "@default"; use that context at run time.
CONTEXT = "@default"


def tr(message: str) -> str:
    """Translate ``message`` in the plugin's shared context."""
    return QCoreApplication.translate(CONTEXT, message)


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
