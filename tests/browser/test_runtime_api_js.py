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

from .conftest import wait_for

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
    return driver.execute_script(
        """
        var v = arguments[0].version, api = v === '2004' ? window.API_1484_11 : window.API;
        var last = v === '2004' ? 'GetLastError' : 'LMSGetLastError';
        return arguments[1].map(function (c) {
          var ret = api[c[0]].apply(api, c[1]);
          return [ret, api[last]()];
        });""",
        state,
        calls,
    )


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
        "return arguments[0].map(c => LotseScormRuntime.types.validate(c[1], c[0]));", types
    )
    assert got == [c[2] for c in types]
    responses = caselib.load("responses.json")["cases"]
    got = page.execute_script(
        """return arguments[0].map(function (c) {
        var t = LotseScormRuntime.types;
        return c[1] === 'pattern' ? t.checkPattern(c[0], c[2]) : t.checkLearnerResponse(c[0], c[2]);
    });""",
        responses,
    )
    assert got == [c[3] for c in responses]


def launch(version="2004", **config):
    """A server-side state after begin_session, as the LMS would store it."""
    return begin_session(
        new_state(version, dict({"learner_id": "u1", "learner_name": "Ada"}, **config))
    )


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
    assert payload["calls"] == [
        ["cmi.location", "p1"],
        ["cmi.interactions.0.id", "q1"],
        ["cmi.location", "p2"],
    ]
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
    wait_for(page, lambda d: d.execute_script("return TERMINATED;") == 1, "not terminated")
    sent = page.execute_script("return SENT;")
    assert sent[-1]["keepalive"] is True and sent[-1]["payload"]["terminated"] is True
    new, result = apply_commit(state, sent[-1]["payload"])
    assert result == {"ok": True, "sequence": 1, "applied": 3, "session_ended": True}
    assert new["values"]["cmi.core.lesson_status"] == "passed"
    assert new["values"]["cmi.core.total_time"] == "0000:10:00.00"


#: Counts the runtime's auto-commit ticks (the interval calls RT.autoCommit each time).
COUNT_TICKS = """
window.TICKS = 0;
var autoCommit = RT.autoCommit.bind(RT);
RT.autoCommit = function () { autoCommit(); window.TICKS += 1; };
"""


def _wait_for_ticks(page, count):
    """Wait until the auto-commit timer has fired ``count`` more times."""
    start = page.execute_script("return TICKS;")
    wait_for(page, lambda d: d.execute_script("return TICKS;") >= start + count, "no ticks")


def test_auto_commit_only_with_changes(page):
    """Auto-commit sends pending calls once and stays quiet without changes."""
    page.execute_script(INSTALL, client_state(launch()), 0.1)
    page.execute_script(COUNT_TICKS)
    page.execute_script("window.API_1484_11.Initialize('');")
    _wait_for_ticks(page, 3)
    assert page.execute_script("return SENT.length;") == 0
    page.execute_script("window.API_1484_11.SetValue('cmi.location', 'x');")
    _wait_for_ticks(page, 3)
    sent = page.execute_script("return SENT.map(s => s.payload.calls);")
    assert sent == [[["cmi.location", "x"]]]


def test_pagehide_sends_pending_calls_with_fetch(page, server):
    """Closing the page sends unacknowledged calls through real fetch (keepalive)."""
    base, received = server
    state = launch()
    page.execute_script(
        """
        window.RT = LotseScormRuntime.install(window, {version: '2004', table: TABLES['2004'],
          state: arguments[0], commitUrl: '/commit', autoCommitSeconds: 0});
        var a = window.API_1484_11; a.Initialize('');
        a.SetValue('cmi.suspend_data', 'page=4'); a.SetValue('cmi.exit', 'suspend');""",
        client_state(state),
    )
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


# ---- the base: the server's stored state, sent back with the next commit ----

INSTALL_ANSWERED = """
window.SENT = [];
window.ANSWER = [];  // ANSWER[i](result) answers the i-th commit
window.RT = LotseScormRuntime.install(window, {
  version: arguments[0].version, table: TABLES[arguments[0].version], state: arguments[0],
  base: arguments[1], commitUrl: '/commit', autoCommitSeconds: 0,
  transport: function (req) {
    SENT.push(req);
    return new Promise(function (resolve) { ANSWER.push(resolve); });
  }
});
"""


def answer(driver, index, result):
    """Answer the index-th commit with result; return once the runtime has handled it."""
    driver.execute_async_script(
        """
        var done = arguments[arguments.length - 1];
        ANSWER[arguments[0]](arguments[1]);
        setTimeout(done, 0);  // the runtime's then() runs as a microtask before this""",
        index,
        result,
    )


def set_and_commit(driver, location):
    """SetValue cmi.location and Commit in the 2004 API; return every payload sent so far."""
    return driver.execute_script(
        """
        var a = window.API_1484_11;
        if (!window.RT.initialized) { a.Initialize(''); }
        a.SetValue('cmi.location', arguments[0]); a.Commit('');
        return SENT.map(s => s.payload);""",
        location,
    )


