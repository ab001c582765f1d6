// "Weiteren Termin hinzufügen" on the session form: add an empty date row in place.
// Without this script the button submits and the server answers with one more row.
(function () {
  "use strict";
  var button = document.getElementById("add-date");
  var rows = document.getElementById("date-rows");
  if (!button || !rows) {
    return;
  }
  // A plain button: Enter in a field then saves the form instead of adding a row.
  button.type = "button";
  button.addEventListener("click", function (event) {
    var all = rows.querySelectorAll(".q2-date-row");
    var last = all[all.length - 1];
    if (!last) {
      return;
    }
    event.preventDefault();
    var index = all.length;
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input").forEach(function (input) {
      input.value = "";
      input.id = input.id.replace(/dates-\d+-/, "dates-" + index + "-");
      input.name = input.name.replace(/dates-\d+-/, "dates-" + index + "-");
    });
    copy.querySelectorAll("label").forEach(function (label) {
      label.htmlFor = label.htmlFor.replace(/dates-\d+-/, "dates-" + index + "-");
      var hidden = label.querySelector(".visually-hidden");
      if (hidden) {
        hidden.textContent = String(index + 1);
      }
    });
    var number = copy.querySelector(".q2-date-no");
    if (number) {
      number.textContent = number.textContent.replace(/\d+/, String(index + 1));
    }
    rows.appendChild(copy);
    copy.querySelector("input").focus();
  });
})();
