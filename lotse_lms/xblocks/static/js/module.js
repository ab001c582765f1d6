/* lotse_module XBlock: shows one page (introduction, lesson, knowledge check) at a time, marks
 * lessons as read and submits the knowledge check to the server, which grades it. Without this
 * script every page is shown one below the other. All texts come translated from the server. */
function LotseModuleBlock(runtime, element, args) {
  "use strict";

  var wrapper = element.jquery ? element[0] : element; /* the runtime's wrapper around our HTML */
  var root = wrapper.querySelector(".lotse-module") || wrapper;
  var $ = window.jQuery;
  var strings = args.strings;
  var prefix = args.prefix;
  var state = { progress: args.progress, passed: !!(args.progress.result && args.progress.result.passed) };

  function byId(suffix) { return document.getElementById(prefix + "-" + suffix); }
  function all(selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, name) { return name in values ? values[name] : match; });
  }
  function number(n) { return String(Math.round(n * 100) / 100).replace(".", strings.decimalSeparator); }

  function post(handler, data, done, fail) {
    $.ajax({
      type: "POST",
      url: runtime.handlerUrl(element, handler),
      data: JSON.stringify(data),
      contentType: "application/json; charset=utf-8",
      dataType: "json"
    }).done(done).fail(function (xhr) {
      var message = (xhr.responseJSON && xhr.responseJSON.error) || strings.networkError;
      fail(message);
    });
  }

  /* Pages ------------------------------------------------------------------------------------ */
  function show(key, anchor, quiet) {
    all(".lotse-page").forEach(function (page) {
      page.classList.toggle("is-active", page.getAttribute("data-lotse-key") === key);
    });
    all(".lotse-nav a").forEach(function (link) {
      if (link.getAttribute("data-lotse-page") === key) { link.setAttribute("aria-current", "page"); }
      else { link.removeAttribute("aria-current"); }
    });
    var target = anchor ? document.getElementById(anchor) : byId(key);
    if (target && !quiet) {
      if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
    }
  }

  function startPage() {
    var seen = state.progress.seen;
    if (state.progress.result) { return "wissenscheck"; }
    if (!seen.length) { return args.pages[0]; }
    for (var i = 1; i < args.pages.length - 1; i++) {
      if (seen.indexOf(args.pages[i]) < 0) { return args.pages[i]; }
    }
    return "wissenscheck";
  }

  root.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-lotse-page]");
    if (link && root.contains(link)) {
      event.preventDefault();
      var hash = (link.getAttribute("href") || "").replace(/^#/, "");
      var key = link.getAttribute("data-lotse-page");
      show(key, hash && hash !== prefix + "-" + key ? hash : null);
      return;
    }
    var next = event.target.closest("button[data-lotse-next]");
    if (!next || !root.contains(next)) { return; }
    var lesson = next.getAttribute("data-lotse-done");
    if (!lesson) { show(next.getAttribute("data-lotse-next")); return; }
    next.disabled = true;
    post("mark_lesson_seen", { lesson: lesson }, function (progress) {
      next.disabled = false;
      updateProgress(progress);
      show(next.getAttribute("data-lotse-next"));
    }, function (message) {
      next.disabled = false;
      window.alert(message);
    });
  });

  function updateProgress(progress) {
    state.progress = progress;
    all("[data-lotse-seen]").forEach(function (mark) {
      mark.hidden = progress.seen.indexOf(mark.getAttribute("data-lotse-seen")) < 0;
    });
    var box = byId("progress");
    box.querySelector(".lotse-progress-lessons").textContent =
      format(strings.lessonsSeen, { seen: progress.seen.length, total: progress.lessons });
    box.querySelector("progress").value = progress.completion;
  }

  /* Knowledge check -------------------------------------------------------------------------- */
  var form = root.querySelector(".lotse-quiz");
  var resultBox = byId("result");
  var errorLine = form.querySelector(".lotse-error");
  var submit = form.querySelector(".lotse-submit");
  var retry = resultBox.querySelector(".lotse-retry");

  function questions() { return all(".lotse-question"); }

  function selected(fieldset) {
    return Array.prototype.slice.call(fieldset.querySelectorAll("input:checked")).map(function (input) {
      return input.value;
    });
  }

  function showResult(result) {
    result.questions.forEach(function (q) {
      var box = byId("frage-" + q.id);
      box.classList.remove("is-missing", "is-correct", "is-wrong");
      box.classList.add(q.correct ? "is-correct" : "is-wrong");
      var line = box.querySelector(".lotse-question-result");
      line.textContent = q.correct ? strings.questionRight : strings.questionWrong;
      line.hidden = false;
      q.answers.forEach(function (a) {
        var verdict = a.chosen ? (a.correct ? strings.chosenRight : strings.chosenWrong)
          : (a.correct ? strings.missedRight : strings.notChosenRight);
        var ok = a.chosen === a.correct;
        var fb = byId(q.id + "-" + a.letter + "-fb");
        fb.className = "lotse-feedback " + (ok ? "is-correct" : "is-wrong");
        fb.innerHTML = "";
        var label = document.createElement("span");
        label.className = "lotse-feedback-verdict";
        label.textContent = verdict;
        fb.appendChild(label);
        var text = document.createElement("span");
        text.innerHTML = " " + a.feedback; /* rendered by the server's Markdown renderer, raw HTML off */
        fb.appendChild(text);
        fb.hidden = false;
        var input = byId(q.id + "-" + a.letter);
        input.checked = a.chosen;
        input.disabled = true;
      });
    });
    submit.disabled = true;
    resultBox.className = "lotse-result " + (result.passed ? "is-passed" : "is-failed");
    resultBox.querySelector(".lotse-score").textContent =
      format(strings.score, { right: result.right, total: result.total, percent: number(result.percent) });
    resultBox.querySelector(".lotse-verdict").textContent = result.passed ? strings.passed
      : format(strings.failed, { passing: number(args.passing) });
    retry.hidden = result.passed;
    resultBox.hidden = false;
  }

  function reset() {
    questions().forEach(function (box) {
      box.classList.remove("is-correct", "is-wrong", "is-missing");
      box.querySelector(".lotse-question-result").hidden = true;
      Array.prototype.slice.call(box.querySelectorAll("input")).forEach(function (input) {
        input.checked = false;
        input.disabled = false;
      });
      Array.prototype.slice.call(box.querySelectorAll(".lotse-feedback")).forEach(function (fb) { fb.hidden = true; });
    });
    submit.disabled = false;
    resultBox.hidden = true;
    errorLine.hidden = true;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = {}, missing = [], first = null;
    questions().forEach(function (box, i) {
      var chosen = selected(box);
      answers[box.getAttribute("data-question")] = chosen;
      box.classList.toggle("is-missing", !chosen.length);
      if (!chosen.length) { missing.push(i + 1); first = first || box; }
    });
    if (missing.length) {
      errorLine.textContent = format(strings.missing, { numbers: missing.join(", ") });
      errorLine.hidden = false;
      first.querySelector("input").focus();
      return;
    }
    errorLine.hidden = true;
    submit.disabled = true;
    post("submit_check", { answers: answers }, function (progress) {
      updateProgress(progress);
      showResult(progress.result);
      resultBox.focus();
    }, function (message) {
      submit.disabled = false;
      errorLine.textContent = message;
      errorLine.hidden = false;
    });
  });

  retry.addEventListener("click", function () {
    reset();
    form.querySelector("input").focus();
  });

  if (state.progress.result) { showResult(state.progress.result); }
  root.classList.add("lotse-js");
  show(startPage(), null, true);
  root.setAttribute("data-lotse-ready", "1");
}
