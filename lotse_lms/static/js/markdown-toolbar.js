/* Markdown toolbar of the community editor: buttons that wrap the selection in Markdown.
 * Without JavaScript the toolbar stays hidden; the hint under the field names the syntax. */
(function () {
  "use strict";
  var WRAP = { bold: ["**", "**"], italic: ["*", "*"] };
  var PREFIX = { list: "- ", quote: "> " };

  function apply(field, kind, linkText) {
    var start = field.selectionStart, end = field.selectionEnd;
    var value = field.value, chosen = value.slice(start, end), text;
    if (WRAP[kind]) {
      text = WRAP[kind][0] + (chosen || "") + WRAP[kind][1];
    } else if (PREFIX[kind]) {
      var lines = (chosen || "").split("\n");
      text = lines.map(function (line) { return PREFIX[kind] + line; }).join("\n");
      if (start > 0 && value.charAt(start - 1) !== "\n") { text = "\n" + text; }
    } else {
      text = "[" + (chosen || linkText) + "](https://)";
    }
    field.value = value.slice(0, start) + text + value.slice(end);
    var caret = start + text.length - (WRAP[kind] ? WRAP[kind][1].length : 0);
    if (kind === "link") { caret = start + text.length - 1; }
    field.focus();
    field.setSelectionRange(caret, caret);
  }

  document.querySelectorAll("[data-md-toolbar]").forEach(function (bar) {
    var field = document.getElementById(bar.getAttribute("data-md-toolbar"));
    if (!field) { return; }
    bar.hidden = false;
    bar.querySelectorAll("button[data-md]").forEach(function (button) {
      button.addEventListener("click", function () {
        apply(field, button.getAttribute("data-md"), button.getAttribute("data-md-text") || "");
      });
    });
  });
})();
