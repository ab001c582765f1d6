"""Two gunicorn app servers behind Debian's nginx, sharing PostgreSQL, Redis and one data folder.

Runs the repository's own deploy files (deploy/gunicorn.conf.py, deploy/nginx/*.conf) on
loopback. Needs nginx (`make deploy-deps`) and runs in the PostgreSQL pass of the suite.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tests.shared_dir import SCORM_FIXTURES

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PG_URL = os.environ.get("LOTSE_TEST_DATABASE_URL")
REDIS_URL = "redis://127.0.0.1:6379/7"
PASSWORD = "richtig-geheim-123"
PACKAGE = SCORM_FIXTURES / "valid" / "RuntimeBasicCalls_SCORM12.zip"

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="the scale-out setup runs on PostgreSQL"),
    pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx missing: make deploy-deps"),
]


def _free_port():
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(check, what, seconds=60):
    """Poll ``check`` until it is true; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)  # polling other processes, bounded by the deadline
    pytest.fail(f"timed out waiting for {what}")


class Browser:
    """Just enough of a browser: cookies per host, a chosen TCP port, the Host header kept."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, url, method="GET", body=None, headers=None):
        """Send ``method url`` to 127.0.0.1:``port``; returns (status, headers, text)."""
        parts = urlsplit(url)
        host = parts.netloc
        jar = self.cookies.setdefault(host.split(":")[0], {})
        headers = {"Host": host, **(headers or {})}
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(
                method, parts.path + (f"?{parts.query}" if parts.query else ""), body, headers
            )
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                jar[key] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text

    def form(self, port, url, fields, files=None, page_url=None):
        """POST a form (multipart when ``files``) with the CSRF token of the page at ``url``."""
        _, _, page = self.request(port, page_url or url)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        fields = {**fields, "csrf_token": token}
        if not files:
            body = "&".join(f"{k}={v}" for k, v in fields.items())
            kind = "application/x-www-form-urlencoded"
            return self.request(port, url, "POST", body, {"Content-Type": kind})
        boundary = uuid.uuid4().hex
        chunks = []
        for key, value in fields.items():
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            )
        for key, (name, data) in files.items():
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{name}"\r\n'
                "Content-Type: application/zip\r\n\r\n".encode()
                + data
                + b"\r\n"
            )
        chunks.append(f"--{boundary}--\r\n".encode())
        kind = f"multipart/form-data; boundary={boundary}"
        return self.request(port, url, "POST", b"".join(chunks), {"Content-Type": kind})


def _nginx_site(port, app_ports, snippet):
    """The repository's nginx site, pointed at this test's ports, host names and checkout."""
    site = (REPO / "deploy" / "nginx" / "lotse-lms.conf").read_text()
    site = site.replace("    listen [::]:80;\n", "").replace(
        "listen 80;", f"listen 127.0.0.1:{port};"
    )
    site = site.replace("127.0.0.1:8001", f"127.0.0.1:{app_ports[0]}")
    site = site.replace("127.0.0.1:8002", f"127.0.0.1:{app_ports[1]}")
    site = site.replace("lotse-content.example.net", "content.localhost")
    site = site.replace("lms.example.org", "lms.localhost")
    site = site.replace("/srv/lotse-lms/app/", f"{REPO}/")
    return site.replace("/etc/nginx/snippets/lotse-lms-proxy.conf", str(snippet))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Database, two app servers, nginx; yields what the tests need, stops everything after.

    Shared by this module's tests; the last one kills server A.
    """
    tmp_path = tmp_path_factory.mktemp("cluster")
    name = f"lotse_scale_{os.getpid()}"
    server = PG_URL.rpartition("/")[0].replace("postgresql://", "postgresql+psycopg://", 1)
    admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    processes = {}
    try:
        yield from _run_cluster(tmp_path, name, processes)
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(20)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _run_cluster(tmp_path, name, processes):
    """Migrate, add two people, start both app servers and nginx; yields the cluster."""
    port, app_ports = _free_port(), (_free_port(), _free_port())
    queue_name = f"lotse-scale-{os.getpid()}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LOTSE_", "GUNICORN_"))
    }
    env.update(
        LOTSE_DATABASE_URL=f"{PG_URL.rpartition('/')[0]}/{name}",
        LOTSE_DATA_DIR=str(tmp_path / "data"),
        LOTSE_CERT_KEY_DIR=str(tmp_path / "keys"),
        LOTSE_SECRET_KEY="scale-out-secret",
        LOTSE_BASE_URL=f"http://lms.localhost:{port}",
        LOTSE_CONTENT_BASE_URL=f"http://content.localhost:{port}",
        LOTSE_QUEUE_URL=REDIS_URL,
        LOTSE_QUEUE_NAME=queue_name,
        LOTSE_RATELIMIT_STORAGE_URI=REDIS_URL,
    )
    cli = [str(BIN / "lotse-lms")]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    for email, role in (
        ("trainer@example.org", "trainer"),
        ("lena@example.org", "participant"),
        ("gast@example.org", "participant"),
    ):
        subprocess.run(
            [
                *cli,
                "create-user",
                email,
                "--name",
                role.title(),
                "--role",
                role,
                "--password-stdin",
            ],
            input=PASSWORD,
            text=True,
            env=env,
            check=True,
            capture_output=True,
        )
    for label, app_port in zip("ab", app_ports, strict=True):
        app_env = dict(
            env,
            GUNICORN_BIND=f"127.0.0.1:{app_port}",
            GUNICORN_WORKERS="2",
            GUNICORN_ACCESSLOG=str(tmp_path / f"{label}.log"),
            GUNICORN_ERRORLOG=str(tmp_path / f"{label}.err"),
        )
        processes[label] = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(REPO / "deploy" / "gunicorn.conf.py")],
            env=app_env,
            cwd=tmp_path,
            start_new_session=True,
        )
    snippet = tmp_path / "proxy.conf"
    snippet.write_text((REPO / "deploy" / "nginx" / "lotse-lms-proxy.conf").read_text())
    (tmp_path / "site.conf").write_text(_nginx_site(port, app_ports, snippet))
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"{kind}_temp_path {tmp_path / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'nginx.err'};\n"
        "events { worker_connections 256; }\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log {tmp_path / 'nginx.log'};\n{temp}"
        f"include {tmp_path / 'site.conf'};\n}}\n"
    )
    processes["nginx"] = subprocess.Popen(
        [NGINX, "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"], start_new_session=True
    )
    browser = Browser()

    def healthy(app_port):
        try:
            return browser.request(app_port, f"http://lms.localhost:{port}/healthz")[0] == 200
        except OSError:
            return False

    for app_port in (*app_ports, port):
        _wait_until(lambda p=app_port: healthy(p), f"/healthz on port {app_port}")
    yield {
        "port": port,
        "a": app_ports[0],
        "b": app_ports[1],
        "env": env,
        "tmp": tmp_path,
        "processes": processes,
        "lms": f"http://lms.localhost:{port}",
    }


