"""Production's static files storage (config.staticfiles): WhiteNoise's hashed addresses,
each worked out once per process."""

import json
from unittest import mock

from whitenoise.storage import CompressedManifestStaticFilesStorage

from config.staticfiles import MOST_ADDRESSES, StaticFilesStorage


def storage(tmp_path) -> StaticFilesStorage:
    manifest = {"paths": {"css/veche.css": "css/veche.0123abcd.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_an_address_is_the_hashed_one_and_is_worked_out_once(tmp_path):
    kept = storage(tmp_path)
    parent = CompressedManifestStaticFilesStorage.url
    with mock.patch.object(
        CompressedManifestStaticFilesStorage, "url", autospec=True, side_effect=parent
    ) as asked:
        first = kept.url("css/veche.css")
        second = kept.url("css/veche.css")
    assert first == second == "/static/css/veche.0123abcd.css"
    assert asked.call_count == 1


def test_a_file_missing_from_the_manifest_still_fails_every_time(tmp_path):
    """Nothing is kept for a name the manifest does not hold: the error is Django's, each
    time, as without the storage's memory."""
    kept = storage(tmp_path)
    for _ in range(2):
        try:
            kept.url("js/missing.js")
        except ValueError as error:
            assert "js/missing.js" in str(error)
        else:
            raise AssertionError("a missing file must fail")


def test_the_kept_addresses_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr("config.staticfiles.MOST_ADDRESSES", 1)
    kept = storage(tmp_path)
    with mock.patch.object(CompressedManifestStaticFilesStorage, "url", return_value="/x"):
        for number in range(5):
            kept.url(f"file{number}.css")
    assert len(kept._addresses) == 1 < MOST_ADDRESSES
