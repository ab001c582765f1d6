/* The player (LMS origin): table of contents, previous/next, and the content frame.
 * Launches go through a POST to the LMS (CSRF header); the frame then opens the run-time
 * host page on the content origin, which reports back with postMessage.
 * Packages without sequencing (SCORM 1.2) launch any item and step through the TOC.
 * Sequenced packages (SCORM 2004) send navigation requests (start, continue, choice, ...)
 * and show what the server's sequencer delivers. Before such a request the running SCO
 * is asked to finish (the host page unloads it and waits for its last commit's answer),
 * so the server decides on the SCO's final data; a broken SCO delays this at most
 * cfg.finishTimeout ms.
 * Review mode (cfg.review) opens the package files themselves in the frame, without the
 * run-time, so nothing is recorded. The end of a course (also after "Modul beenden") opens
 * the end page (cfg.endUrl). On phones the contents are a menu that starts closed.
 * "In eigenem Fenster öffnen" hands the module to a window of its own (cfg.windowed there):
 * the SCO running here finishes first, then the window opens the player at the same item,
 * and this page says that the module runs there, with a way back; once that window is
 * closed this page shows the module again. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("player-config").textContent);
  var labels = JSON.parse(document.getElementById("player-labels").textContent);
  var csrf = document.querySelector("input[name=csrf_token]");
  var frame = document.getElementById("player-frame");
  var message = document.getElementById("player-message");
  var note = document.getElementById("player-info");
  var prev = document.getElementById("player-prev");
  var next = document.getElementById("player-next");
  var title = document.getElementById("player-title");
  var tocLinks = document.querySelectorAll(".player-toc a[data-item]");
  var toc = document.getElementById("player-toc");
  var stage = document.getElementById("player-stage");
  var controls = document.querySelectorAll("[data-control]");
  var fullscreen = document.getElementById("player-fullscreen");
  var phone = window.matchMedia ? window.matchMedia("(max-width: 50rem)") : {matches: false};
  var ids = cfg.items.map(function (i) { return i.id; });
  var NAV = ["continue", "previous", "exit", "exitAll", "suspendAll", "abandon", "abandonAll"];
  var current = cfg.start;  // the item shown (or being launched)
  var pending = 0;          // launches answered later than a newer one are ignored
  var refreshes = 0;        // likewise status answers
  var view = cfg.view;      // sequenced: TOC states and what previous/next do now
  var running = false;      // sequenced: a SCO's host page is in the frame, not terminated
  var finishing = null;     // while the host page finishes the SCO: the function going on
  var busy = false;         // sequenced: a navigation request is under way
  var hint = false;         // the message explains a locked item (gone with the next view)

  function say(text) { message.textContent = text || ""; message.hidden = !text; hint = false; }
  function info(text) { note.textContent = text || ""; note.hidden = !text; }
  function index(id) { return ids.indexOf(id); }
  function mark(id) {
    tocLinks.forEach(function (a) {
      if (a.getAttribute("data-item") === id) { a.setAttribute("aria-current", "step"); }
      else { a.removeAttribute("aria-current"); }
    });
    if (!cfg.sequenced || cfg.review) {
      prev.disabled = index(id) <= 0;
      next.disabled = index(id) < 0 || (cfg.review && index(id) >= ids.length - 1);
    }
  }
  function toEnd() {
    if (cfg.windowed && window.opener && !window.opener.closed) {
      window.opener.postMessage({source: "lotse-player", type: "ended"}, window.location.origin);
      window.close();
      return;
    }
    window.location.href = cfg.endUrl;
  }
  function post(body) {
    return fetch(cfg.launchUrl, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : ""},
      body: JSON.stringify(body)
    }).then(function (r) { return r.json(); });
  }
  function show(data) {
    current = data.item;
    title.textContent = data.title;
    mark(current);
    running = cfg.sequenced && !!data.sco;
    frame.src = data.url;
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", (cfg.windowed ? "?fenster=1&item=" : "?item=") +
        encodeURIComponent(current));
    }
  }

  /* ---- packages without sequencing, and review mode ---- */
  function launch(id) {
    if (index(id) < 0) { return; }
    say(""); info("");
    if (cfg.review) {
      current = id;
      mark(id);
      title.textContent = cfg.items[index(id)].title;
      frame.src = cfg.reviewUrls[id];
      return;
    }
    current = id;
    mark(id);
    var mine = ++pending;
    post({item: id}).then(function (data) {
      if (mine !== pending) { return; }
      if (!data.ok) { say(data.message || labels.launchFailed); return; }
      show(data);
      window.setTimeout(refresh, 1500);
    }).catch(function () { say(labels.launchFailed); });
  }
  function step(delta) {
    var i = index(current) + delta;
    if (i >= 0 && i < ids.length) { launch(ids[i]); }
    else if (i >= ids.length && !cfg.review) { toEnd(); }
  }

  /* ---- sequenced packages ---- */
  function finish() {
    if (!running || !frame.contentWindow) { running = false; return Promise.resolve(); }
    return new Promise(function (resolve) {
      var timer = window.setTimeout(done, cfg.finishTimeout || 3000);
      function done() { window.clearTimeout(timer); finishing = null; running = false; resolve(); }
      finishing = done;
      frame.contentWindow.postMessage({source: "lotse-player", type: "finish"}, cfg.contentOrigin);
    });
  }
  function go(body, opts) {
    opts = opts || {};
    if (busy) { return; }
    busy = true;
    prev.disabled = next.disabled = true;  // until the status of the new item arrives
    if (!opts.keep) { say(""); }
    info("");
    var shown = running ? current : null;
    finish().then(function () { return post(body); }).then(function (data) {
      busy = false;
      if (data.end && !opts.opening) { toEnd(); return; }
      if (!data.ok) {
        if (opts.opening) { info(data.message || labels.choose); } else { say(data.message || labels.launchFailed); }
        var back = shown && view && view.toc[shown];
        if (back && !back.locked && !opts.keep) { go({request: "choice", item: shown}, {keep: true}); }
        else { refresh(); }
        return;
      }
      if (data.url) { show(data); }
      else {
        frame.src = "about:blank";
        title.textContent = "";
        mark(null);
        info(data.message || labels.finished);
      }
      refresh();
    }).catch(function () { busy = false; say(labels.launchFailed); applyView(view); });
  }
  function flow(button) {
    if (button && button.enabled) { go({request: button.request, item: button.item}); }
  }
  function navRequest(nav) {
    var target = /^\{target=([^}]+)\}(choice|jump)$/.exec(nav);
    if (target) { return {request: target[2], item: target[1]}; }
    return NAV.indexOf(nav) >= 0 ? {request: nav} : null;
  }
  function setButton(el, button) {
    el.hidden = !!(button && button.hidden);
    el.disabled = !(button && button.enabled);
  }
  function applyView(v) {
    if (!v) { return; }
    if (hint && v !== view) { say(""); }
    view = v;
    document.querySelectorAll(".player-toc li[data-entry]").forEach(function (li) {
      var st = v.toc[li.getAttribute("data-entry")] || {};
      li.hidden = !!st.hidden;
      var a = li.querySelector("a[data-item]");
      if (!a) { return; }
      if (st.locked) {
        a.classList.add("is-locked");
        a.setAttribute("aria-disabled", "true");
        a.title = st.disabled ? labels.locked : labels.notSelectable;
      } else {
        a.classList.remove("is-locked");
        a.removeAttribute("aria-disabled");
        a.removeAttribute("title");
      }
    });
    setButton(prev, v.previous);
    setButton(next, v.next);
    controls.forEach(function (el) {
      var c = (v.controls || {})[el.getAttribute("data-control")];
      el.hidden = !c || c.hidden;
      el.disabled = !(c && c.enabled);
    });
  }

  /* ---- both ---- */
  function badge(st) {
    if (!st) { return ["open", labels.open]; }
    if (st.success === "passed") { return ["done", labels.passed]; }
    if (st.success === "failed") { return ["rejected", labels.failed]; }
    if (st.completion === "completed") { return ["done", labels.completed]; }
    return ["pending", labels.started];
  }
  function showProgress(p) {
    var bar = document.querySelector(".player-toc progress");
    if (!p || !bar) { return; }
    bar.max = p.total || 1;
    bar.value = p.done;
  }
  function refresh() {
    if (cfg.review) { return; }
    var mine = ++refreshes;
    fetch(cfg.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== refreshes) { return; }
        document.querySelectorAll("[data-state-for]").forEach(function (el) {
          var b = badge(data.items[el.getAttribute("data-state-for")]);
          el.innerHTML = "";
          var span = document.createElement("span");
          span.className = "badge badge-" + b[0];
          span.textContent = b[1];
          el.appendChild(span);
        });
        var root = document.querySelector("[data-root-state]");
        if (root) {
          var rb = data.root ? badge(data.root) : ["open", labels.open];
          root.innerHTML = "";
          var rs = document.createElement("span");
          rs.className = "badge badge-" + rb[0];
          rs.textContent = rb[1];
          root.appendChild(rs);
        }
        showProgress(data.progress);
        applyView(data.sequencing);
      }).catch(function () { applyView(view); });
  }
  function terminated(nav) {
    if (cfg.sequenced) {
      if (finishing) { return; }  // the player's own request comes next
      running = false;
      var request = navRequest(nav);
      if (request) { go(request); } else { refresh(); }
      return;
    }
    var choice = /^\{target=([^}]+)\}(choice|jump)$/.exec(nav);
    if (nav === "continue") { window.setTimeout(function () { step(1); }, 300); }
    else if (nav === "previous") { window.setTimeout(function () { step(-1); }, 300); }
    else if (choice) { window.setTimeout(function () { launch(choice[1]); }, 300); }
    else if (nav === "exitAll") { window.setTimeout(toEnd, 300); }
    else if (nav === "suspendAll" || nav === "exit") {
      window.setTimeout(function () { frame.src = "about:blank"; say(""); info(labels.finished); refresh(); }, 300);
    } else { window.setTimeout(refresh, 800); }
  }

  tocLinks.forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      if (popup && !popup.closed) { popup.focus(); return; }
      var id = a.getAttribute("data-item");
      if (phone.matches) { toc.open = false; }
      if (!cfg.sequenced || cfg.review) { launch(id); return; }
      if (a.getAttribute("aria-disabled") === "true") { say(a.title); hint = true; return; }
      go({request: "choice", item: id});
    });
  });
  var sequenced = cfg.sequenced && !cfg.review;
  prev.addEventListener("click", function () {
    if (sequenced) { flow(view && view.previous); } else { step(-1); }
  });
  next.addEventListener("click", function () {
    if (sequenced) { flow(view && view.next); } else { step(1); }
  });
  controls.forEach(function (el) {
    el.addEventListener("click", function () {
      var name = el.getAttribute("data-control");
      if (/^abandon/.test(name) && !window.confirm(labels.confirmAbandon)) { return; }
      go({request: name});
    });
  });
  if (fullscreen && document.fullscreenEnabled && stage.requestFullscreen) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { stage.requestFullscreen(); }
    });
  }
  /* ---- its own window ---- */
  var box = document.getElementById("player");
  var windowButton = document.getElementById("player-window");
  var popup = null;
  function release() {  // finish the SCO in the frame (its last data saved), then empty it
    var src = frame.getAttribute("src");
    if (cfg.review || !frame.contentWindow || !src || src === "about:blank") { return Promise.resolve(); }
    return new Promise(function (resolve) {
      var timer = window.setTimeout(done, cfg.finishTimeout || 3000);
      function done() {
        window.clearTimeout(timer);
        finishing = null;
        running = false;
        frame.src = "about:blank";
        resolve();
      }
      finishing = done;
      frame.contentWindow.postMessage({source: "lotse-player", type: "finish"}, cfg.contentOrigin);
    });
  }
  function watch() {  // no event tells of a closed window: look once a second
    var timer = window.setInterval(function () {
      if (!popup) { window.clearInterval(timer); }  // the module ended there: the end page comes
      else if (popup.closed) { window.clearInterval(timer); window.location.replace(window.location.pathname); }
    }, 1000);
  }
  function openWindow() {
    popup = window.open("about:blank", "lotse-q1-" + cfg.launchUrl.replace(/\W+/g, "-"));
    if (!popup) { say(labels.popupBlocked); return; }
    say(""); info("");
    box.classList.add("is-away");
    document.getElementById("player-away").hidden = false;
    release().then(function () {
      popup.location.href = cfg.windowUrl + "&item=" + encodeURIComponent(current || "");
      watch();
    });
  }
  function closeWindow() { release().then(function () { window.close(); }); }
  if (windowButton) {
    windowButton.hidden = false;
    windowButton.addEventListener("click", cfg.windowed ? closeWindow : openWindow);
  }
  document.getElementById("player-away-focus").addEventListener("click", function () {
    if (popup && !popup.closed) { popup.focus(); }
  });
  document.getElementById("player-away-back").addEventListener("click", function () {
    if (popup && !popup.closed) {
      popup.postMessage({source: "lotse-player", type: "come-back"}, window.location.origin);
    } else { window.location.replace(window.location.pathname); }
  });
  window.addEventListener("message", function (ev) {  // between this page and its window
    var msg = ev.data || {};
    if (ev.origin !== window.location.origin || msg.source !== "lotse-player") { return; }
    if (cfg.windowed && ev.source === window.opener && msg.type === "come-back") { closeWindow(); }
    else if (popup && ev.source === popup && msg.type === "ended") {
      popup = null;
      window.location.href = cfg.endUrl;
    }
  });
  /* The contents: a sidebar on wide screens (always open), a menu on phones (closed). */
  function layout() {
    document.body.classList.toggle("q1-playing", phone.matches);
    toc.open = !phone.matches;
  }
  toc.querySelector("summary").addEventListener("click", function (ev) {
    if (!phone.matches) { ev.preventDefault(); }
  });
  layout();
  if (phone.addEventListener) { phone.addEventListener("change", layout); }
  window.addEventListener("message", function (ev) {
    if (ev.origin !== cfg.contentOrigin || ev.source !== frame.contentWindow) { return; }
    var msg = ev.data || {};
    if (msg.source !== "lotse-scorm") { return; }
    if (msg.type === "commit-error") { say(msg.message); }
    else if (msg.type === "finished") { if (finishing) { finishing(); } }
    else if (msg.type === "committed") { refresh(); }
    else if (msg.type === "terminated") { terminated(msg.nav || ""); }
  });
  if (sequenced) {
    applyView(view);
    if (cfg.open) { go(cfg.open, {opening: true}); } else { info(labels.choose); }
  } else {
    launch(cfg.start);
  }
})();
