/* The player (LMS origin): table of contents, previous/next, and the content frame.
 * Launches go through a POST to the LMS (CSRF header); the frame then opens the run-time
 * host page on the content origin, which reports back with postMessage. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("player-config").textContent);
  var labels = JSON.parse(document.getElementById("player-labels").textContent);
  var csrf = document.querySelector("input[name=csrf_token]");
  var frame = document.getElementById("player-frame");
  var message = document.getElementById("player-message");
  var prev = document.getElementById("player-prev");
  var next = document.getElementById("player-next");
  var title = document.getElementById("player-title");
  var ids = cfg.items.map(function (i) { return i.id; });
  var current = cfg.start;  // the item shown (or being launched)
  var pending = 0;          // launches answered later than a newer one are ignored

  var note = document.getElementById("player-info");
  function say(text) { message.textContent = text || ""; message.hidden = !text; }
  function info(text) { note.textContent = text || ""; note.hidden = !text; }
  function index(id) { return ids.indexOf(id); }
  function mark(id) {
    document.querySelectorAll(".player-toc a[data-item]").forEach(function (a) {
      if (a.getAttribute("data-item") === id) { a.setAttribute("aria-current", "step"); }
      else { a.removeAttribute("aria-current"); }
    });
    prev.disabled = index(id) <= 0;
    next.disabled = index(id) < 0 || index(id) >= ids.length - 1;
  }
  function launch(id) {
    if (index(id) < 0) { return; }
    say(""); info("");
    current = id;
    mark(id);
    var mine = ++pending;
    fetch(cfg.launchUrl, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : ""},
      body: JSON.stringify({item: id})
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (mine !== pending) { return; }
      if (!data.ok) { say(data.message || labels.launchFailed); return; }
      current = data.item;
      title.textContent = data.title;
      mark(current);
      frame.src = data.url;
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "?item=" + encodeURIComponent(current));
      }
      window.setTimeout(refresh, 1500);
    }).catch(function () { say(labels.launchFailed); });
  }
  function badge(st) {
    if (!st) { return ["open", labels.open]; }
    if (st.success === "passed") { return ["done", labels.passed]; }
    if (st.success === "failed") { return ["rejected", labels.failed]; }
    if (st.completion === "completed") { return ["done", labels.completed]; }
    return ["pending", labels.started];
  }
  function refresh() {
    fetch(cfg.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (data) {
        document.querySelectorAll("[data-state-for]").forEach(function (el) {
          var b = badge(data.items[el.getAttribute("data-state-for")]);
          el.innerHTML = "";
          var span = document.createElement("span");
          span.className = "badge badge-" + b[0];
          span.textContent = b[1];
          el.appendChild(span);
        });
      }).catch(function () {});
  }
  function step(delta) {
    var i = index(current) + delta;
    if (i >= 0 && i < ids.length) { launch(ids[i]); }
  }

  document.querySelectorAll(".player-toc a[data-item]").forEach(function (a) {
    a.addEventListener("click", function (ev) { ev.preventDefault(); launch(a.getAttribute("data-item")); });
  });
  prev.addEventListener("click", function () { step(-1); });
  next.addEventListener("click", function () { step(1); });
  window.addEventListener("message", function (ev) {
    if (ev.origin !== cfg.contentOrigin || ev.source !== frame.contentWindow) { return; }
    var msg = ev.data || {};
    if (msg.source !== "lotse-scorm") { return; }
    if (msg.type === "commit-error") { say(msg.message); return; }
    if (msg.type === "terminated") {
      var nav = msg.nav || "";
      var choice = /^\{target=([^}]+)\}(choice|jump)$/.exec(nav);
      if (nav === "continue") { window.setTimeout(function () { step(1); }, 300); }
      else if (nav === "previous") { window.setTimeout(function () { step(-1); }, 300); }
      else if (choice) { window.setTimeout(function () { launch(choice[1]); }, 300); }
      else if (nav === "exitAll" || nav === "suspendAll" || nav === "exit") {
        window.setTimeout(function () { frame.src = "about:blank"; say(""); info(labels.finished); refresh(); }, 300);
      } else { window.setTimeout(refresh, 800); }
    }
  });
  launch(cfg.start);
})();
