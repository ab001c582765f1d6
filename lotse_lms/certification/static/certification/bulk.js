// Bulk issuing: ask the server for the next chunk until the job is done, updating the progress bar.
(function () {
  "use strict";
  var box = document.getElementById("bulk-job");
  var form = document.getElementById("bulk-form");
  if (!box || !form || box.dataset.status !== "running") { return; }
  var bar = document.getElementById("bulk-progress");
  var summary = document.getElementById("bulk-summary");
  var list = document.getElementById("bulk-messages");
  var template = document.getElementById("bulk-text").innerHTML;
  var token = form.querySelector("input[name=csrf_token]").value;
  form.hidden = true;

  function show(p) {
    bar.max = p.total; bar.value = p.processed; bar.textContent = p.percent + " %";
    summary.textContent = template.replace("%(processed)s", p.processed).replace("%(total)s", p.total)
      .replace("%(issued)s", p.issued).replace("%(refused)s", p.refused);
    list.innerHTML = "";
    p.messages.forEach(function (m) {
      var li = document.createElement("li");
      li.textContent = m.name + ": " + m.message;
      list.appendChild(li);
    });
  }

  function step() {
    var body = new FormData();
    body.append("csrf_token", token);
    fetch(box.dataset.stepUrl, {method: "POST", body: body, credentials: "same-origin",
                                headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (p) {
        show(p);
        if (p.status === "running") { step(); }
        else { box.dataset.status = p.status; document.getElementById("bulk-done").hidden = false; }
      })
      .catch(function () { form.hidden = false; });
  }
  step();
}());
