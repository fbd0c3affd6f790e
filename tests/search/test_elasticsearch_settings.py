"""The Elasticsearch engine's settings from the environment (production)."""

from __future__ import annotations

import json

from tests.cms.test_settings import PRODUCTION_ENVIRONMENT
from tests.processes import manage

PRINT_SEARCH_SETTINGS = (
    "import json; from django.conf import settings; "
    "print(json.dumps(settings.GOFUN_SEARCH))"
)


def search_settings(**environment: str) -> dict:
    result = manage(
        "shell",
        "-c",
        PRINT_SEARCH_SETTINGS,
        environment={**PRODUCTION_ENVIRONMENT, **environment},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_replicas_of_the_index_come_from_the_environment_for_a_cluster():
    settings = search_settings(
        GOFUN_ELASTICSEARCH_URL="https://es.intra.example.go.jp:9200",
        GOFUN_ELASTICSEARCH_REPLICAS="1",
    )

    assert settings["BACKEND"].endswith("ElasticsearchSearchEngine")
    assert settings["REPLICAS"] == 1


def test_one_node_keeps_no_replica_by_default():
    settings = search_settings(
        GOFUN_ELASTICSEARCH_URL="https://es.intra.example.go.jp:9200"
    )

    assert settings["REPLICAS"] == 0
