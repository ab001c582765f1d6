/* The SCORM API objects window.API (1.2) and window.API_1484_11 (2004) for lotse_lms.
 *
 * Load runtime-types.js, runtime-model.js and this file, then:
 *   var rt = LotseScormRuntime.install(window, {
 *     version: "1.2" | "2004",
 *     table: <datamodel-12.json or datamodel-2004.json, parsed>,
 *     state: <client_state(state) from the server>,
 *     base: "<stored state as JSON text>" | null,  // sent back with the next commit
 *     commitUrl: "/q1/runtime/commit/...", headers: {"X-CSRFToken": "..."},
 *     autoCommitSeconds: 30,            // 0 = off; only sends when calls are unacknowledged
 *     onTerminate: function (info) {},  // after Terminate/LMSFinish succeeded
 *     onCommitError: function (result) {},  // the server refused a commit (fatal)
 *     transport: function (request) {}  // injectable; returns a Promise of the JSON result
 *   });
 * Every call is validated here synchronously (same rules as the Python model). Commit
 * sends the payload described in lotse_lms/scorm/datamodel/commit.py; Terminate and
 * page close (pagehide, beforeunload, visibilitychange to hidden) send with keepalive.
 * Each accepted commit's answer may carry "base", the state the server stored; sent back
 * with the next commit, it spares the server a read (it checks it against the row). */
