"""The provider registers under the id ``cget`` with the algorithms of the DESIGN contract."""

from qgis.core import QgsApplication


def test_provider_registered(cget_provider):
    provider = QgsApplication.processingRegistry().providerById("cget")
    assert provider is cget_provider
    assert provider.name()


def test_every_algorithm_has_group_and_help(cget_provider):
    for alg in cget_provider.algorithms():
        assert alg.id().startswith("cget:")
        assert alg.displayName()
        assert alg.group() and alg.groupId() in ("geography", "accessibility", "layouts")
        assert alg.shortHelpString(), alg.id()
