/* Knowledge check of the OM-Lotse Q1 packages: scores the form in the browser, shows feedback per
 * answer, reports score, pass/fail and interactions to the LMS (via sco.js), allows a retry. */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function german(n) { return String(Math.round(n * 100) / 100).replace(".", ","); }

  function selected(form, qid) {
    var out = [], inputs = form.querySelectorAll('input[name="' + qid + '"]');
    for (var i = 0; i < inputs.length; i++) { if (inputs[i].checked) { out.push(inputs[i].value); } }
    return out;
  }

  function sameSet(a, b) {
    if (a.length !== b.length) { return false; }
    for (var i = 0; i < a.length; i++) { if (b.indexOf(a[i]) < 0) { return false; } }
    return true;
  }

  /* Score the answers: per question right/wrong, percentage, passed against the threshold. */
  function evaluate(data, answers, passing) {
    var right = 0, perQuestion = {};
    data.questions.forEach(function (q) {
      var ok = sameSet(answers[q.id] || [], q.correct);
      perQuestion[q.id] = ok;
      if (ok) { right++; }
    });
    var pct = data.questions.length ? 100 * right / data.questions.length : 0;
    return { right: right, total: data.questions.length, raw: Math.round(pct * 100) / 100,
      passed: pct + 1e-9 >= passing, perQuestion: perQuestion };
  }

  /* Store score, status and one choice interaction per question in the LMS. */
  function report(lms, data, answers, res) {
    var v2004 = lms.standard === "2004";
    lms.set("min", "0");
    lms.set("max", "100");
    lms.set("raw", String(res.raw));
    var n = parseInt(lms.get("cmi.interactions._count"), 10) || 0;
    var now = new Date();
    data.questions.forEach(function (q) {
      var p = "cmi.interactions." + (n++) + ".";
      var sep = v2004 ? "[,]" : ",";
      lms.set(p + "id", q.id);
      lms.set(p + "type", "choice");
      lms.set(p + "weighting", "1");
      lms.set(p + "correct_responses.0.pattern", q.correct.join(sep));
      if (v2004) {
        lms.set(p + "timestamp", now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) +
          "T" + pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds()));
        lms.set(p + "description", q.prompt.slice(0, 250));
        lms.set(p + "learner_response", (answers[q.id] || []).join(sep));
        lms.set(p + "result", res.perQuestion[q.id] ? "correct" : "incorrect");
      } else {
        lms.set(p + "time", pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds()));
        lms.set(p + "student_response", (answers[q.id] || []).join(sep));
        lms.set(p + "result", res.perQuestion[q.id] ? "correct" : "wrong");
      }
    });
    if (v2004) {
      lms.set("cmi.score.scaled", String(Math.round(res.raw * 100) / 10000));
      lms.set("cmi.success_status", res.passed ? "passed" : "failed");
      lms.set("cmi.completion_status", "completed");
    } else {
      lms.set("cmi.core.lesson_status", res.passed ? "passed" : "failed");
    }
    lms.setDone(res.passed);
  }

  var VERDICTS = {
    "1,1": ["is-correct", "Ihre Wahl – richtig."],
    "1,0": ["is-wrong", "Ihre Wahl – nicht richtig."],
    "0,1": ["is-wrong", "Richtige Antwort, von Ihnen nicht gewählt."],
    "0,0": ["is-correct", "Nicht gewählt – zu Recht."]
  };

  /* Show the result box and the feedback for every answer; lock the form. */
  function show(form, data, answers, res, passing) {
    data.questions.forEach(function (q) {
      var box = $("frage-" + q.id);
      box.classList.remove("is-missing");
      box.classList.add(res.perQuestion[q.id] ? "is-correct" : "is-wrong");
      var line = box.querySelector(".question-result");
      line.textContent = res.perQuestion[q.id] ? "Richtig beantwortet." : "Nicht richtig beantwortet.";
      line.hidden = false;
      q.answers.forEach(function (letter) {
        var chosen = (answers[q.id] || []).indexOf(letter) >= 0 ? 1 : 0;
        var correct = q.correct.indexOf(letter) >= 0 ? 1 : 0;
        var verdict = VERDICTS[chosen + "," + correct];
        var fb = $(q.id + "-" + letter + "-fb");
        fb.className = "feedback " + verdict[0];
        fb.querySelector(".verdict").textContent = verdict[1];
        fb.hidden = false;
        var input = $(q.id + "-" + letter);
        input.checked = !!chosen;
        input.disabled = true;
      });
    });
    $("lotse_submit").disabled = true;
    var result = $("lotse_result");
    result.className = "result " + (res.passed ? "is-passed" : "is-failed");
    $("lotse_score").textContent = res.right + " von " + res.total + " Fragen richtig (" + german(res.raw) + " %)";
    $("lotse_verdict").textContent = res.passed
      ? "Bestanden – herzlichen Glückwunsch! Sie haben dieses Modul abgeschlossen."
      : "Noch nicht bestanden: Sie brauchen mindestens " + german(passing) + " %. Lesen Sie die Rückmeldungen, " +
        "wiederholen Sie die passenden Lektionen und versuchen Sie es dann noch einmal.";
    $("lotse_retry").hidden = res.passed;
    result.hidden = false;
    document.documentElement.setAttribute("data-lotse-result", res.passed ? "passed" : "failed");
  }

  /* Clear the form for a new attempt. */
  function reset(form, data) {
    data.questions.forEach(function (q) {
      var box = $("frage-" + q.id);
      box.classList.remove("is-correct", "is-wrong", "is-missing");
      box.querySelector(".question-result").hidden = true;
      q.answers.forEach(function (letter) {
        var input = $(q.id + "-" + letter);
        input.checked = false;
        input.disabled = false;
        $(q.id + "-" + letter + "-fb").hidden = true;
      });
    });
    $("lotse_submit").disabled = false;
    $("lotse_result").hidden = true;
    document.documentElement.removeAttribute("data-lotse-result");
  }

  /* Tick the answers kept from an interrupted attempt. */
  function restore(data, answers) {
    var given = 0;
    data.questions.forEach(function (q) {
      (answers[q.id] || []).forEach(function (letter) {
        var input = $(q.id + "-" + letter);
        if (input) { input.checked = true; given++; }
      });
    });
    if (given && window.LotseSCO) {
      window.LotseSCO.notice("Willkommen zurück – Ihre bisherigen Antworten sind wieder eingetragen.");
    }
  }

  function init(sco) {
    var lms = sco.lms;
    var form = $("lotse_quiz");
    var data = JSON.parse($("lotse_quiz_data").textContent);
    var passing = data.passing_score;
    var mastery = parseFloat(lms.get("mastery"));
    if (!isNaN(mastery)) {
      passing = lms.standard === "2004" ? mastery * 100 : mastery;
      $("lotse_passing").textContent = german(passing);
    }
    var state = lms.loadState();
    state.a = state.a || {};
    if (state.r) {
      show(form, data, state.a, evaluate(data, state.a, passing), passing);
      lms.setDone(!!state.r.passed);
    } else {
      restore(data, state.a);
      lms.markIncomplete();
    }

    /* Keep every answer given so far in suspend data, so an interrupted check comes back
     * as it was left (the session ends with exit "suspend" while the check is not done). */
    form.addEventListener("change", function () {
      if (state.r) { return; }
      data.questions.forEach(function (q) { state.a[q.id] = selected(form, q.id); });
      lms.saveState(state);
      lms.commit();
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = {}, missing = [];
      data.questions.forEach(function (q, i) {
        answers[q.id] = selected(form, q.id);
        $("frage-" + q.id).classList.toggle("is-missing", !answers[q.id].length);
        if (!answers[q.id].length) { missing.push(i + 1); }
      });
      var error = $("lotse_quiz_error");
      if (missing.length) {
        error.textContent = "Bitte beantworten Sie alle Fragen. Noch offen: Frage " + missing.join(", ") + ".";
        error.hidden = false;
        $("frage-" + data.questions[missing[0] - 1].id).querySelector("input").focus();
        return;
      }
      error.hidden = true;
      var res = evaluate(data, answers, passing);
      state.a = answers;
      state.r = { raw: res.raw, passed: res.passed ? 1 : 0 };
      state.n = (state.n || 0) + 1;
      report(lms, data, answers, res);
      lms.saveState(state);
      lms.commit();
      show(form, data, answers, res, passing);
      $("lotse_result").focus();
    });

    $("lotse_retry").addEventListener("click", function () {
      reset(form, data);
      state.a = {};
      state.r = null;
      lms.saveState(state);
      form.querySelector("input").focus();
    });
    document.documentElement.setAttribute("data-lotse-ready", "1");
  }

  window.LotseQuiz = { init: init, evaluate: evaluate };
}());
