/* SCO run-time of the OM-Lotse Q1 packages (SCORM 1.2 and SCORM 2004 4th Edition).
 * Finds the LMS API by the standard discovery algorithm, keeps a bookmark and state,
 * reports completion and session time, and ends the session exactly once on page exit.
 * Without an LMS (or in reference view) the page works as a plain web page. */
(function () {
  "use strict";

  var root = document.documentElement;
  var STANDARD = root.getAttribute("data-scorm") === "2004" ? "2004" : "1.2";
  var KIND = root.getAttribute("data-sco") || "lesson";
  var REFERENCE = /(^|[?&])ansicht=referenz(&|$)/.test(window.location.search.slice(1));
  var API_NAME = STANDARD === "2004" ? "API_1484_11" : "API";
  var MAX_PARENTS = STANDARD === "2004" ? 500 : 7;

  var NAMES = STANDARD === "2004" ? {
    location: "cmi.location", suspend: "cmi.suspend_data", entry: "cmi.entry", exit: "cmi.exit",
    session: "cmi.session_time", raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max",
    mastery: "cmi.scaled_passing_score", completion: "cmi.completion_status"
  } : {
    location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", entry: "cmi.core.entry",
    exit: "cmi.core.exit", session: "cmi.core.session_time", raw: "cmi.core.score.raw",
    min: "cmi.core.score.min", max: "cmi.core.score.max", mastery: "cmi.student_data.mastery_score",
    completion: "cmi.core.lesson_status"
  };

  /* Climb the parent chain of win looking for the API object (cross-origin frames are skipped). */
  function scan(win) {
    var tries = 0;
    while (win) {
      try {
        if (win[API_NAME]) { return win[API_NAME]; }
      } catch (e) { /* a foreign-origin frame: keep climbing */ }
      if (!win.parent || win.parent === win || tries++ > MAX_PARENTS) { return null; }
      win = win.parent;
    }
    return null;
  }

  /* The discovery algorithm: this window's parents, then the opener's (and top's opener's) parents. */
  function findApi() {
    var api = scan(window);
    var openers = [];
    try { openers.push(window.opener); } catch (e) { /* ignore */ }
    try { openers.push(window.top.opener); } catch (e) { /* ignore */ }
    for (var i = 0; !api && i < openers.length; i++) {
      if (openers[i]) { api = scan(openers[i]); }
    }
    return api;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* Session time in the version's format: HH:MM:SS.SS (1.2) or an ISO 8601 duration (2004). */
  function formatDuration(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    if (STANDARD === "2004") { return "PT" + h + "H" + m + "M" + s.toFixed(2) + "S"; }
    var sec = Math.floor(s), frac = Math.round((s - sec) * 100);
    return pad(Math.min(h, 9999)) + ":" + pad(m) + ":" + pad(sec) + "." + pad(frac);
  }

  var api = REFERENCE ? null : findApi();
  var started = false, finished = false, startTime = Date.now();
  var doneState = false;

  var lms = {
    standard: STANDARD,
    available: false,
    /* Call Initialize/LMSInitialize once. */
    start: function () {
      if (!api || started) { return lms.available; }
      started = true;
      var ok = STANDARD === "2004" ? api.Initialize("") : api.LMSInitialize("");
      lms.available = String(ok) === "true";
      startTime = Date.now();
      return lms.available;
    },
    /* Read a data model element (by logical name or full cmi name); "" without an LMS. */
    get: function (key) {
      if (!lms.available) { return ""; }
      var name = NAMES[key] || key;
      var value = STANDARD === "2004" ? api.GetValue(name) : api.LMSGetValue(name);
      return value === null || value === undefined ? "" : String(value);
    },
    /* Write a data model element; returns true when the LMS accepted it. */
    set: function (key, value) {
      if (!lms.available || finished) { return false; }
      var name = NAMES[key] || key;
      var ok = STANDARD === "2004" ? api.SetValue(name, String(value)) : api.LMSSetValue(name, String(value));
      return String(ok) === "true";
    },
    commit: function () {
      if (!lms.available || finished) { return false; }
      return String(STANDARD === "2004" ? api.Commit("") : api.LMSCommit("")) === "true";
    },
    /* Mark the SCO as done (completed lesson, passed quiz): the session ends with a normal exit. */
    setDone: function (done) { doneState = !!done; },
    isDone: function () { return doneState; },
    /* Session time, exit mode, commit and Terminate/LMSFinish, exactly once. */
    finish: function () {
      if (!lms.available || finished) { return; }
      lms.set("session", formatDuration(Date.now() - startTime));
      lms.set("exit", doneState ? (STANDARD === "2004" ? "normal" : "") : "suspend");
      lms.commit();
      finished = true;
      if (STANDARD === "2004") { api.Terminate(""); } else { api.LMSFinish(""); }
    },
    /* Read the JSON state this SCO keeps in suspend data ({} if none or unreadable). */
    loadState: function () {
      try { return JSON.parse(lms.get("suspend") || "{}") || {}; } catch (e) { return {}; }
    },
    saveState: function (state) { lms.set("suspend", JSON.stringify(state)); },
    /* Mark the attempt as started but not finished, unless it already has a status. */
    markIncomplete: function () {
      var status = lms.get("completion");
      if (status === "" || status === "not attempted" || status === "unknown") { lms.set("completion", "incomplete"); }
    },
    markCompleted: function () {
      var status = lms.get("completion");
      if (STANDARD === "2004" || (status !== "passed" && status !== "failed")) { lms.set("completion", "completed"); }
    },
    formatDuration: formatDuration
  };

  function notice(text) {
    var box = document.getElementById("lotse_notice");
    if (box) { box.textContent = text; }
  }

  var exitHandled = false;
  function onExit() {
    if (exitHandled) { return; }
    exitHandled = true;
    if (window.LotseSCO.beforeExit) { window.LotseSCO.beforeExit(); }
    lms.finish();
  }
  window.addEventListener("pagehide", onExit);
  window.addEventListener("beforeunload", onExit);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { lms.commit(); }
  });

  /* ---- lessons: bookmark (section + offset); completion once the end marker was reached
   * and the learner spent the module's share (data-lotse-reading, percent) of the lesson's
   * estimated minutes (data-lotse-minutes) on it, counted while the page is visible and kept
   * across sessions in suspend data (state.t seconds, state.e end reached) ---- */
  function currentSection() {
    var heads = document.querySelectorAll(".content h2[id], .content h3[id]");
    var line = window.innerHeight / 3, found = null;
    for (var i = 0; i < heads.length; i++) {
      if (heads[i].getBoundingClientRect().top <= line) { found = heads[i]; } else { break; }
    }
    return found;
  }

  function lesson() {
    var state = lms.loadState();
    var end = document.getElementById("lotse_end");
    var timer = null;
    var article = document.querySelector("[data-lotse-minutes]");
    var needed = article ? Math.round(parseFloat(article.getAttribute("data-lotse-minutes")) * 60 *
      parseFloat(article.getAttribute("data-lotse-reading")) / 100) || 0 : 0;
    var TICK = 5;
    state.t = state.t || 0;
    if (state.done) { lms.setDone(true); }
    lms.markIncomplete();

    function bookmark() {
      timer = null;
      var section = currentSection();
      var top = section ? section.getBoundingClientRect().top + window.pageYOffset : 0;
      state.s = section ? section.id : "";
      state.o = Math.round(window.pageYOffset - top);
      lms.set("location", (state.s || "anfang").slice(0, 255));
      lms.saveState(state);
    }
    window.LotseSCO.beforeExit = bookmark;

    function endStatus(text) {
      var status = document.getElementById("lotse_end_status");
      if (status && lms.available) { status.textContent = text; }
    }

    function complete() {
      if (state.done) { return; }
      if (state.t < needed) {
        endStatus("Diese Lektion zählt als abgeschlossen, sobald Sie sich etwa " + Math.ceil(needed / 60) +
          " Minuten mit ihr beschäftigt haben (bisher " + Math.floor(state.t / 60) + ").");
        return;
      }
      state.done = 1;
      lms.setDone(true);
      lms.markCompleted();
      lms.saveState(state);
      lms.commit();
      endStatus("Diese Lektion ist als abgeschlossen gespeichert.");
    }

    function check() {
      if (end && end.getBoundingClientRect().top < window.innerHeight) { state.e = 1; }
      if (state.e) { complete(); }
    }

    window.setInterval(function () {
      if (state.done || document.visibilityState !== "visible") { return; }
      state.t += TICK;
      if (state.e) { check(); }
      if (state.t % 30 === 0) { lms.saveState(state); }
    }, TICK * 1000);

    function restore() {
      var target = state.s ? document.getElementById(state.s) : null;
      var location = lms.get("location");
      if (!target && location && location !== "anfang") { target = document.getElementById(location); }
      if (target) {
        var y = target.getBoundingClientRect().top + window.pageYOffset + (state.o || 0);
        window.scrollTo(0, Math.max(0, y));
        notice("Willkommen zurück – Sie lesen dort weiter, wo Sie aufgehört haben.");
      } else if (location === "anfang" && state.o) {
        window.scrollTo(0, state.o);
      }
      window.addEventListener("scroll", function () {
        if (!timer) { timer = window.setTimeout(bookmark, 400); }
        check();
      }, { passive: true });
      window.addEventListener("resize", check);
      check();
      root.setAttribute("data-lotse-ready", "1");
    }

    if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
  }

  window.LotseSCO = { lms: lms, notice: notice, reference: REFERENCE, beforeExit: null };

  var initialized = false;
  function init() {
    if (initialized) { return; }
    initialized = true;
    if (REFERENCE) {
      notice("Nachschlage-Ansicht: Hier wird kein Lernfortschritt gespeichert.");
    } else if (!lms.start()) {
      notice("Ohne Lernplattform geöffnet: Sie können alles lesen und den Wissenscheck üben, der Fortschritt wird aber nicht gespeichert.");
    }
    if (KIND === "lesson") { lesson(); }
    if (KIND === "quiz" && window.LotseQuiz) { window.LotseQuiz.init(window.LotseSCO); }
  }

  /* Deferred scripts run before DOMContentLoaded, so quiz.js (loaded after this file) is ready by then. */
  if (document.readyState === "complete") { init(); } else {
    document.addEventListener("DOMContentLoaded", init);
    window.addEventListener("load", init);
  }
}());
