"""What the locate tests (tests/qgis/test_locate_*.py) share: the addresses the batch geocoder
replay knows (test fixtures, not real geocoding results) and that replay served on the
loopback ``httpserver``. Importing ``geocoder_fixture`` into a test module gives its tests the
``geocoder`` fixture.
"""

import pytest

from tests.replay.answers import truncated
from tests.replay.geocoder import BatchGeocoder, KnownAddresses
from tests.replay.httpserver import serve

BATCH_PATH = "/geocodage/search/csv"

KNOWN = {
    "20 avenue de Ségur Paris": dict(
        label="20 Avenue de Ségur 75007 Paris",
        score=0.97,
        lon=2.309563,
        lat=48.850374,
        citycode="75107",
        postcode="75007",
        city="Paris",
    ),
    "12 rue de la République Lyon": dict(
        label="12 Rue de la République 69002 Lyon",
        score=0.42,
        lon=4.8357,
        lat=45.7640,
        citycode="69382",
        city="Lyon",
    ),
    "1 place de la Mairie 93200 Saint-Denis": dict(
        label="1 Place de la Mairie 93200 Saint-Denis",
        score=0.91,
        lon=2.3574,
        lat=48.9362,
        citycode="93066",
        city="Saint-Denis",
    ),
}


def serve_batch_geocoder(httpserver, known=None, truncate_after=None, ordered=False):
    """A :class:`~tests.replay.geocoder.BatchGeocoder` of ``known`` (default :data:`KNOWN`) answering
    ``/geocodage/search/csv`` (``ordered``: after the ordered requests expected before it);
    its ``url`` is the geocoder's base URL."""
    replay = BatchGeocoder(KnownAddresses(KNOWN if known is None else known))
    reply = replay if truncate_after is None else truncated(replay, truncate_after)
    serve(httpserver, BATCH_PATH, reply, method="POST", ordered=ordered)
    replay.url = httpserver.url_for("/geocodage")
    return replay


@pytest.fixture(name="geocoder")
def geocoder_fixture(httpserver):
    """The batch geocoder replay of :data:`KNOWN`; ``geocoder.calls`` lists the requests."""
    return serve_batch_geocoder(httpserver)
