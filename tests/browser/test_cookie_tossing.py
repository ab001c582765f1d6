"""Cookie tossing: a package on a content origin cannot sign the learner in as someone else.

The LMS and its content share a registrable domain here (``lms.lotse.localhost`` beside
``<key>.content.lotse.localhost``), the weak layout the start-up check only warns about. Debian's
nginx serves both over TLS with a certificate made in the test and proxies to the live app, so
the session cookie is ``__Host-`` prefixed as in production. A hostile SCO sets the attacker's
own session cookie for the parent domain from script and through a Set-Cookie response of its
origin; the learner stays signed in as themselves, also after signing out (login CSRF).
"""

import datetime
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from selenium.webdriver.common.by import By

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import packages

from ..conftest import PASSWORD
from .conftest import sign_out, wait_for
from .test_content_isolation import hz

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DOMAIN = "lotse.localhost"
LMS_HOST = f"lms.{DOMAIN}"
CONTENT_HOST = f"content.{DOMAIN}"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.config(SECURE_COOKIES=True, PROXY_COUNT=1),
    pytest.mark.skipif(
        not os.path.exists(NGINX) and not os.environ.get("CI"),
        reason="nginx missing: make deploy-deps",
    ),
]

#: The hostile SCO: tosses ``%(value)s`` (the attacker's session cookie) at the parent domain
#: under the old and the prefixed cookie name, then asks its own origin for Set-Cookie headers.
TOSS = """<!doctype html><title>Harmlos</title><p id="out"></p>
<script>
var value = %(value)r, parent = %(domain)r;
var names = ["session", "__Host-session", "remember_token", "__Host-remember_token"];
names.forEach(function (name) {
  ["/", "/profile"].forEach(function (path) {
    document.cookie = name + "=" + value + "; Domain=" + parent + "; Path=" + path + "; Secure";
  });
  document.cookie = name + "=" + value + "; Path=/; Secure";
});
fetch("/__toss?v=" + value, {credentials: "include"}).then(function (answer) {
  var out = document.getElementById("out");
  out.textContent = "tossed " + answer.status;
  out.setAttribute("data-done", "1");
});
</script>"""


def _free_port():
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _certificate(folder):
    """A self-signed wildcard certificate for the LMS and every content origin."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LMS_HOST)])
    now = datetime.datetime.now(datetime.UTC)
    names = [LMS_HOST, CONTENT_HOST, f"*.{CONTENT_HOST}"]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _nginx_conf(folder, port, app_port):
    """nginx as the TLS front of both hosts; the content side also answers /__toss?v=<value>
    with Set-Cookie headers for the parent domain (as a content server could)."""
    proxy = (
        f"proxy_pass http://127.0.0.1:{app_port};\n"
        "proxy_set_header Host $http_host;\n"
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "proxy_set_header X-Forwarded-Proto $scheme;\n"
    )
    tls = (
        f"listen 127.0.0.1:{port} ssl;\n"
        f"ssl_certificate {folder / 'cert.pem'};\nssl_certificate_key {folder / 'key.pem'};\n"
    )
    tossed = "".join(
        f'add_header Set-Cookie "{name}=$arg_v; Domain={DOMAIN}; Path={path}; Secure";\n'
        for name in ("session", "__Host-session")
        for path in ("/", "/profile")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"{kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'nginx.err'};\nevents {{ worker_connections 64; }}\n"
        f"http {{\naccess_log {folder / 'nginx.log'};\n{temp}"
        f"server {{\n{tls}server_name {LMS_HOST};\nlocation / {{\n{proxy}}}\n}}\n"
        f"server {{\n{tls}server_name {CONTENT_HOST} *.{CONTENT_HOST};\n"
        f"location = /__toss {{\n{tossed}return 204;\n}}\n"
        f"location / {{\n{proxy}}}\n}}\n}}\n"
    )


def _wait_for_tls(port, seconds=20):
    """Wait until nginx answers a TLS handshake on ``port``."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                with context.wrap_socket(sock, server_hostname=LMS_HOST):
                    return
        except OSError:
            time.sleep(0.1)  # nginx starting in another process, bounded by the deadline
    pytest.fail("nginx did not answer on its TLS port")


