"""The production static files storage gives the manifest's URLs, worked out once per name."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from school.storage import StaticFilesStorage


@pytest.fixture
def location(tmp_path):
    manifest = {"version": "1.1", "hash": "0", "paths": {"css/site.css": "css/site.0123abcd.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return tmp_path


def test_urls_are_the_hashed_names_of_the_manifest(location, settings):
    settings.DEBUG = False
    storage = StaticFilesStorage(location=location, base_url="/static/")
    plain = CompressedManifestStaticFilesStorage(location=location, base_url="/static/")
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert storage.url("css/site.css") == plain.url("css/site.css")


def test_a_name_missing_from_the_manifest_is_still_an_error_every_time(location, settings):
    settings.DEBUG = False
    storage = StaticFilesStorage(location=location, base_url="/static/")
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
