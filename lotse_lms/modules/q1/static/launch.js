/* Run-time host page on the content origin: install the SCORM API, then load the SCO.
 * The API must exist before the SCO frame gets its src, or the SCO would not find it. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("lotse-launch").textContent);
  var frame = document.getElementById("lotse-sco");
  var box = document.getElementById("lotse-message");

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

  var rt = LotseScormRuntime.install(window, {
    version: cfg.version, table: cfg.table, state: cfg.state, commitUrl: cfg.commitUrl,
    autoCommitSeconds: cfg.autoCommitSeconds,
    onTerminate: function (info) {
      tell("terminated", {nav: info.runtime.values["adl.nav.request"] || ""});
    },
    onCommitError: function (result) {
      var text = (result && result.message) || cfg.messages.refused;
      if (window.parent === window) { show(text); }  // framed: the player shows it
      tell("commit-error", {message: text, error: (result && result.error) || ""});
    }
  });
  window.lotseRuntime = rt;  // for diagnostics and the browser tests
  frame.src = cfg.contentUrl;
})();
