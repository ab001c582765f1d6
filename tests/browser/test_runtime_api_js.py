"""runtime-api.js in headless Chromium: the shared case tables and the commit protocol.

A small http.server on 127.0.0.1 serves lotse_lms/scorm/static/ and records POSTed
commits; nothing is fetched from outside.
"""

import importlib.util
import json
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lotse_lms.scorm.datamodel import apply_commit, begin_session, client_state, new_state

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "lotse_lms" / "scorm" / "static"
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>rt</title>
<script src="/runtime-types.js"></script><script src="/runtime-model.js"></script>
<script src="/runtime-api.js"></script></head><body><p>runtime test</p></body></html>"""


def _caselib():
    """Import tests/scorm/cases/caselib.py (tests is not a package)."""
    path = ROOT / "tests" / "scorm" / "cases" / "caselib.py"
    spec = importlib.util.spec_from_file_location("scorm_caselib_browser", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


caselib = _caselib()


class Handler(SimpleHTTPRequestHandler):
    """Serves the static folder, the test page, and records POST /commit bodies."""

    def __init__(self, *args, received=None, **kwargs):
        """Remember the list that collects commit payloads."""
        self.received = received
        super().__init__(*args, directory=str(STATIC), **kwargs)

    def do_GET(self):  # noqa: N802 - http.server naming
        """Serve the test page at / and /other, files otherwise."""
        if self.path in ("/", "/other"):
            body = (PAGE if self.path == "/" else "<p>other</p>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def do_POST(self):  # noqa: N802 - http.server naming
        """Record a commit payload and answer ok."""
        length = int(self.headers.get("Content-Length", "0"))
        self.received.append(json.loads(self.rfile.read(length)))
        body = json.dumps({"ok": True, "sequence": self.received[-1]["sequence"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """Stay quiet."""


@pytest.fixture(scope="module")
def server():
    """A local HTTP server thread; yields (base url, received payload list)."""
    received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, received=received))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", received
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def page(browser, server):
    """The test page with the runtime scripts and both JSON tables loaded."""
    browser.get(server[0] + "/")
    browser.set_script_timeout(20)
    browser.execute_async_script("""
        var done = arguments[arguments.length - 1];
        Promise.all([fetch('/datamodel-12.json').then(r => r.json()),
                     fetch('/datamodel-2004.json').then(r => r.json())])
          .then(t => { window.TABLES = {'1.2': t[0], '2004': t[1]}; done(true); });
    """)
    return browser


INSTALL = """
window.SENT = [];
window.TERMINATED = 0;
window.RT = LotseScormRuntime.install(window, {
  version: arguments[0].version, table: TABLES[arguments[0].version], state: arguments[0],
  commitUrl: '/commit', autoCommitSeconds: arguments[1],
  onTerminate: function () { window.TERMINATED += 1; },
  transport: function (req) { SENT.push(req); return Promise.resolve({ok: true}); }
});
"""
def run_js(driver, state, calls):
    """Install a runtime for state in the page and replay calls; return results."""
    driver.execute_script(INSTALL, state, 0)
    return driver.execute_script("""
        var v = arguments[0].version, api = v === '2004' ? window.API_1484_11 : window.API;
        var last = v === '2004' ? 'GetLastError' : 'LMSGetLastError';
        return arguments[1].map(function (c) {
          var ret = api[c[0]].apply(api, c[1]);
          return [ret, api[last]()];
        });""", state, calls)


def test_api_cases_match_python(page):
    """Every API case file gives identical results in JavaScript and in Python."""
    for case_id, _version, state, calls in caselib.api_cases():
        got = run_js(page, state, calls)
        assert got == caselib.run_python(state, calls), case_id
        assert got == caselib.expected(calls), case_id


def test_type_and_response_cases_match(page):
    """The JavaScript validators agree with types.json and responses.json."""
    types = caselib.load("types.json")["cases"]
    got = page.execute_script(
        "return arguments[0].map(c => LotseScormRuntime.types.validate(c[1], c[0]));", types)
    assert got == [c[2] for c in types]
    responses = caselib.load("responses.json")["cases"]
    got = page.execute_script("""return arguments[0].map(function (c) {
        var t = LotseScormRuntime.types;
        return c[1] === 'pattern' ? t.checkPattern(c[0], c[2]) : t.checkLearnerResponse(c[0], c[2]);
    });""", responses)
    assert got == [c[3] for c in responses]


def launch(version="2004", **config):
    """A server-side state after begin_session, as the LMS would store it."""
    return begin_session(new_state(version, dict({"learner_id": "u1", "learner_name": "Ada"},
                                                 **config)))


def test_commit_payload_replays_on_server(page):
    """Commit sends the ordered calls; apply_commit accepts it once, refuses stale/tampered."""
    state = launch()
    page.execute_script(INSTALL, client_state(state), 0)
    page.execute_script("""
        var a = window.API_1484_11;
        a.Initialize(''); a.SetValue('cmi.location', 'p1'); a.SetValue('cmi.score.scaled', '5');
        a.SetValue('cmi.interactions.0.id', 'q1'); a.SetValue('cmi.location', 'p2');
        a.Commit('');""")
    sent = page.execute_script("return SENT;")
    assert len(sent) == 1 and sent[0]["keepalive"] is False
    payload = sent[0]["payload"]
    assert payload["calls"] == [["cmi.location", "p1"], ["cmi.interactions.0.id", "q1"],
                                ["cmi.location", "p2"]]
    assert (payload["sequence"], payload["terminated"], payload["unload"]) == (1, False, False)
    new, result = apply_commit(state, payload)
    assert result["ok"] and new["values"]["cmi.location"] == "p2"
    assert new["values"]["cmi.interactions._count"] == "1"
    again, stale = apply_commit(new, payload)
    assert stale["error"] == "stale_sequence" and again == new
    tampered = dict(payload, sequence=2, calls=payload["calls"] + [["cmi.score.scaled", "5"]])
    same, refused = apply_commit(new, tampered)
    assert refused["error"] == "invalid_call" and refused["code"] == "407"
    assert refused["index"] == 3 and same == new
    # nothing new: Commit sends nothing once acknowledged
    page.execute_script("window.API_1484_11.Commit('');")
    assert len(page.execute_script("return SENT;")) == 1


def test_terminate_sends_final_keepalive_commit(page):
    """Terminate sends terminated=true with keepalive; the server ends the session."""
    state = launch("1.2", mastery_score=80)
    page.execute_script(INSTALL, client_state(state), 0)
    page.execute_script("""
        var a = window.API; a.LMSInitialize('');
        a.LMSSetValue('cmi.core.lesson_status', 'completed');
        a.LMSSetValue('cmi.core.score.raw', '85');
        a.LMSSetValue('cmi.core.session_time', '0000:10:00');
        a.LMSFinish('');""")
    time.sleep(0.05)
    sent = page.execute_script("return SENT;")
    assert page.execute_script("return TERMINATED;") == 1
    assert sent[-1]["keepalive"] is True and sent[-1]["payload"]["terminated"] is True
    new, result = apply_commit(state, sent[-1]["payload"])
    assert result == {"ok": True, "sequence": 1, "applied": 3, "session_ended": True}
    assert new["values"]["cmi.core.lesson_status"] == "passed"
    assert new["values"]["cmi.core.total_time"] == "0000:10:00.00"


def test_auto_commit_only_with_changes(page):
    """Auto-commit sends pending calls once and stays quiet without changes."""
    page.execute_script(INSTALL, client_state(launch()), 0.1)
    page.execute_script("window.API_1484_11.Initialize('');")
    time.sleep(0.35)
    assert page.execute_script("return SENT.length;") == 0
    page.execute_script("window.API_1484_11.SetValue('cmi.location', 'x');")
    time.sleep(0.35)
    sent = page.execute_script("return SENT.map(s => s.payload.calls);")
    assert sent == [[["cmi.location", "x"]]]


def test_pagehide_sends_pending_calls_with_fetch(page, server):
    """Closing the page sends unacknowledged calls through real fetch (keepalive)."""
    base, received = server
    state = launch()
    page.execute_script("""
        window.RT = LotseScormRuntime.install(window, {version: '2004', table: TABLES['2004'],
          state: arguments[0], commitUrl: '/commit', autoCommitSeconds: 0});
        var a = window.API_1484_11; a.Initialize('');
        a.SetValue('cmi.suspend_data', 'page=4'); a.SetValue('cmi.exit', 'suspend');""",
                        client_state(state))
    count = len(received)
    page.get(base + "/other")
    deadline = time.time() + 5
    calls = [["cmi.suspend_data", "page=4"], ["cmi.exit", "suspend"]]
    while not any(p["calls"] == calls for p in received[count:]) and time.time() < deadline:
        time.sleep(0.05)
    payload = [p for p in received[count:] if p["calls"] == calls][0]  # beforeunload/pagehide
    assert payload["terminated"] is False
    new, result = apply_commit(state, payload)
    assert result["ok"] and new["values"]["cmi.suspend_data"] == "page=4"
    assert new["session_open"]  # the SCO may still terminate after the page's pagehide


def test_pagehide_and_hidden_events_flush_with_keepalive(page):
    """pagehide sends unload=true, visibilitychange-hidden flushes, both with keepalive."""
    page.execute_script(INSTALL, client_state(launch()), 0)
    page.execute_script("""
        var a = window.API_1484_11; a.Initialize(''); a.SetValue('cmi.location', 'p9');
        window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: false}));""")
    sent = page.execute_script("return SENT;")
    assert len(sent) == 1 and sent[0]["keepalive"] is True
    assert sent[0]["payload"]["unload"] is True
    assert sent[0]["payload"]["calls"] == [["cmi.location", "p9"]]
    page.execute_script("""
        window.API_1484_11.SetValue('cmi.location', 'p10');
        Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));""")
    sent = page.execute_script("return SENT;")
    assert len(sent) == 2 and sent[1]["keepalive"] is True
    assert sent[1]["payload"]["unload"] is False and sent[1]["payload"]["sequence"] == 2
