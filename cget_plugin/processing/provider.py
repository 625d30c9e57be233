"""Processing provider ``cget``."""

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..__about__ import __version__
from ..core.i18n import tr
from ..core.paths import resource


def algorithm_classes():
    """Every algorithm of the provider. Each area adds its own import line here."""
    classes = []
    # -- Géographie prioritaire (issue 3)
    from .load_geography import LoadGeographyAlgorithm

    classes.append(LoadGeographyAlgorithm)
    from .locate_addresses import LocateAddressesAlgorithm

    classes.append(LocateAddressesAlgorithm)
    # -- Accessibilité (issue 4)
    from .access_time import AccessTimeAlgorithm
    from .isochrones import IsochronesAlgorithm

    classes += [IsochronesAlgorithm, AccessTimeAlgorithm]
    # -- Où implanter ? (issue 12)
    from .siting import SitingAlgorithm

    classes.append(SitingAlgorithm)
    # -- Cartes préfecture (issue 5)
    from .export_map import ExportMapAlgorithm

    classes.append(ExportMapAlgorithm)
    return classes


class CgetProvider(QgsProcessingProvider):
    def id(self):
        return "cget"

    def name(self):
        return tr("CGET – Territorial equality")

    def longName(self):
        return tr("CGET – Territorial equality ({version})").format(version=__version__)

    def icon(self):
        return QIcon(str(resource("icons", "cget.svg")))

    def versionInfo(self):
        return __version__

    def loadAlgorithms(self):
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