@pytest.fixture
def tls_front(app, live_server, tmp_path):
    """nginx with TLS in front of the live app; yields the LMS's https URL."""
    if not os.path.exists(NGINX):
        pytest.fail("nginx must be installed for this test (make deploy-deps)")
    folder = tmp_path / "nginx"
    folder.mkdir()
    _certificate(folder)
    port = _free_port()
    app_port = live_server.server.server_port
    app.config["BASE_URL"] = f"https://{LMS_HOST}:{port}"
    app.config["CONTENT_BASE_URL"] = f"https://{CONTENT_HOST}:{port}"
    (folder / "nginx.conf").write_text(_nginx_conf(folder, port, app_port))
    nginx = subprocess.Popen(
        [NGINX, "-c", str(folder / "nginx.conf"), "-g", "daemon off;"], start_new_session=True
    )
    try:
        _wait_for_tls(port)
        yield app.config["BASE_URL"]
    finally:
        os.killpg(nginx.pid, signal.SIGTERM)
        nginx.wait(20)


@pytest.fixture
def tls_browser(browser_factory):
    """A Chromium that accepts the test's self-signed certificate."""
    return browser_factory(flags=("--ignore-certificate-errors",))


def _sign_in(driver, lms, email):
    """Sign in through the login page."""
    driver.get(f"{lms}/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(driver, lambda d: "/login" not in d.current_url, "sign-in did not complete")


def _profile_name(driver, lms):
    """The name on the profile page, or None when the browser is not signed in."""
    driver.get(f"{lms}/profile")
    if "/login" in driver.current_url:
        return None
    return driver.find_element(By.ID, "name").get_attribute("value")


def test_content_cannot_toss_a_session_into_the_lms(
    app, tls_front, tls_browser, make_user, tmp_path, screenshot
):
    lms = tls_front
    victim = make_user("participant", name="Lena Lotsin")
    attacker = make_user("participant", name="Eve Angreiferin")
    drv = tls_browser
    # The attacker's own valid session, taken from a real sign-in over TLS.
    _sign_in(drv, lms, attacker.email)
    cookie = drv.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie["secure"]
    value = cookie["value"]
    drv.delete_all_cookies()
    package = packages.import_package(
        hz.write_zip(
            tmp_path / "toss.zip",
            [
                ("imsmanifest.xml", hz.manifest_12()),
                ("index.html", TOSS % {"value": value, "domain": DOMAIN}),
            ],
        ),
        title="Harmlos",
    )
    db.session.commit()

    _sign_in(drv, lms, victim.email)
    drv.get(f"{lms}/q1/play/{package.package_id}")
    drv.switch_to.frame(drv.find_element(By.ID, "player-frame"))
    wait_for(drv, lambda d: d.find_element(By.ID, "lotse-sco").get_attribute("src"), "no SCO")
    drv.switch_to.frame(drv.find_element(By.ID, "lotse-sco"))
    out = wait_for(drv, lambda d: d.find_element(By.CSS_SELECTOR, "#out[data-done]"), timeout=30)
    assert out.text == "tossed 204"
    drv.switch_to.default_content()

    # The toss reached the browser: cookies for the whole domain, under the unprefixed names.
    jar = drv.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]
    tossed = {(c["name"], c["path"]) for c in jar if c["domain"] == f".{DOMAIN}"}
    assert ("session", "/profile") in tossed
    assert not any(name.startswith("__Host-") for name, _path in tossed)

    assert _profile_name(drv, lms) == "Lena Lotsin"
    screenshot(drv, "profile-after-toss")
    sign_out(drv)
    assert _profile_name(drv, lms) is None
    drv.get(lms + "/")
    assert "Eve Angreiferin" not in drv.page_source
