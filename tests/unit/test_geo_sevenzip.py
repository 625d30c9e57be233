"""core/sevenzip.py reads the .7z that 7-Zip itself writes (fixtures made by 7zz, see
tests/data/geo/sevenzip/make.sh): every method 7-Zip uses for data, solid and non-solid
blocks, compressed headers, empty files and folders; damaged archives are refused."""

import importlib.util
from pathlib import Path

import pytest

from cget_plugin.core.errors import DataError
from cget_plugin.core.sevenzip import SevenZip

HERE = Path(__file__).resolve().parents[1] / "data" / "geo" / "sevenzip"


def _content():
    spec = importlib.util.spec_from_file_location("content", HERE / "content.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.files()


@pytest.mark.parametrize("archive", ["lzma2", "lzma", "bzip2", "deflate", "copy", "non_solid"])
def test_every_member_comes_out_identical(archive, tmp_path):
    expected = _content()
    seven = SevenZip(HERE / f"{archive}.7z")
    names = seven.names()
    wanted = set(expected) - ({"vide.txt"} if archive == "non_solid" else set())
    assert set(names) == wanted
    for name in names:
        out = seven.extract(name, tmp_path / "out")
        assert out.read_bytes() == expected[name], name


def test_truncated_or_damaged_archives_are_refused(tmp_path):
    data = (HERE / "lzma2.7z").read_bytes()
    truncated = tmp_path / "truncated.7z"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="7z"):
        SevenZip(truncated).extract("carreaux.csv", tmp_path / "out")
    damaged = bytearray(data)
    damaged[len(damaged) // 3] ^= 0xFF
    bad = tmp_path / "damaged.7z"
    bad.write_bytes(bytes(damaged))
    with pytest.raises(DataError, match="7z"):
        seven = SevenZip(bad)
        for name in seven.names():
            seven.extract(name, tmp_path / "out")
    not7z = tmp_path / "not.7z"
    not7z.write_bytes(b"PK\x03\x04 a zip, not a 7z")
    with pytest.raises(DataError, match="not a 7z"):
        SevenZip(not7z)


def test_the_replay_writer_is_read_too(tmp_path):
    """The replay server's own minimal writer (tests/replay/filosofi.py) gives archives this
    reader opens: what the nested-.7z end-to-end test relies on."""
    from tests.replay.filosofi import seven_zip

    content = _content()["carreaux.csv"] * 50
    archive = tmp_path / "replay.7z"
    archive.write_bytes(seven_zip("carreaux_200m_met.gpkg", content))
    seven = SevenZip(archive)
    assert seven.names() == ["carreaux_200m_met.gpkg"]
    assert seven.extract("carreaux_200m_met.gpkg", tmp_path / "x").read_bytes() == content
