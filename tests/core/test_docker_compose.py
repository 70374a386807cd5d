"""docker-compose.yml runs the same processes the tests exercise (no Docker engine here)."""

from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())


def test_has_web_worker_beat_database_and_redis():
    assert set(COMPOSE["services"]) == {"web", "worker", "beat", "db", "redis"}


def test_app_services_wait_for_healthy_database_and_redis():
    for name in ["web", "worker", "beat"]:
        depends = COMPOSE["services"][name]["depends_on"]
        assert depends == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
    assert "healthcheck" in COMPOSE["services"]["db"]
    assert "healthcheck" in COMPOSE["services"]["redis"]


def test_commands_match_what_ci_runs():
    services = COMPOSE["services"]
    assert "gunicorn config.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")
    assert (
        "celery -A config worker" in (Path(__file__).resolve().parents[2] / ".ci/run").read_text()
    )


def test_production_mode_with_named_volumes_and_redis_append_only():
    assert COMPOSE["services"]["web"]["environment"]["DEBUG"] == "false"
    assert set(COMPOSE["volumes"]) == {"pgdata", "redisdata"}
    assert "--appendonly yes" in COMPOSE["services"]["redis"]["command"]
