"""The provider registers under the id ``cget`` and holds exactly the algorithms of the
contract (docs/processing.md §3): none missing, none unlisted. An algorithm marked planned in the
page may be absent; test_processing_contract.py fails as soon as it exists while still marked."""

from qgis.core import QgsApplication

from tests.helpers.processing_doc import contract


def test_provider_registered(cget_provider):
    provider = QgsApplication.processingRegistry().providerById("cget")
    assert provider is cget_provider
    assert provider.name()


def test_provider_holds_exactly_the_contracted_algorithms(cget_provider):
    documented = contract()
    registered = {alg.id() for alg in cget_provider.algorithms()}
    required = {alg_id for alg_id, alg in documented.items() if not alg.planned}
    assert required, "docs/processing.md lists no algorithm"
    assert not required - registered, "contracted but not registered"
    assert not registered - set(documented), "registered but not in docs/processing.md"


def test_every_algorithm_has_group_and_help(cget_provider):
    algorithms = cget_provider.algorithms()
    assert algorithms
    for alg in algorithms:
        assert alg.id().startswith("cget:")
        assert alg.displayName()
        assert alg.group() and alg.groupId() in ("geography", "accessibility", "layouts")
        assert alg.shortHelpString(), alg.id()
