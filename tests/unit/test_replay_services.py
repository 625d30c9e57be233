"""The catalogue's ``services`` block: one alternate catalogue (``CGET_CATALOG``) points the
isochrone backends and the geocoder to a mirror or to the replay server."""

import json

import pytest

from cget_plugin.core import catalog as catalog_mod
from cget_plugin.core.paths import resource


def _write_catalog(tmp_path, services):
    data = json.loads(resource("catalog", "catalog.json").read_text(encoding="utf-8"))
    if services is not None:
        data["services"] = services
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_service_url_reads_the_catalogue_in_use(tmp_path, monkeypatch):
    path = _write_catalog(tmp_path, {"ign_isochrone": " http://127.0.0.1:9/navigation/isochrone "})
    monkeypatch.setenv("CGET_CATALOG", str(path))
    assert (
        catalog_mod.service_url("ign_isochrone", "x") == "http://127.0.0.1:9/navigation/isochrone"
    )
    assert catalog_mod.service_url("geocoder", "https://default") == "https://default"
    assert catalog_mod.load_catalog().service_url("ign_isochrone") == (
        "http://127.0.0.1:9/navigation/isochrone"
    )


def test_service_url_follows_file_changes_and_bad_files(tmp_path, monkeypatch):
    path = _write_catalog(tmp_path, {"geocoder": "http://127.0.0.1:9/geocodage"})
    monkeypatch.setenv("CGET_CATALOG", str(path))
    assert catalog_mod.service_url("geocoder") == "http://127.0.0.1:9/geocodage"
    path.write_text("{not json", encoding="utf-8")
    import os

    os.utime(path, ns=(1, 1))  # a different mtime even on coarse file systems
    assert catalog_mod.service_url("geocoder", "dflt") == "dflt"
    monkeypatch.setenv("CGET_CATALOG", str(tmp_path / "missing.json"))
    assert catalog_mod.service_url("geocoder", "dflt") == "dflt"


def test_bundled_catalogue_has_no_service_override(monkeypatch):
    monkeypatch.delenv("CGET_CATALOG", raising=False)
    for name in catalog_mod.SERVICE_NAMES:
        assert catalog_mod.service_url(name, "builtin") == "builtin"


def test_invalid_services_block_is_reported(tmp_path):
    data = json.loads(resource("catalog", "catalog.json").read_text(encoding="utf-8"))
    data["services"] = {"ign_isochrone": ""}
    assert any("services" in p for p in catalog_mod.validate_catalog_data(data))
    data["services"] = ["http://x"]
    assert any("services" in p for p in catalog_mod.validate_catalog_data(data))


@pytest.mark.parametrize(
    "backend_id, key",
    [("ign", "ign_isochrone"), ("ors", "ors_isochrone"), ("valhalla", "valhalla")],
)
def test_backend_endpoint_resolution_order(tmp_path, monkeypatch, backend_id, key):
    from qgis.core import QgsSettings

    from cget_plugin.core.routing.backends import get_backend

    monkeypatch.setenv("CGET_CACHE_DIR", str(tmp_path / "cache"))
    setting = f"cget/routing/{backend_id}/url"
    settings = QgsSettings()
    saved = settings.value(setting, None)
    settings.remove(setting)
    try:
        monkeypatch.delenv("CGET_CATALOG", raising=False)
        builtin = get_backend(backend_id).url
        assert builtin.startswith("https://")  # the service's own default

        path = _write_catalog(tmp_path, {key: "http://127.0.0.1:9/from-catalogue"})
        monkeypatch.setenv("CGET_CATALOG", str(path))
        assert get_backend(backend_id).url == "http://127.0.0.1:9/from-catalogue"

        settings.setValue(setting, "http://127.0.0.1:9/from-settings")
        assert get_backend(backend_id).url == "http://127.0.0.1:9/from-settings"

        over = get_backend(backend_id, {"url": "http://127.0.0.1:9/override"})
        assert over.url == "http://127.0.0.1:9/override"
    finally:
        settings.remove(setting)
        if saved not in (None, ""):
            settings.setValue(setting, saved)