(function (root) {
  "use strict";
  var NS = root.LotseScormRuntime = root.LotseScormRuntime || {};
  var KEEPALIVE_LIMIT = 60000;  // browsers cap keepalive bodies at 64 KiB (bytes) in total
  var NAMES = {
    "1.2": ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
      "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"],
    "2004": ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError",
      "GetErrorString", "GetDiagnostic"]
  };
  var STATE_CODES = {
    "1.2": {terminate: ["301", "301"], get: ["301", "301"], set: ["301", "301"],
      commit: ["301", "301"], init: ["101", "101"], commitFail: "101", termFail: "101"},
    "2004": {terminate: ["112", "113"], get: ["122", "123"], set: ["132", "133"],
      commit: ["142", "143"], init: ["103", "104"], commitFail: "391", termFail: "111"}
  };

  function str(x) { return x === undefined || x === null ? "" : String(x); }
  function copyValues(values) {
    var out = {};
    for (var k in values) { if (Object.prototype.hasOwnProperty.call(values, k)) { out[k] = values[k]; } }
    return out;
  }

  function byteLength(text) { return new root.TextEncoder().encode(text).length; }

  /* Browsers count the bodies of all keepalive requests still in flight from a page
   * against one 64 KiB allowance and refuse a request that would exceed it: a flush when
   * the tab is hidden, followed by Terminate, must not lose the final commit. */
  var keepaliveBytes = 0;

  function fetchTransport(request) {
    var body = JSON.stringify(request.payload);
    var room = KEEPALIVE_LIMIT - keepaliveBytes;
    var bytes = request.keepalive ? byteLength(body) : 0;
    if (bytes >= room && request.payload.base) {
      var lean = {};  // the base is only a shortcut: leave it out to keep keepalive
      for (var key in request.payload) { if (key !== "base") { lean[key] = request.payload[key]; } }
      body = JSON.stringify(lean);
      bytes = byteLength(body);
    }
    var keepalive = !!request.keepalive && bytes < room;  // else a plain request, still sent
    var headers = {"Content-Type": "application/json"};
    for (var k in (request.headers || {})) { headers[k] = request.headers[k]; }
    if (keepalive) { keepaliveBytes += bytes; }
    return root.fetch(request.url, {
      method: "POST", headers: headers, body: body, credentials: "same-origin",
      keepalive: keepalive
    }).then(function (response) { return response.json(); }).finally(function () {
      if (keepalive) { keepaliveBytes -= bytes; }
    });
  }

  /* One SCO session: the API semantics plus the commit queue. */
  function Runtime(options) {
    var state = options.state;
    this.version = options.version || state.version;
    if (this.version !== state.version || this.version !== options.table.version) {
      throw new Error("LotseScormRuntime: version, state and table disagree");
    }
    this.options = options;
    this.table = options.table;
    this.state = state;
    this.values = copyValues(state.values);
    this.model = new NS.DataModel(this.table, this.values, state.limits, state.shared_access);
    this.codes = STATE_CODES[this.version];
    this.initialized = false;
    this.terminated = false;
    this.error = "0";
    this.diagnostic = "";
    this.log = [];           // successful SetValue calls not yet acknowledged
    this.logBase = 0;        // absolute number of the first call in log
    this.sentEnd = 0;        // absolute end of the calls already sent once
    this.sequence = state.sequence;
    this.ackedSequence = state.sequence;
    this.base = options.base || null;  // the state the server last acknowledged, as JSON text
    this.inFlight = 0;
    this.fatal = null;
    this.terminateAcked = false;
  }
  var R = Runtime.prototype;

  R.ok = function (result) { this.error = "0"; this.diagnostic = ""; return result; };
  R.failed = function (code, diagnostic, result) {
    this.error = code; this.diagnostic = diagnostic; return result;
  };
  R.stateError = function (kind) {
    if (this.terminated) { return this.codes[kind][1]; }
    if (!this.initialized) { return this.codes[kind][0]; }
    return null;
  };
  R.initialize = function (arg) {
    if (this.terminated) { return this.failed(this.codes.init[1], "the session has already been terminated", "false"); }
    if (this.initialized) { return this.failed(this.codes.init[0], "the session is already initialized", "false"); }
    if (str(arg) !== "") { return this.failed("201", "the argument must be the empty string", "false"); }
    this.initialized = true;
    return this.ok("true");
  };
  R.terminate = function (arg) {
    var code = this.stateError("terminate");
    if (code) { return this.failed(code, "the session is not running", "false"); }
    if (str(arg) !== "") { return this.failed("201", "the argument must be the empty string", "false"); }
    if (this.fatal) { return this.failed(this.codes.termFail, "the server refused an earlier commit", "false"); }
    this.terminated = true;
    this.send({keepalive: true, unload: false});
    var self = this;
    if (this.options.onTerminate) {
      root.setTimeout(function () { self.options.onTerminate({runtime: self}); }, 0);
    }
    return this.ok("true");
  };
  R.commit = function (arg) {
    var code = this.stateError("commit");
    if (code) { return this.failed(code, "the session is not running", "false"); }
    if (str(arg) !== "") { return this.failed("201", "the argument must be the empty string", "false"); }
    if (this.fatal) { return this.failed(this.codes.commitFail, "the server refused an earlier commit", "false"); }
    if (this.hasUnsent() || (this.log.length && !this.inFlight)) { this.send({keepalive: false}); }
    return this.ok("true");
  };
  R.getValue = function (name) {
    var code = this.stateError("get");
    if (code) { return this.failed(code, "the session is not running", ""); }
    try {
      return this.ok(this.model.getValue(str(name)));
    } catch (e) {
      if (!(e instanceof NS.ModelError)) { throw e; }
      return this.failed(e.code, e.diagnostic, "");
    }
  };
  R.setValue = function (name, value) {
    var code = this.stateError("set");
    if (code) { return this.failed(code, "the session is not running", "false"); }
    name = str(name); value = str(value);
    try {
      this.model.setValue(name, value);
    } catch (e) {
      if (!(e instanceof NS.ModelError)) { throw e; }
      return this.failed(e.code, e.diagnostic, "false");
    }
    this.log.push([name, value]);
    return this.ok("true");
  };
  R.getLastError = function () { return this.error; };
  R.getErrorString = function (code) { return this.table.errors[str(code)] || ""; };
  R.getDiagnostic = function (code) {
    code = str(code);
    if (code === "" || code === this.error) {
      return this.diagnostic || this.table.errors[this.error] || "";
    }
    return this.table.errors[code] || "";
  };

  /* ---- commits ---- */
  R.hasUnsent = function () { return this.logBase + this.log.length > this.sentEnd; };
  R.payload = function (unload) {
    var payload = {protocol: 1, version: this.version, attempt: this.state.attempt,
      session: this.state.session, sequence: this.sequence, calls: this.log.slice(),
      terminated: this.terminated, unload: !!unload};
    if (this.base) { payload.base = this.base; }
    return payload;
  };
  R.send = function (opts) {
    var self = this;
    this.sequence += 1;
    var payload = this.payload(opts.unload);
    var end = this.logBase + this.log.length, seq = this.sequence;
    this.sentEnd = end;
    this.inFlight += 1;
    var transport = this.options.transport || fetchTransport;
    var request = {url: this.options.commitUrl, headers: this.options.headers || {},
      payload: payload, keepalive: !!opts.keepalive};
    var promise;
    try {
      promise = Promise.resolve(transport(request));
    } catch (e) {
      promise = Promise.reject(e);
    }
    return promise.then(function (result) {
      self.inFlight -= 1;
      self.onResult(seq, end, payload, result);
      return result;
    }, function (err) {
      self.inFlight -= 1;  // network failure: the calls stay queued and go out again
      self.sentEnd = self.logBase;
      return {ok: false, error: "network", detail: String(err)};
    });
  };
  R.onResult = function (seq, end, payload, result) {
    if (result && result.ok) {
      if (seq > this.ackedSequence) {
        this.ackedSequence = seq;
        var drop = end - this.logBase;
        if (drop > 0) { this.log.splice(0, drop); this.logBase = end; }
        this.base = result.base || null;
        if (payload.terminated) { this.terminateAcked = true; }
      }
      return;
    }
    var error = result && result.error;
    if (error === "stale_sequence" && seq < this.sequence) { return; }  // a newer one is out
    if (error === "session_closed" && this.terminated) { return; }
    this.fatal = result || {ok: false, error: "no_result"};
    if (this.options.onCommitError) { this.options.onCommitError(this.fatal); }
  };
  /* Send what is not acknowledged yet with keepalive (page hidden or closing). */
  R.flush = function (unload) {
    if (!this.initialized || this.fatal) { return null; }
    if (this.terminated) {
      return this.hasUnsent() ? this.send({keepalive: true, unload: unload}) : null;
    }
    if (this.log.length) { return this.send({keepalive: true, unload: unload}); }
    return null;
  };
  R.autoCommit = function () {
    if (!this.initialized || this.terminated || this.fatal) { return null; }
    if (this.hasUnsent() || (this.log.length && !this.inFlight)) { return this.send({keepalive: false}); }
    return null;
  };

  function buildApi(rt) {
    var names = NAMES[rt.version];
    var impl = [rt.initialize, rt.terminate, rt.getValue, rt.setValue, rt.commit,
      rt.getLastError, rt.getErrorString, rt.getDiagnostic];
    var api = {version: rt.version === "2004" ? "1.0" : "3.4"};
    names.forEach(function (name, i) {
      api[name] = function () { return impl[i].apply(rt, arguments); };
    });
    return api;
  }

  /* Install window.API or window.API_1484_11 on win; returns the Runtime. */
  NS.install = function (win, options) {
    var rt = new Runtime(options);
    rt.api = buildApi(rt);
    win[rt.version === "2004" ? "API_1484_11" : "API"] = rt.api;
    var seconds = options.autoCommitSeconds === undefined ? 30 : options.autoCommitSeconds;
    if (seconds > 0) {
      rt.timer = win.setInterval(function () { rt.autoCommit(); }, seconds * 1000);
    }
    win.addEventListener("pagehide", function () { rt.flush(true); });
    win.addEventListener("beforeunload", function () { if (rt.hasUnsent()) { rt.flush(false); } });
    if (win.document) {
      win.document.addEventListener("visibilitychange", function () {
        if (win.document.visibilityState === "hidden" && rt.hasUnsent()) { rt.flush(false); }
      });
    }
    return rt;
  };
  NS.Runtime = Runtime;
  NS.fetchTransport = fetchTransport;
})(typeof window !== "undefined" ? window : globalThis);
