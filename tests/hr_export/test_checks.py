"""The system checks refuse LRS settings that could not work."""

import pytest

from hr_export.checks import lrs_settings_check


def ids(settings) -> list[str]:
    return [error.id for error in lrs_settings_check()]


def test_no_lrs_is_fine(settings):
    settings.GOFUN_LRS_URL = ""

    assert ids(settings) == []


def test_a_complete_lrs_configuration_is_fine(settings):
    settings.GOFUN_LRS_URL = "https://lrs.jinji.example.go.jp/xAPI/"
    settings.GOFUN_LRS_USERNAME = "gofun"
    settings.GOFUN_LRS_PASSWORD = "secret"

    assert ids(settings) == []


@pytest.mark.parametrize("url", ["lrs.example/xAPI", "ftp://lrs.example/", "https://"])
def test_a_url_that_is_not_an_http_endpoint_is_refused(settings, url):
    settings.GOFUN_LRS_URL = url

    assert "hr_export.E001" in ids(settings)


def test_half_a_pair_of_credentials_is_refused(settings):
    settings.GOFUN_LRS_URL = "https://lrs.example/xAPI/"
    settings.GOFUN_LRS_USERNAME = "gofun"
    settings.GOFUN_LRS_PASSWORD = ""

    assert ids(settings) == ["hr_export.E002"]


def test_a_batch_size_below_one_is_refused(settings):
    settings.GOFUN_LRS_URL = "https://lrs.example/xAPI/"
    settings.GOFUN_LRS_BATCH_SIZE = 0

    assert ids(settings) == ["hr_export.E003"]
