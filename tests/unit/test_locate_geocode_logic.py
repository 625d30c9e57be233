"""Pure logic of the geocoder client and zone location (no QGIS application, no network)."""

import csv
import io

import pytest

from cget_plugin.core import geocode as geo
from cget_plugin.core.definitions import official_crs_area
from cget_plugin.core.locate import sig_ville_link


@pytest.mark.parametrize(
    "code, commune",
    [
        ("75107", "75056"),
        ("75120", "75056"),
        ("13201", "13055"),
        ("13216", "13055"),
        ("69381", "69123"),
        ("69389", "69123"),
        ("75056", "75056"),
        ("13217", "13217"),  # not an arrondissement (13 has 16)
        ("69380", "69380"),
        ("1053", "01053"),  # lost leading zero
        ("2A004", "2A004"),
        ("", ""),
    ],
)
def test_commune_of_maps_arrondissements_and_pads(code, commune):
    assert geo.commune_of(code) == commune


@pytest.mark.parametrize(
    "raw, clean", [('="01053"', "01053"), ("1053", "01053"), ("93066.0", "93066"), (None, "")]
)
def test_codes_cleaned_before_sending(raw, clean):
    assert geo._clean_code(raw) == clean


def _answer(rows, header=None, delimiter=","):
    header = header or ["cget_row", "adresse_1", *geo.RESULT_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def _row(i, address, lat="", lon="", label="", score="", status="ok", citycode=""):
    return [str(i), address, lat, lon, label, score, "housenumber", "", "", "", citycode, status]


def test_parse_batch_statuses_and_threshold():
    body = _answer(
        [
            _row(
                0,
                "20 av de segur paris",
                "48.850374",
                "2.309563",
                "20 Avenue de Ségur 75007 Paris",
                "0.97",
                citycode="75107",
            ),
            _row(1, "rue du moulin", "45.1", "4.8", "Rue du Moulin 69000", "0.31"),
            _row(2, "zzz", status="not-found"),
            _row(3, "boom", status="error"),
        ]
    )
    got = geo.parse_batch_csv(body, min_score=0.5)
    assert got[0].status == geo.STATUS_OK
    assert got[0].commune == "75056" and got[0].citycode == "75107"
    assert got[0].lat == pytest.approx(48.850374) and got[0].lon == pytest.approx(2.309563)
    assert got[1].status == geo.STATUS_LOW_SCORE and got[1].score == pytest.approx(0.31)
    assert got[2].status == geo.STATUS_NOT_FOUND and got[2].lon is None
    assert got[3].status == geo.STATUS_ERROR


def test_parse_batch_semicolon_and_bom():
    body = b"\xef\xbb\xbf" + _answer([_row(0, "a", "48.1", "2.1", "A", "0,8")], delimiter=";")
    got = geo.parse_batch_csv(body, min_score=0.5)
    assert got[0].status == geo.STATUS_OK and got[0].score == pytest.approx(0.8)


def test_parse_batch_truncated_rows_are_left_out():
    body = _answer([_row(i, f"a{i}", "48.1", "2.1", "A", "0.9") for i in range(5)])
    cut = body[: body.rindex(b"\n", 0, len(body) - 1) + 20]  # into the last row
    got = geo.parse_batch_csv(cut, min_score=0.5)
    assert sorted(got) == [0, 1, 2, 3]


def test_parse_batch_rejects_foreign_csv():
    from cget_plugin.core.errors import DataError

    with pytest.raises(DataError):
        geo.parse_batch_csv(b"a,b\n1,2\n", 0.5)
    with pytest.raises(DataError):
        geo.parse_batch_csv(b"", 0.5)


def test_chunks_respect_row_and_byte_limits():
    rows = [[f"{i} rue de la République"] for i in range(25)]
    chunks = list(geo._chunks(list(range(25)), rows, None, None, 1, 10, 10**6))
    assert [len(c) for c in chunks] == [10, 10, 5]
    chunks = list(geo._chunks(list(range(25)), rows, None, None, 1, 1000, 120))
    header = [geo._header(1, None, None)]
    for chunk in chunks:
        csv_rows = header + [geo._row_values(i, rows, None, None, 1) for i in chunk]
        assert len(geo._encode_rows(csv_rows)) <= 120
    assert sum(len(c) for c in chunks) == 25 and len(chunks) > 3
    # the service limits cannot be exceeded whatever the caller asks
    assert geo.BATCH_MAX_ROWS == 200_000 and geo.BATCH_MAX_BYTES == 50 * 1024 * 1024


def test_build_request_repeats_columns_and_names_citycode():
    rows = [["12", "rue Jean Jaurès"], ["3", "place de la Mairie"]]
    body, ctype = geo.build_request([0, 1], rows, ["93066", "1053"], None, 2)
    text = body.decode("utf-8")
    assert ctype.startswith("multipart/form-data; boundary=")
    assert text.count('name="columns"') == 2
    assert 'name="citycode"\r\n\r\ncget_citycode' in text
    assert text.count('name="result_columns"') == len(geo.RESULT_COLUMNS)
    assert "0,12,rue Jean Jaurès,93066" in text and "1,3,place de la Mairie,01053" in text


def test_regions_and_links():
    assert official_crs_area(2.35, 48.85)[1] == "EPSG:2154"
    assert official_crs_area(9.15, 42.0)[1] == "EPSG:2154"  # Corse
    assert official_crs_area(55.45, -21.0)[1] == "EPSG:2975"  # La Réunion
    assert official_crs_area(-61.0, 14.6)[1] == "EPSG:5490"  # Martinique
    assert official_crs_area(-52.3, 4.9)[1] == "EPSG:2972"  # Guyane
    assert official_crs_area(45.2, -12.8)[1] == "EPSG:4471"  # Mayotte
    assert official_crs_area(-149.5, -17.5)[1] == "EPSG:32706"  # elsewhere: UTM
    assert sig_ville_link("QN09301M") == "https://sig.ville.gouv.fr/territoire/QN09301M"
    assert sig_ville_link("QP075001") == "https://sig.ville.gouv.fr/territoire/QP075001"
    assert sig_ville_link("93066") is None and sig_ville_link(None) is None
