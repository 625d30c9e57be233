"""Safe ZIP handling and content checks of the cache (no network, no QGIS application)."""

import io
import zipfile

import pytest

from cget_plugin.core import cache as cache_mod
from cget_plugin.core.errors import DataError


def _zip(members, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return buf.getvalue()


def test_safe_extract_writes_members(tmp_path):
    src = tmp_path / "ok.zip"
    src.write_bytes(_zip({"GEOJSON/a.geojson": b'{"type":"FeatureCollection","features":[]}'}))
    out = cache_mod.safe_extract(src, tmp_path / "out")
    assert [p.name for p in out] == ["a.geojson"]
    assert (tmp_path / "out" / "GEOJSON" / "a.geojson").read_bytes().startswith(b"{")
    assert cache_mod.zip_members(src) == ["GEOJSON/a.geojson"]
    assert cache_mod.vsizip_path(src, "GEOJSON/a.geojson").startswith("/vsizip/")
    with pytest.raises(DataError, match="not in the archive"):
        cache_mod.vsizip_path(src, "other.geojson")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt", "C:evil"])
def test_path_traversal_is_refused(tmp_path, name):
    src = tmp_path / "evil.zip"
    src.write_bytes(_zip({name: b"x"}))
    with pytest.raises(DataError, match="unsafe"):
        cache_mod.safe_extract(src, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()


def test_zip_bomb_is_refused(tmp_path):
    src = tmp_path / "bomb.zip"
    src.write_bytes(_zip({"big.geojson": b"0" * (30 * 1024**2)}))  # ratio ~1000
    with pytest.raises(DataError, match="zip bomb"):
        cache_mod.zip_members(src)
    with pytest.raises(DataError):
        cache_mod.safe_extract(src, tmp_path / "out")


def test_actual_size_limit_applies_even_if_declared_sizes_are_small(tmp_path):
    src = tmp_path / "many.zip"
    src.write_bytes(_zip({"a.csv": b"x" * 5000, "b.csv": b"y" * 5000}, zipfile.ZIP_STORED))
    with pytest.raises(DataError, match="size limit"):
        cache_mod.safe_extract(src, tmp_path / "out", max_total=6000)


def test_corrupt_and_truncated_zip(tmp_path):
    good = _zip({"a.geojson": b'{"type":"FeatureCollection","features":[]}' * 50})
    with pytest.raises(DataError, match="corrupt"):
        cache_mod.check_zip_bytes(good[: len(good) // 2], "http://x/qp.zip")
    damaged = bytearray(good)
    damaged[60:80] = b"\x00" * 20  # inside the compressed data: CRC check fails
    with pytest.raises(DataError, match="corrupt"):
        cache_mod.check_zip_bytes(bytes(damaged), "http://x/qp.zip")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(good[:100])
    with pytest.raises(DataError, match="corrupt"):
        cache_mod.zip_members(broken)


def test_content_sniffing_and_validation():
    assert cache_mod.sniff_kind(b"") == "empty"
    assert cache_mod.sniff_kind(b"  <!DOCTYPE html><html>") == "html"
    assert cache_mod.sniff_kind(b'\xef\xbb\xbf{"a": 1}') == "json"
    assert cache_mod.sniff_kind(_zip({"a": b"b"})) == "zip"
    assert cache_mod.sniff_kind(b"SQLite format 3\x00...") == "gpkg"
    assert cache_mod.sniff_kind(b"code;nom\n1;a") == "text"
    with pytest.raises(DataError, match="HTML page"):
        cache_mod.validate_content(b"<html><body>Maintenance</body></html>", "data", "http://x")
    with pytest.raises(DataError, match="empty"):
        cache_mod.validate_content(b"", "csv", "http://x")
    with pytest.raises(DataError, match="truncated or invalid JSON"):
        cache_mod.validate_content(b'{"type": "FeatureCollection", "features": [', "geojson", "u")
    cache_mod.validate_content(b'{"type": "FeatureCollection", "features": []}', "geojson", "u")
    cache_mod.validate_content(_zip({"a.geojson": b"{}"}), "geojson", "u")  # ZIP holding GeoJSON
    cache_mod.validate_content(b"code;nom\n01053;Bourg", "data", "u")