def _login(browser, port, lms, email):
    """Sign in through the login form; returns the answer's status."""
    return browser.form(port, f"{lms}/login", {"email": email, "password": PASSWORD})[0]


def _launch(browser, port, lms, package_id):
    """Open the player and launch the first item; returns the launch page's config."""
    _, _, page = browser.request(port, f"{lms}/q1/play/{package_id}")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    player = json.loads(re.search(r'id="player-config">(.*?)</script>', page, re.S).group(1))
    status, _, answer = browser.request(
        port,
        lms + player["launchUrl"],
        "POST",
        json.dumps({"item": player["start"]}),
        {"Content-Type": "application/json", "X-CSRFToken": token},
    )
    assert status == 200, answer
    status, _, launch_page = browser.request(port, json.loads(answer)["url"])
    assert status == 200, launch_page
    raw = re.search(r'id="lotse-launch">(.*?)</script>', launch_page, re.S).group(1)
    return json.loads(raw)


def _commit(browser, port, config, sequence, location):
    """Send one run-time commit setting the lesson location; returns (status, answer)."""
    state = config["state"]
    body = {
        "protocol": 1,
        "version": state["version"],
        "attempt": state["attempt"],
        "session": state["session"],
        "sequence": sequence,
        "calls": [
            ["cmi.core.lesson_location", location],
            ["cmi.suspend_data", f"stand-{sequence}"],
        ],
        "terminated": False,
        "unload": False,
    }
    status, _, text = browser.request(
        port, config["commitUrl"], "POST", json.dumps(body), {"Content-Type": "application/json"}
    )
    return status, text


def _stored_location(env):
    """The lesson location and suspend data stored for the learner's attempt."""
    engine = sa.create_engine(
        env["LOTSE_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")
    )
    try:
        with engine.connect() as conn:
            state = conn.execute(sa.text("SELECT state FROM q1_sco_attempts")).scalar_one()
    finally:
        engine.dispose()
    state = json.loads(state) if isinstance(state, str) else state
    return state["values"]["cmi.core.lesson_location"], state["values"]["cmi.suspend_data"]


def test_nginx_refuses_oversized_bodies_per_route_before_the_app_reads_them(cluster):
    port, lms = cluster["port"], cluster["lms"]
    browser = Browser()
    big = b"x" * (3 * 1024 * 1024)
    status, _, _ = browser.request(
        port, f"{lms}/login", "POST", big, {"Content-Type": "text/plain"}
    )
    assert status == 413
    content = lms.replace("lms.localhost", "abc123.content.localhost")
    status, _, _ = browser.request(port, f"{content}/scorm-content/commit/x", "POST", big)
    assert status == 413
    status, _, _ = browser.request(port, f"{lms}/static/css/app.css")
    assert status == 200