def test_commits_send_back_the_base_of_the_last_answer(page):
    """Each commit carries the state the server stored last, so the server can store the
    commit without reading the row first; once an answer has no base, commits go without."""
    state = launch()
    base0 = json.dumps(state)
    page.execute_script(INSTALL_ANSWERED, client_state(state), base0)
    first = set_and_commit(page, "p1")[0]
    assert first["base"] == base0
    new1, result1 = apply_commit(state, first)
    assert result1["ok"]
    answer(page, 0, dict(result1, base=json.dumps(new1)))

    second = set_and_commit(page, "p2")[1]
    assert second["sequence"] == 2 and second["calls"] == [["cmi.location", "p2"]]
    assert second["base"] == json.dumps(new1)
    new2, result2 = apply_commit(json.loads(second["base"]), second)  # replayed on the base
    assert result2["ok"] and "base" not in result2
    assert new2["values"]["cmi.location"] == "p2"
    answer(page, 1, result2)  # no base (SQLite, or a state too large to send back)

    third = set_and_commit(page, "p3")[2]
    assert "base" not in third
    new3, result3 = apply_commit(new2, third)
    assert result3["ok"] and new3["values"]["cmi.location"] == "p3"
    assert page.execute_script("return [RT.ackedSequence, RT.inFlight];") == [2, 1]


def test_no_base_key_without_a_base_from_the_server(page):
    """A page launched without a base (null) sends commits without the key at all."""
    state = launch("1.2")
    page.execute_script(INSTALL_ANSWERED, client_state(state), None)
    sent = page.execute_script("""
        var a = window.API; a.LMSInitialize('');
        a.LMSSetValue('cmi.core.lesson_location', 'p1'); a.LMSCommit('');
        return SENT.map(s => s.payload);""")
    assert len(sent) == 1 and "base" not in sent[0]
    assert apply_commit(state, sent[0])[1]["ok"]


def test_late_answer_to_older_commit_keeps_newer_base(page):
    """When answers arrive out of order, the page keeps the base of the newest accepted
    commit: a late answer to an older commit must not make it send an outdated state."""
    state = launch()
    base0 = json.dumps(state)
    page.execute_script(INSTALL_ANSWERED, client_state(state), base0)
    set_and_commit(page, "p1")
    first, second = set_and_commit(page, "p2")  # sent while the first is unanswered
    assert (first["sequence"], second["sequence"]) == (1, 2)
    assert first["base"] == second["base"] == base0
    assert second["calls"] == [["cmi.location", "p1"], ["cmi.location", "p2"]]
    new1, result1 = apply_commit(state, first)
    new2, result2 = apply_commit(new1, second)
    assert result1["ok"] and result2["ok"]

    answer(page, 1, dict(result2, base=json.dumps(new2)))  # the newer answer comes first
    answer(page, 0, dict(result1, base=json.dumps(new1)))  # then the older one
    assert page.execute_script("return [RT.ackedSequence, RT.inFlight];") == [2, 0]

    third = set_and_commit(page, "p3")[2]
    assert third["base"] == json.dumps(new2)
    assert third["calls"] == [["cmi.location", "p3"]]
    new3, result3 = apply_commit(json.loads(third["base"]), third)
    assert result3["ok"] and new3["values"]["cmi.location"] == "p3"


INSTALL_FETCH = """
window.FETCHES = [];
var realFetch = window.fetch;
window.fetch = function (url, init) {  // records what goes out; the real fetch sends it
  FETCHES.push({keepalive: init.keepalive, length: init.body.length});
  return realFetch.apply(this, arguments);
};
window.RT = LotseScormRuntime.install(window, {version: '2004', table: TABLES['2004'],
  state: arguments[0], base: arguments[1], commitUrl: '/commit', autoCommitSeconds: 0});
"""
KEEPALIVE_LIMIT = 60000  # as in runtime-api.js


