/* Phones: the main menu and the account links collapse behind the "Menü" button.
 * Without JavaScript (no "js" class) they stay open, as on wide screens. */
(function () {
  "use strict";
  var root = document.documentElement;
  var button = document.getElementById("menu-button");
  var header = document.querySelector(".site-header");
  root.classList.add("js");
  /* The "Verwaltung" disclosure (works without JS) closes on a click elsewhere or Escape. */
  var group = document.querySelector(".nav-group details");
  if (group) {
    document.addEventListener("click", function (ev) {
      if (group.open && !group.contains(ev.target)) { group.open = false; }
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && group.open) { group.open = false; group.querySelector("summary").focus(); }
    });
  }
  if (!button || !header) { return; }
  button.addEventListener("click", function () {
    var open = header.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