def test_wrong_passwords_spread_over_both_servers_are_counted_together(cluster):
    a, b, lms = cluster["a"], cluster["b"], cluster["lms"]
    limit = 5  # LOGIN_LIMIT_PER_ACCOUNT: 5 per minute (each server runs two gunicorn workers)
    guesser = Browser()

    def guess(port, password="falsch-geraten"):  # noqa: S107 - a wrong guess on purpose
        fields = {"email": "gast@example.org", "password": password}
        return guesser.form(port, f"{lms}/login", fields)[0]

    # Alternating servers (and their workers) would each allow 5 if they counted alone.
    assert [guess((a, b)[i % 2]) for i in range(limit)] == [422] * limit  # form and error
    assert guess(b) == 429 and guess(a) == 429
    assert guess(a, PASSWORD) == 429  # a stranger's browser: the account's limit is used up


def test_two_app_servers_behind_nginx_share_sessions_packages_commits_and_jobs(cluster):
    port, a, b, lms = cluster["port"], cluster["a"], cluster["b"], cluster["lms"]
    trainer, learner = Browser(), Browser()

    # A package uploaded through server A ...
    assert _login(trainer, a, lms, "trainer@example.org") == 302
    status, headers, _ = trainer.form(
        a,
        f"{lms}/q1/packages/new",
        {"title": "Skalierung"},
        {"file": (PACKAGE.name, PACKAGE.read_bytes())},
    )
    assert status == 302, headers
    package_id = int(re.search(r"/q1/packages/(\d+)", headers["Location"]).group(1))
    detail = f"{lms}/q1/packages/{package_id}"
    published = trainer.form(a, f"{detail}/publish", {"audience": "participants"}, page_url=detail)
    assert published[0] == 302, published[2][-500:]

    # ... is played through server B, its files read from the shared data folder.
    assert _login(learner, b, lms, "lena@example.org") == 302
    config = _launch(learner, b, lms, package_id)
    assert learner.request(b, config["contentUrl"])[0] == 200

    # The learner's commits alternate between the servers: none refused, none lost.
    sequence = config["state"]["sequence"]
    for i in range(1, 11):
        status, text = _commit(learner, (a, b)[i % 2], config, sequence + i, f"seite-{i}")
        assert status == 200, text
    assert _stored_location(cluster["env"]) == ("seite-10", f"stand-{sequence + 10}")

    # Through nginx: server A is killed mid-run and the session goes on on B. A commit
    # caught in flight fails (502, no JSON); like runtime-api.js the learner's page keeps
    # the calls and sends them again with the next sequence number.
    sent, failures = sequence + 10, []
    for i in range(11, 26):
        if i == 16:
            os.killpg(cluster["processes"]["a"].pid, signal.SIGKILL)
            cluster["processes"]["a"].wait(10)
        for _try in range(3):
            sent += 1
            status, text = _commit(learner, port, config, sent, f"seite-{i}")
            if status == 200:
                break
            failures.append((i, status))
        assert status == 200, (cluster["tmp"] / "nginx.err").read_text()[-2000:]
    assert len(failures) <= 1, failures
    assert _stored_location(cluster["env"]) == ("seite-25", f"stand-{sent}")
    status, _, page = learner.request(port, f"{lms}/q1/play/{package_id}")
    assert status == 200 and "Skalierung" in page
    a_log = (cluster["tmp"] / "a.log").read_text()
    b_log = (cluster["tmp"] / "b.log").read_text()
    assert "/scorm-content/commit/" in a_log and "/scorm-content/commit/" in b_log

    # The job queue is shared: mail queued through either server is sent by one worker.
    anonymous = Browser()
    assert anonymous.form(b, f"{lms}/password/forgot", {"email": "lena@example.org"})[0] == 302
    assert (
        anonymous.form(port, f"{lms}/password/forgot", {"email": "trainer@example.org"})[0] == 302
    )
    worker = subprocess.Popen(
        [str(BIN / "lotse-lms"), "worker", "--threads", "1"],
        env=cluster["env"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    engine = sa.create_engine(
        cluster["env"]["LOTSE_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")
    )

    def all_sent():
        with engine.connect() as conn:
            return (
                conn.execute(
                    sa.text("SELECT count(*) FROM outbox_mails WHERE sent_at IS NULL")
                ).scalar_one()
                == 0
            )

    try:
        _wait_until(all_sent, "the worker to send both mails")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(20)
        engine.dispose()