def wait_for_commit(received, marker, timeout=5):
    """The payload the recording server got with the call cmi.location=marker."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = [p for p in list(received) if ["cmi.location", marker] in p["calls"]]
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"no commit with cmi.location={marker} reached the server")


def test_terminate_with_large_state_reaches_server_when_tab_closes(page, server):
    """Nothing is lost when the tab closes right after Terminate, even with a large state:
    the base is left out so that the final commit still fits into a keepalive request."""
    url, received = server
    state = launch()
    suspend, base = "s" * 50000, "B" * 20000
    page.execute_script(INSTALL_FETCH, client_state(state), base)
    fetches = page.execute_script(
        """
        var a = window.API_1484_11; a.Initialize('');
        a.SetValue('cmi.suspend_data', arguments[0]); a.SetValue('cmi.exit', 'suspend');
        a.SetValue('cmi.location', 'large-close'); a.Terminate('');
        return FETCHES;""",
        suspend,
    )
    page.get(url + "/other")  # the tab moves on at once
    (payload,) = wait_for_commit(received, "large-close")
    assert len(fetches) == 1 and fetches[0]["keepalive"] is True
    assert fetches[0]["length"] < KEEPALIVE_LIMIT
    assert "base" not in payload
    assert len(json.dumps(dict(payload, base=base))) >= KEEPALIVE_LIMIT  # too long with it
    assert payload["terminated"] is True
    assert payload["calls"] == [
        ["cmi.suspend_data", suspend],
        ["cmi.exit", "suspend"],
        ["cmi.location", "large-close"],
    ]
    new, result = apply_commit(state, payload)
    assert result["ok"] and result["session_ended"]
    assert new["values"]["cmi.suspend_data"] == suspend


@pytest.mark.parametrize(
    ("action", "char", "suspend_length", "base_length", "keepalive", "has_base"),
    [
        ("Commit", "s", 50000, 20000, False, True),  # no keepalive: no limit, base stays
        ("Terminate", "s", 50000, 20000, True, False),  # keepalive fits only without the base
        ("Terminate", "s", 10, 100, True, True),  # a short keepalive body keeps the base
        ("Terminate", "s", 64000, 100, False, False),  # too long even without it
        ("Terminate", "ü", 25000, 20000, True, False),  # the limit counts bytes: ü is two
        ("Terminate", "ü", 40000, 100, False, False),  # 80 kB of umlauts: no keepalive
    ],
    ids=[
        "large-commit",
        "large-terminate",
        "small-terminate",
        "too-large-terminate",
        "umlaut-terminate",
        "umlaut-too-large-terminate",
    ],
)
def test_fetch_transport_drops_base_only_from_too_long_keepalive_bodies(
    page, server, action, char, suspend_length, base_length, keepalive, has_base
):
    """The base is only a shortcut for the server: the real fetch leaves it out exactly
    when a keepalive body would be too long with it, and every call still arrives."""
    _url, received = server
    state = launch()
    suspend, base = char * suspend_length, "B" * base_length
    marker = f"{action}-{char}-{suspend_length}-{base_length}"
    page.execute_script(INSTALL_FETCH, client_state(state), base)
    fetches = page.execute_script(
        """
        var a = window.API_1484_11; a.Initialize('');
        a.SetValue('cmi.suspend_data', arguments[0]); a.SetValue('cmi.location', arguments[1]);
        a[arguments[2]]('');
        return FETCHES;""",
        suspend,
        marker,
        action,
    )
    (payload,) = wait_for_commit(received, marker)
    assert [f["keepalive"] for f in fetches] == [keepalive]
    assert ("base" in payload) is has_base
    if has_base:
        assert payload["base"] == base
    assert payload["terminated"] is (action == "Terminate")
    assert payload["calls"] == [["cmi.suspend_data", suspend], ["cmi.location", marker]]
    new, result = apply_commit(state, payload)
    assert result["ok"] and new["values"]["cmi.suspend_data"] == suspend


@pytest.mark.parametrize(
    ("suspend_length", "base_length", "keepalive", "second_has_base"),
    [
        (35000, 0, [True, False], False),  # together over the allowance: plain request
        (15000, 0, [True, True], False),  # both fit
        (20000, 15000, [True, True], False),  # the second fits without its base
    ],
    ids=["over-allowance", "both-fit", "fits-without-base"],
)
def test_keepalive_requests_in_flight_share_one_allowance(
    page, server, suspend_length, base_length, keepalive, second_has_base
):
    """A flush when the tab is hidden and Terminate right after it are both in flight at
    once; browsers refuse a keepalive request that would take the bodies in flight over
    64 KiB, so the final commit goes out without base or without keepalive and arrives."""
    _url, received = server
    state = launch()
    suspend, marker = "s" * suspend_length, f"shared-{suspend_length}-{base_length}"
    page.execute_script(INSTALL_FETCH, client_state(state), "B" * base_length or None)
    fetches = page.execute_script(
        """
        var a = window.API_1484_11; a.Initialize('');
        a.SetValue('cmi.suspend_data', arguments[0]); a.SetValue('cmi.location', 'hidden');
        RT.flush(false);  // the tab was hidden: keepalive, no answer yet
        a.SetValue('cmi.location', arguments[1]); a.Terminate('');
        return FETCHES;""",
        suspend,
        marker,
    )
    (payload,) = wait_for_commit(received, marker)
    assert [f["keepalive"] for f in fetches] == keepalive
    assert ("base" in payload) is second_has_base
    assert payload["terminated"] is True
    assert payload["calls"] == [
        ["cmi.suspend_data", suspend],
        ["cmi.location", "hidden"],
        ["cmi.location", marker],
    ]
    new, result = apply_commit(state, payload)
    assert result["ok"] and result["session_ended"]
    assert new["values"]["cmi.location"] == marker


def test_collection_limits_match_python(page):
    """The JavaScript model refuses an entry beyond a collection's SPM as Python does."""
    for case_id, _version, state, calls in caselib.count_limit_cases():
        got = run_js(page, state, calls)
        assert got == caselib.expected(calls) == caselib.run_python(state, calls), case_id
