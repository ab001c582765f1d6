/* Run-time host page on the content origin: install the SCORM API, then load the SCO.
 * The API must exist before the SCO frame gets its src, or the SCO would not find it.
 *
 * Messages to the player (LMS origin): "terminated" (with the SCO's adl.nav.request) and
 * "commit-error" as before; "committed" after a commit that changed the sequencing state
 * (the player refreshes its TOC); "finished" answers the player's "finish": the SCO frame
 * is unloaded (so the SCO terminates) and every commit has been answered. "terminated"
 * also waits for the answers, so the server has the SCO's last data before the player
 * sends the navigation request that follows. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("lotse-launch").textContent);
  var frame = document.getElementById("lotse-sco");
  var box = document.getElementById("lotse-message");
  var inflight = [];  // commits sent and not answered yet
  var rt = null;

  function tell(type, data) {
    if (window.parent === window) { return; }
    var msg = {source: "lotse-scorm", type: type, item: cfg.item};
    for (var k in data) { if (Object.prototype.hasOwnProperty.call(data, k)) { msg[k] = data[k]; } }
    window.parent.postMessage(msg, cfg.lmsOrigin);
  }
  function show(text) {
    box.textContent = text;
    box.hidden = false;
    document.body.className = "has-message";
  }
  /* The commit transport: the default fetch, remembering what is in flight and taking the
   * sequencer's new adl.nav.request_valid values from the answer. */
  function transport(request) {
    var sent = LotseScormRuntime.fetchTransport(request);
    inflight.push(sent);
    function drop() { var i = inflight.indexOf(sent); if (i >= 0) { inflight.splice(i, 1); } }
    sent.then(function (result) {
      drop();
      if (result && result.ok && result.nav_valid && rt) {
        for (var key in result.nav_valid) {
          if (Object.prototype.hasOwnProperty.call(result.nav_valid, key)) {
            rt.values["adl.nav.request_valid." + key] = result.nav_valid[key];
          }
        }
        tell("committed", {});
      }
    }, drop);
    return sent;
  }
  /* Resolves once no commit is in flight (commits sent meanwhile included). */
  function settled() {
    if (!inflight.length) { return Promise.resolve(); }
    return Promise.all(inflight.map(function (p) { return p.catch(function () {}); })).then(settled);
  }
  function finish() {
    var done = false;
    function unloaded() {
      if (done) { return; }
      done = true;
      if (rt.initialized && !rt.terminated) { rt.flush(false); }  // a SCO that never terminates
      settled().then(function () { tell("finished", {}); });
    }
    frame.addEventListener("load", unloaded);
    window.setTimeout(unloaded, 1000);
    frame.src = "about:blank";  // the SCO's unload handler calls Terminate
  }

  rt = LotseScormRuntime.install(window, {
    version: cfg.version, table: cfg.table, state: cfg.state, base: cfg.base, commitUrl: cfg.commitUrl,
    autoCommitSeconds: cfg.autoCommitSeconds,
    transport: transport,
    onTerminate: function (info) {
      var nav = info.runtime.values["adl.nav.request"] || "";
      settled().then(function () { tell("terminated", {nav: nav}); });
    },
    onCommitError: function (result) {
      var text = (result && result.message) || cfg.messages.refused;
      if (window.parent === window) { show(text); }  // framed: the player shows it
      tell("commit-error", {message: text, error: (result && result.error) || ""});
    }
  });
  window.lotseRuntime = rt;  // for diagnostics and the browser tests
  window.addEventListener("message", function (ev) {
    if (ev.source !== window.parent || ev.origin !== cfg.lmsOrigin) { return; }
    var msg = ev.data || {};
    if (msg.source === "lotse-player" && msg.type === "finish") { finish(); }
  });
  frame.src = cfg.contentUrl;
})();
