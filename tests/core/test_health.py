"""/healthz tells a load balancer whether this app server can do its work."""

import os

import pytest
from flask import request

from lotse_lms.core import jobs


def test_healthy_server_answers_ok_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "checks": {"database": "ok", "data_dir": "ok", "queue": "ok"},
    }


@pytest.mark.config(QUEUE_URL="redis://127.0.0.1:6379/7")
def test_healthy_with_redis_as_queue(client):
    assert client.get("/healthz").get_json()["checks"]["queue"] == "ok"


@pytest.mark.config(QUEUE_URL="redis://127.0.0.1:1/7")
def test_an_unreachable_queue_makes_the_server_unhealthy(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "data_dir": "ok", "queue": "fail"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_data_folder_makes_the_server_unhealthy(app, client):
    os.chmod(app.config["DATA_DIR"], 0o500)
    try:
        response = client.get("/healthz")
    finally:
        os.chmod(app.config["DATA_DIR"], 0o700)
    assert response.status_code == 503 and response.get_json()["checks"]["data_dir"] == "fail"


def test_a_missing_data_folder_makes_the_server_unhealthy(app, client, tmp_path):
    app.config["DATA_DIR"] = str(tmp_path / "gone")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["checks"]["data_dir"] == "fail"
    assert jobs.reachable(app)


@pytest.mark.config(PROXY_COUNT=1)
def test_behind_one_proxy_the_client_address_comes_from_x_forwarded_for(app):
    seen = {}

    @app.get("/_test/remote")
    def remote():
        """Echo the client address the app sees."""
        seen["addr"] = request.remote_addr
        return "ok"

    app.test_client().get("/_test/remote", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen["addr"] == "203.0.113.9"
